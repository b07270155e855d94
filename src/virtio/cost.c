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

void virt_fair_share(double capacity_cps, const double *bound_cps, double *rate_cps, size_t n)
{
    double left = capacity_cps;
    size_t open = 0;
    for (size_t i = 0; i < n; i++) {
        rate_cps[i] = -1;               /* not fixed yet */
        if (bound_cps[i] <= 0)
            rate_cps[i] = 0;
        else
            open++;
    }
    /* fix every thread whose cap is below the equal share, until none is */
    while (open > 0) {
        double share = left / (double)open;
        size_t fixed = 0;
        for (size_t i = 0; i < n; i++)
            if (rate_cps[i] < 0 && bound_cps[i] <= share) {
                rate_cps[i] = bound_cps[i];
                left -= bound_cps[i];
                fixed++;
            }
        if (fixed == 0) {
            for (size_t i = 0; i < n; i++)
                if (rate_cps[i] < 0)
                    rate_cps[i] = share;
            return;
        }
        open -= fixed;
    }
}

double virt_pps_per_core(const virt_cost *c, double core_hz, double pkt_bytes)
{
    double cycles = c->cycles_per_packet + c->cycles_per_byte * pkt_bytes;
    return cycles > 0 ? core_hz / cycles : INFINITY;
}
