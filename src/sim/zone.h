/* zone.h -- the flow-level SimGrid platform, built in memory: one zone
 * holding every host CPU, endpoint and link of the topology, with routes
 * computed on demand by platform/routes.h (sgshim.h, shim_build_platform,
 * says why one zone and no XML). Packet granularity keeps the XML star
 * platform (platform/platform_star.h).
 *
 * zone_build sets c->routes, c->ep_hosts [topo endpoint] and fills
 * host_of_node / link handles so the engine never looks a host or link up
 * by name. Ownership: *node_hosts ([n_hosts + n_endpoints]) and *dir_links
 * ([2 * topo.n_links]: DOWN or the shared link at 2l, UP at 2l + 1) are
 * malloc'd; the caller frees them after resolving its handles.
 */
#ifndef SRIOV_SIM_ZONE_H
#define SRIOV_SIM_ZONE_H

#include "sim/simctx.h"

/* 0, or -1 with a message in err. Call after SimGrid's init. */
int zone_build(sim_ctx *c, sg_host_t **node_hosts, sg_link_t **dir_links, char *err,
               size_t errlen);

#endif
