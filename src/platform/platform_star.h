/* platform_star.h -- the packet-level (ns-3) platform: a star.
 *
 * SimGrid's ns-3 model (network/model:ns-3) only honours routes of ONE
 * link and crashes on <cluster> without a backbone (docs/simgrid-notes.md), so
 * packet granularity runs on a simpler platform than platform.h's zones:
 * one Full zone, one central router "star.sw", and every topology
 * endpoint (SimGrid host of the same name) attached to it by one
 * split-duplex link "<endpoint>.star" whose
 *   bandwidth = the bottleneck of that endpoint's own path: min of its VF
 *               shaper, IOMMU, PCIe and port (VF); vhost and port
 *               (software); the external link (external);
 *   latency   = the sum of those links' propagation latencies.
 * The fabric (ToR, uplinks) and the eSwitch are not represented: the star
 * is non-blocking (docs/granularity.md has the full table).
 * Every topology link is also declared, unconnected, so the engine finds
 * the link ids it expects; no route crosses them.
 * Host-to-host routes (two links: src UP, dst DOWN) are written for each
 * flow's pair, for SimGrid's route queries; ns-3 routes packets itself.
 * Units: bytes per second, seconds.
 */
#ifndef SRIOV_PLATFORM_STAR_H
#define SRIOV_PLATFORM_STAR_H

#include <stdio.h>

#include "platform/topo.h"

/* Writes the star platform. Returns 0, or -1 on a write error or out of
 * memory. */
int platform_star_write_xml(FILE *out, const scenario_config *cfg, const topo *t);

#endif
