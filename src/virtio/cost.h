/* cost.h -- the software datapath's cost arithmetic, free of SimGrid so it
 * can be tested against closed forms.
 *
 * A backend spends cycles_per_packet per packet and cycles_per_byte per
 * payload byte; a flow of mean packet size S costs cycles_per_packet / S +
 * cycles_per_byte per byte. A backend with C cycles/s available carries
 * C / cost bytes/s of one flow; for several flows sharing it, the mean cost
 * is weighted by each flow's demand (bytes/s): exact when every flow is
 * served in proportion to its demand, and exact for one packet size.
 *
 * Units: cycles, bytes, seconds.
 */
#ifndef SRIOV_VIRTIO_COST_H
#define SRIOV_VIRTIO_COST_H

#include <stddef.h>

#include "scenario/virtio_params.h"

/* Cycles per payload byte of a flow of mean packet size mean_pkt_bytes (> 0). */
double virt_cycles_per_byte(const virt_cost *c, double mean_pkt_bytes);

/* Payload bytes/s that cycles_per_s carry for flows of costs cpb[i]
 * (cycles/byte) and demands demand_Bps[i]. INFINITY when nothing costs
 * cycles (n == 0, or every cost 0); 0 when cycles_per_s is 0 and something
 * costs. */
double virt_capacity_Bps(double cycles_per_s, const double *cpb, const double *demand_Bps,
                         size_t n);

/* SimGrid's CPU sharing (Cas01: max-min fairness) of capacity_cps cycles/s
 * among n threads, thread i capped at bound_cps[i] (<= one core; 0 = not
 * running): rate_cps[i] = min(bound, fair share), where what a capped
 * thread leaves goes to the others. E.g. C cores of speed s shared by K+1
 * uncapped one-core threads give each min(s, C s / (K + 1)). */
void virt_fair_share(double capacity_cps, const double *bound_cps, double *rate_cps, size_t n);

/* Packets per second one core of core_hz carries at one packet size. */
double virt_pps_per_core(const virt_cost *c, double core_hz, double pkt_bytes);

#endif
