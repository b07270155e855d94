/* ledger.h -- the book of running transfers: which flows move now (the
 * active list), the SimGrid transfer each holds, the transfers the
 * controller waits on (flows' and other models'), the packet-mode orphans,
 * and the counts the controller and run_meta read (n_bound, n_waitable,
 * peaks). The flow drivers (driver.h) and the controller keep it through
 * these calls; it calls nothing above it (sgshim only).
 *
 * A flow is listed while it moves: with a running transfer (fl->xfer), or
 * free (fluid.h: fl->free_running, no transfer). Listing and unlisting
 * asks no model to re-plan; the drivers decide when a change matters.
 * Also the small flow-state rules every driver shares (clamp, done,
 * completion time), so each is written once.
 *
 * Ownership: the arrays live in sim_ctx (allocated by run.c); the orphans
 * and model-wait lists grow here and are freed by ledger_free.
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_LEDGER_H
#define SRIOV_LEDGER_H

#include <stddef.h>

#include "sim/simctx.h"

/* Lists flow f as active; the list is in flow order whenever it is read
 * (changes are journalled and merged in by sim_active_sync, query.h). */
void ledger_add(sim_ctx *c, size_t f);
/* Unlists flow f (journalled likewise). */
void ledger_remove(sim_ctx *c, size_t f);
/* Room for cap flows in the journal (after the flow arrays grew: spawn.c).
 * 0, or -1 when out of memory. */
int ledger_reserve(sim_ctx *c, size_t old_cap, size_t cap);
/* Debug (SRIOV_CHECK_INCREMENTAL=1, c->check_incremental): fails the run when the
 * stored list differs from one rebuilt from every flow's state. */
void ledger_check_active(sim_ctx *c);

/* Gives flow fl a transfer of bytes (whole, >= 1) capped at cap_Bps (0 =
 * uncapped) and counts it; the caller lists the flow or fills its slot
 * (ledger_set_slot). */
void ledger_open(sim_ctx *c, flow_rt *fl, double bytes, double cap_Bps);
/* Adds what the flow's transfer moved to delivered_bytes, releases the
 * transfer and returns that amount; the caller unlists the flow or
 * clears its slot. */
double ledger_close(sim_ctx *c, flow_rt *fl);
/* The listed flow's transfer changed (bound or freed in place). */
void ledger_set_slot(sim_ctx *c, const flow_rt *fl);

/* ledger_open + ledger_add: the flow must have no transfer. */
void ledger_attach(sim_ctx *c, size_t f, double bytes, double cap_Bps);
/* Cancels the flow's transfer if any, unlists it, and returns the bytes
 * it moved (added to delivered_bytes); 0 when it had none. */
double ledger_detach(sim_ctx *c, size_t f);

/* The waitable flow transfers (c->wait_flows[i] is the flow of
 * c->wait_xfers[i]), rebuilt only when something changed. Returns the
 * count. */
size_t ledger_collect_waitable(sim_ctx *c);
/* The n_flow waitable flow transfers followed by the models' (scratch);
 * NULL when out of memory. */
shim_xfer *const *ledger_all_waits(sim_ctx *c, size_t n_flow);
/* Model wait i finished: it leaves the list, then its callback runs. */
void ledger_model_wait_done(sim_ctx *c, size_t i);
/* A model's own transfer (a migration round) finishes at its exact time,
 * like a flow's: on_done(c, arg) runs when it does, and the controller
 * forgets x just before. The model keeps owning x and may free it
 * unfinished only once the run has ended (the controller no longer waits
 * then). 0, or -1 when out of memory. */
int sim_wait_xfer(sim_ctx *c, shim_xfer *x, timer_fn on_done, void *arg);
/* What the run holds now into its peaks (run_meta). */
void ledger_note_peaks(sim_ctx *c);

/* Drops the handles of transfers left running at packet granularity and
 * frees the ledger's own lists; only once the engine has stopped. */
void ledger_free(sim_ctx *c);

/* Bytes a free flow moved since it was last settled at free_since_s (in
 * our solver: since it joined it). */
double flow_free_moved(const flow_rt *fl, double now_s);
/* A free flow's rate now: free_Bps, or our solver's (netagg.h). */
double flow_free_rate(const flow_rt *fl);
/* An inelastic flow never delivers more than it offered (its transfer is
 * sized a little past its stop: fluid.c). */
void flow_clamp_delivered(flow_rt *fl);
/* The flow stops offering at now_s (FLOW_DONE). */
void flow_mark_done(flow_rt *fl, double now_s);
/* Its last byte arrived at now_s: done, and an elastic flow records its
 * completion time. */
void flow_mark_completed(flow_rt *fl, double now_s);

#endif
