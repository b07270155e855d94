/* tandem_mix.h -- per sample interval, the packet-size mix of every link
 * that is the sole, equal-rate feeder of a hop that cannot queue by rate
 * (latency_feed.h), and the size-mix tandem law built from it
 * (metrics/tandem.h): a small packet behind a larger one waits at such a
 * hop, and which packets are ahead of it depends on every flow on the
 * upstream link, not only its own.
 *
 * The mix is packet-rate weighted over all flows that moved bytes on the
 * upstream link in the interval (sizes as configured); the law uses that
 * link's measured utilisation. Skipped at no cost beyond one scan of the
 * flows when every moving flow has the same single packet size (no size
 * mix: zero wait, as before). A link carrying more than
 * LAT_TANDEM_MAX_SIZES distinct sizes gets no law (zero wait).
 *
 * Ownership: the state hangs off sim_ctx.tandem_mix, created on first use,
 * freed by tandem_mix_free. Units: bytes, seconds.
 */
#ifndef SRIOV_TANDEM_MIX_H
#define SRIOV_TANDEM_MIX_H

#include <stddef.h>

#include "metrics/tandem.h"
#include "sim/simctx.h"

/* The upstream hop (index into links) when hop h of a flow's queueing
 * hops cannot queue by rate, its sole feeder is that hop, at the same
 * capacity, and that hop can queue (the law's M/G/1); else -1. */
long tandem_upstream(const sim_ctx *c, const int *links, const unsigned char *tr,
                     const double *cap_Bps, size_t h);

/* Rebuild the mixes and laws for this interval (after the feeder passes).
 * flow_tp: the configured flows' throughput this interval (bit/s).
 * 0, or -1 when out of memory. */
int tandem_mix_interval(sim_ctx *c, const double *flow_tp);

/* The law of upstream link l this interval, or NULL (no size mix). */
const lat_tandem_law *tandem_mix_law(const sim_ctx *c, int link);

void tandem_mix_free(struct tandem_mix *t);

#endif
