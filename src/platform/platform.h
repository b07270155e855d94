/* platform.h -- writes the SimGrid platform (XML, DTD v4.1) for a topology.
 *
 * Since the flow-level platform is built in memory (sim/zone.h, same
 * routes: platform/routes.h), this XML is what --dump-platform writes.
 * Zones: dc (Full) > one zone per rack (Full, or Dijkstra above 2,048
 * netpoints: platform.c says why) holding its hosts' CPUs, their endpoints
 * and the ToR router; plus "ext.z" for the external endpoint. Routes inside
 * a rack are explicit, only for the pairs that may carry traffic; between
 * hosts of a rack they cross the rack's ToR link; between racks, the ToR
 * uplinks to spine (i + j) mod spines (static ECMP).
 *
 * Link latencies are written as 0 unless with_latency: SimGrid's CM02 model
 * weights each transfer's share by its route latency (TCP RTT unfairness),
 * which is wrong for PCIe and Ethernet line-rate sharing; propagation delay
 * is added by sriov-sim's latency model instead (metrics/latency.h). The
 * packet-level (ns-3) model needs real latencies and sets with_latency.
 */
#ifndef SRIOV_PLATFORM_H
#define SRIOV_PLATFORM_H

#include <stdbool.h>
#include <stdio.h>

#include "platform/topo.h"

/* A pair of endpoints that must be able to reach each other. Pairs on the
 * same host need an explicit route; all others are routed by zone. */
typedef struct ep_pair {
    int src;
    int dst;
} ep_pair;

/* Writes s with the characters XML reserves escaped (names come from the
 * user's scenario). */
void platform_put_escaped(FILE *out, const char *s);

/* Peak memory, in bytes, a flow-level run of cfg is expected to need:
 * SimGrid's platform and the engine's per-host, per-endpoint and per-flow
 * state, fitted on measured peak RSS (docs/guarantees.md, "Platform size"),
 * plus, at packet granularity, the N x N table of the Full star zone
 * holding every endpoint (flow level builds one zone without a table:
 * sim/zone.h). An estimate
 * from the config alone, so the CLI can refuse before any work. */
double platform_estimate_bytes(const scenario_config *cfg);

/* Writes the platform to out. Returns 0, or -1 on a write error. */
int platform_write_xml(FILE *out, const scenario_config *cfg, const topo *t,
                       const ep_pair *pairs, size_t n_pairs, bool with_latency);

#endif
