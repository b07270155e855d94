/* routes.h -- the links a packet crosses between two points of the
 * platform, in order, computed from the topology (topo.h) in closed form.
 *
 * One definition serves both platforms: platform.c writes these routes into
 * the XML (rack zones, fabric zone routes, the external zone) for packet
 * granularity and --dump-platform, and the flow-level zone (sim/sgshim.h,
 * shim_build_platform) answers SimGrid's route queries with them, so the
 * two give the same link lists, in the same order.
 *
 * Nodes (the netpoints a route joins) are numbered: host CPU h is h (0 ..
 * n_hosts - 1); endpoint e (topo.endpoints, the external one included) is
 * n_hosts + e.
 *
 * Ownership: plat_routes borrows cfg and t. No units: link indices and
 * directions.
 */
#ifndef SRIOV_PLATFORM_ROUTES_H
#define SRIOV_PLATFORM_ROUTES_H

#include "platform/topo.h"

/* One hop: a link index in topo and, for split-duplex links, the direction
 * (1: UP, leaves the host / the DC; 0: DOWN, enters it). */
typedef struct plat_hop {
    int link;
    int up;
} plat_hop;

/* The longest route: VF up (shaper, IOMMU, PCIe, adapter, port), ToR, two
 * uplinks, ToR, VF down is 14 hops. */
#define PLAT_ROUTE_MAX 16

typedef struct plat_route {
    plat_hop hops[PLAT_ROUTE_MAX];
    int n;
} plat_route;

typedef struct plat_routes {
    const scenario_config *cfg;
    const topo *t;
} plat_routes;

/* Appends a hop (ignored for link < 0, the absent shaper or IOMMU). */
void plat_push(plat_route *r, int link, int up);

/* Endpoint ep out to its port wire (route_up) and in from it (route_down). */
void plat_route_up(const plat_routes *p, int ep, plat_route *r);
void plat_route_down(const plat_routes *p, int ep, plat_route *r);
/* Two endpoints of one host (VEB inside the adapter, or out and back
 * through the rack's ToR link tor). */
void plat_route_local(const plat_routes *p, int src, int dst, int tor, plat_route *r);
/* Host CPU h out to / in from the wire (its first adapter's PF, port 0). */
/* Whether endpoints src and dst sit on one host or on one multi-host
 * adapter (then plat_route_local routes them). */
bool plat_one_adapter(const plat_routes *p, int src, int dst);
/* When src or dst is a GPU or host-memory endpoint: sets r to the route
 * between a host's memory and one of its GPUs (the host's IOMMU link when
 * on, and the GPU's PCIe link, _UP host to device), r->n = 0 for any
 * other pair, and returns true. */
bool plat_gpu_route(const plat_routes *p, int src, int dst, plat_route *r);
/* Host CPU a to host CPU b in one rack whose ToR is link tor. */
void plat_pm_pair(const plat_routes *p, int a, int b, int tor, plat_route *r);
void plat_pm_up(const plat_routes *p, int h, plat_route *r);
void plat_pm_down(const plat_routes *p, int h, plat_route *r);

/* The route from node src to node dst, as the zone platform composes it:
 * inside a rack the rack zone's route; between racks src to its ToR, the
 * uplink to spine (i + j) mod spines and down from it, the ToR to dst;
 * to or from external the rack's uplink to spine i mod spines and the
 * external link. Sets r->n = 0 for src == dst and for a node in no rack.
 * Returns r->n. */
int plat_route_nodes(const plat_routes *p, int src, int dst, plat_route *r);

/* Number of nodes: n_hosts + n_endpoints. */
size_t plat_n_nodes(const plat_routes *p);

#endif
