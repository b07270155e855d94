/* capacity.h -- link capacities and the models' re-plans: the one place a
 * capacity changes (SimGrid's link, the sampled capacity x time, the fast
 * path's view), where a re-plan is requested (coalesced onto the epoch
 * grid), and where the flows a raised capacity should speed up restart --
 * for every model at once.
 *
 * Why restarts: SimGrid 3.32's CM02 bounds a transfer, when it starts, by
 * the smallest link bandwidth on its route
 * (NetworkCm02Model::comm_action_set_bounds): a link made slower takes
 * effect at once, a faster one only for transfers started after (measured:
 * a study's second window ran at the first window's capacity). The shim
 * lifts that bound (sgshim.h); where it could not, the transfers crossing
 * a raised link are settled and started again at the same instant, which
 * loses no byte (an inelastic flow offers rate x time left, an elastic one
 * what is left of its size).
 *
 * Calls below it only (timers, SimGrid); what it asks of the layers above
 * goes through sim_ctx.hooks (the models' re-plan) and the flow driver's
 * ops (driver.h). Ownership: cap_raised is allocated by capacity_init and
 * freed by capacity_free. Units: bytes per second, seconds.
 */
#ifndef SRIOV_CAPACITY_H
#define SRIOV_CAPACITY_H

#include "sim/simctx.h"

/* Allocates the per-link marks (after the links are resolved). 0 or -1. */
int capacity_init(sim_ctx *c);
void capacity_free(sim_ctx *c);

/* Sets a link's capacity (bytes/s) in SimGrid, both directions of a
 * split-duplex link. */
void sim_set_link_Bps(sim_ctx *c, int topo_link, double Bps);
/* Sets one direction's capacity (bytes/s); the only way capacities change.
 * A raise is marked for sim_capacity_restart_raised. */
void sim_set_dlink_Bps(sim_ctx *c, int dlink, double Bps);

/* Restarts every running flow transfer that crosses a link raised since
 * the last call and does not follow raises by itself
 * (shim_xfer_bound_follows_links), then forgets the marks. A model calls
 * it once after a batch of capacity changes. */
void sim_capacity_restart_raised(sim_ctx *c);

/* Asks every model to re-plan link capacities after a change (flows
 * started, stopped, paused, completed; QoS changed). With rate_epoch > 0
 * the re-plan is coalesced onto the next epoch boundary; else it runs once
 * the current time's actions are done (capacity_replan_if_due). */
void sim_request_replan(sim_ctx *c);
/* Runs the re-plan requested during this time, if any. */
void capacity_replan_if_due(sim_ctx *c);

/* Engine-internal: dlink ran without a limit (TOPO_UNCAPPED_Bps) from its
 * last capacity change to now_s; /links then reports no capacity in effect
 * for it. Called before the capacity integral moves on. */
void capacity_note_uncapped(sim_ctx *c, int dlink, double now_s);

#endif
