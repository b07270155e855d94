/* cost.c -- see cost.h. */
#include "virtio/cost.h"

#include <math.h>

double virt_cycles_per_byte(const virt_cost *c, double mean_pkt_bytes)
{
    return c->cycles_per_packet / mean_pkt_bytes + c->cycles_per_byte;
}

double virt_capacity_Bps(double cycles_per_s, const double *cpb, const double *demand_Bps,
                         size_t n)
{
    double weight = 0, cost = 0, plain = 0;
    for (size_t i = 0; i < n; i++) {
        weight += demand_Bps[i];
        cost += demand_Bps[i] * cpb[i];
        plain += cpb[i];
    }
    /* no demand recorded (all zero): weigh the flows equally */
    double mean = weight > 0 ? cost / weight : (n ? plain / (double)n : 0);
    if (mean <= 0)
        return INFINITY;
    return cycles_per_s / mean;
}

double virt_pps_per_core(const virt_cost *c, double core_hz, double pkt_bytes)
{
    double cycles = c->cycles_per_packet + c->cycles_per_byte * pkt_bytes;
    return cycles > 0 ? core_hz / cycles : INFINITY;
}
