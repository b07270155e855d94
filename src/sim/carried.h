/* carried.h -- what every flow and every model transfer carried, on each
 * link of its route and at each VF it used, counted where the bytes moved:
 * a flow re-routed mid-run (live migration moves it to another VF and
 * host) leaves the bytes of its old route on the old links and the old VF,
 * and its new route and VF are credited from the re-route on; a model's own
 * transfer (a migration round) is counted on the links it crosses like a
 * flow, in /links, the link utilisation series and the rest.
 *
 * Every flow's life is cut into route segments (segment 0 from its start,
 * one more at each flow_rebind); carried_settle_flow closes the current one.
 * The rows (/link_flows, /link_transfers) say which flow segment or
 * transfer put how many bytes on which link, so /links can be checked
 * against them (tests/e2e/test_conservation.sh).
 *
 * Ownership: everything here lives in sim_ctx.carried, allocated by
 * carried_init and freed by carried_free; transfers are the models' (we
 * only read them while they run). Units: bytes, packets (whole numbers).
 */
#ifndef SRIOV_CARRIED_H
#define SRIOV_CARRIED_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/results.h"
#include "sim/simctx.h"

int carried_init(sim_ctx *c);
void carried_free(sim_ctx *c);

/* Flow f's bytes since its segment began go to the links of its route now
 * (the current sample interval), its VFs and the /link_flows rows; the next
 * bytes start a new segment. Called just before the route changes and once
 * at the end of the run. 0, or -1 when out of memory. */
int carried_settle_flow(sim_ctx *c, size_t f);

/* Room for cap flow slots (spawn.h grows them from old_cap; new ones
 * zeroed), and a slot made ready for a new generated flow. 0 or -1. */
int carried_reserve(sim_ctx *c, size_t old_cap, size_t cap);
void carried_reset_flow(sim_ctx *c, size_t f);

/* The sampler's share: what each flow moved since the last sample or
 * settle onto its links and VF interval counters (vf_bytes[vf row]), and
 * what each running model transfer moved onto its links. */
void carried_sample_flows(sim_ctx *c);
void carried_sample_xfers(sim_ctx *c);

/* The VF interval bytes, taken: vf_tp[v] += bytes * 8 / dt, then zeroed. */
void carried_take_vf_interval(sim_ctx *c, double *vf_tp, double dt);

/* Transfer x (the ledger's model wait) finished: what it moved since the
 * last sample goes to its links now. No-op for a transfer not carried. */
void carried_xfer_finished(sim_ctx *c, const shim_xfer *x);

/* A model's own transfer x, just started from host src to dst for bytes:
 * counted on the links of its route like a flow (sampled while it runs,
 * settled when it finishes), listed in /link_transfers under model, owner
 * and round (e.g. "migration", "vm1", "round 3"), and drawn as the stream
 * "model owner" in /timeseries/transfer_throughput_bps; then waited on like
 * sim_wait_xfer. The model must not free x before on_done runs, except
 * once the run has ended. 0, or -1 when out of memory or routeless. */
typedef struct carried_label {
    const char *model, *owner, *round;
} carried_label;
int sim_wait_carried_xfer(sim_ctx *c, shim_xfer *x, sg_host_t src, sg_host_t dst, double bytes,
                          carried_label label, timer_fn on_done, void *arg);

/* The run's /link_flows and /link_transfers tables, and the per-VF
 * traffic columns of /vfs. 0, or -1 when out of memory. */
int carried_collect(const sim_ctx *c, run_results *r);

/* For the models' tables (the PF's and the guest's views), the same counts
 * /vfs shows: bytes and packets through VF row v (rx 0: sent, 1:
 * received); what flow f's sending (rx 0) or receiving (rx 1) end carried
 * while on a VF; the last VM NIC that used VF row v (0 when none). */
double sim_vf_carried_bytes(const sim_ctx *c, int vf_row, int rx);
int64_t sim_vf_carried_packets(const sim_ctx *c, int vf_row, int rx);
double sim_flow_nic_bytes(const sim_ctx *c, size_t f, int rx);
int64_t sim_flow_nic_packets(const sim_ctx *c, size_t f, int rx);
int sim_vf_user(const sim_ctx *c, int vf_row, int *vm, int *nic);
/* What flows made during the run (spawn.h) carried at VM NIC (vm, nic)
 * while it was on a VF (rx 0: sent, 1: received); 0 when none. */
double sim_nic_spawned_bytes(const sim_ctx *c, int vm, int nic, int rx);
int64_t sim_nic_spawned_packets(const sim_ctx *c, int vm, int nic, int rx);

#endif
