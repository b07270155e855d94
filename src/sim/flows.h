/* flows.h -- the public life of a flow: what the controller and the
 * models call to start, stop, pause, resume, move or cap a flow. Each call
 * checks the flow's phase (simctx.h flow_phase_t) and hands the rest to
 * the run's flow driver (driver.h: fluid transfers or bursts, picked once
 * by flows_init), so the rules of when a call is a no-op live here once.
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_FLOWS_H
#define SRIOV_FLOWS_H

#include <stddef.h>

#include "sim/simctx.h"

/* Picks the driver for the run's granularity and initialises it (after
 * the flows and links are resolved, before the models' init). 0, or -1
 * when out of memory. user_network_cfg: the user passed a network/
 * SimGrid setting (the fast path then stays off: fluid.h). */
int flows_init(sim_ctx *c, int user_network_cfg);
/* Frees the driver's state; safe when flows_init never ran. */
void flows_fini(sim_ctx *c);

/* PENDING -> offering (no-op otherwise); then the models' flow_started
 * hook runs (a model may pause it at once). */
void flow_begin(sim_ctx *c, size_t f);
/* Stops offering; keeps its bytes. No-op when pending or done. */
void flow_end(sim_ctx *c, size_t f);
/* Its transfer finished (the controller saw it). */
void flow_completed(sim_ctx *c, size_t f);
/* Stops the flow's transfer while it keeps offering: an inelastic flow's
 * offered bytes during the pause are dropped; an elastic flow waits. The
 * bytes in flight at the pause are delivered (fluid: none are in flight
 * beyond what remaining() reports); a model counting lost in-flight
 * packets does so itself. No-op unless active. */
void flow_pause(sim_ctx *c, size_t f);
/* No-op unless paused; an inelastic flow past its stop is done instead. */
void flow_resume(sim_ctx *c, size_t f);
/* Moves the flow to other endpoints (a migration, a VF -> virtio
 * failover): settles its transfer, re-reads the route, restarts it if it
 * was active. Returns 0, or -1 when SimGrid has no route (the platform
 * lacked that pair: see pairs.c). */
int flow_rebind(sim_ctx *c, size_t f, int src_ep, int dst_ep);
/* Sets a flow's rate cap (bytes/s, 0 = none); a running fluid transfer
 * restarts with it, a burst flow's next burst takes it. */
void flow_set_cap(sim_ctx *c, size_t f, double cap_Bps);
/* Everything the flow delivered up to now (bytes). */
double flow_delivered_now(const flow_rt *fl);
/* Reads the flow's route (its dlink hops and propagation latency) from
 * SimGrid. 0, or -1 when there is no route. */
int flow_resolve_route(sim_ctx *c, flow_rt *fl);
/* The dlink indices of SimGrid's route from src to dst, in order, in a new
 * array *hops (the caller frees it; NULL when out of memory). 0, or -1
 * when there is no route or no memory. */
int sim_route_dlinks(sg_host_t src, sg_host_t dst, int **hops, size_t *n_hops);

#endif
