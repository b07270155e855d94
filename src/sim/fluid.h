/* fluid.h -- the fluid flow driver (driver.h) of flow granularity: each
 * active flow is one SimGrid transfer capped at its rate, settled and
 * restarted only when the flow itself changes; and its uncongested fast
 * path, below.
 *
 * Max-min fact this rests on: when the offered rates (caps) of all the
 * flows crossing a link fit in its capacity, that link holds nobody back.
 * A capped flow whose every link is like that gets exactly its cap, and
 * removing it from the solver changes nobody else's share (it only
 * crosses links that bind no one). So such a flow is "free": it moves
 * its rate (free_Bps) x time, counted in our code, and is not a SimGrid
 * transfer. SimGrid's max-min solver sees only the flows that meet a
 * congested link, and its cost -- superlinear in the transfers of one
 * connected system (docs/simgrid-notes.md) -- follows the congested part of the
 * platform, not the pod's size.
 *
 * A link is congested when its demand (the sum of the rates the running
 * flows crossing it may take, infinite for an uncapped or elastic flow)
 * plus the caps of other models' transfers crossing it (a migration
 * round: fluid_pin_route) exceeds its current capacity, or when an
 * uncapped transfer of another model crosses it. The rate a flow may
 * take is its cap, lowered to the capacity of any link it has to itself:
 * a lone flow gets min(cap, capacity) there in max-min, and such a link
 * binds nobody else (a VF shaper below the flow's offered rate is the
 * common case; pod-1k's 1,557 shaper-bound flows left the solver with
 * it). Elastic flows always stay transfers: they finish on their own,
 * which only SimGrid can time.
 *
 * Exact (to SimGrid's rounding) for plain max-min: network_model CM02 with
 * crosstraffic off, which sriov-sim sets. Off -- every flow a transfer --
 * at burst and packet granularity, with another network model, when the
 * user passes a network/ SimGrid setting, or with simulation.fast_path:
 * false (the switch the equivalence test flips).
 *
 * When: fluid_classify() runs where the controller is about to let
 * simulated time advance, so a flow is bound or freed at the very instant
 * demand or capacity changed. It costs O(running flows x route length),
 * and only when something was marked since the last call.
 * Units: bytes per second (SimGrid's), seconds.
 */
#ifndef SRIOV_FLUID_H
#define SRIOV_FLUID_H

#include <simgrid/forward.h>
#include <stddef.h>

typedef struct sim_ctx sim_ctx;
typedef struct flow_driver flow_driver;

/* The driver (flows_init picks it at flow granularity). Its init decides
 * whether the run uses the fast path and allocates the per-link state in
 * sim_ctx.fluid; its fini frees it. */
extern const flow_driver fluid_driver;

/* Binds to SimGrid every free flow that now meets a congested link and
 * frees every bound flow that no longer does. No-op unless something was
 * marked since the last call (the driver's before_advance). */
void fluid_classify(sim_ctx *c);
/* Room for n_flows flows in the fast path's per-flow scratch (spawn.c
 * grows the flows during the run). 0, or -1 when out of memory. */
int fluid_reserve(sim_ctx *c, size_t n_flows);

/* A transfer of another model (not a flow) runs from src to dst, capped at
 * rate_Bps (<= 0: uncapped): its cap counts in the demand of every link on
 * its route while it runs (an uncapped one makes them congested). delta is
 * +1 when it starts, -1 when it ends, with the same rate. No-op when the
 * run does not use the fast path. */
void fluid_pin_route(sim_ctx *c, sg_host_t src, sg_host_t dst, double rate_Bps, int delta);

#endif
