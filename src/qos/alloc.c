/* alloc.c -- see alloc.h. */
#include "qos/alloc.h"

#include <math.h>

#include "util/maxmin.h"

static double want_of(const qos_claim *c)
{
    return fmin(c->demand_Bps, c->max_Bps);
}

/* maxmin_want_fn over the claims. */
static double claim_want(const void *claims, size_t i)
{
    return want_of(&((const qos_claim *)claims)[i]);
}

int qos_allocate(const qos_claim *claims, size_t n, double capacity_Bps, double *alloc_Bps)
{
    if (maxmin_total_want(claim_want, claims, n) <= capacity_Bps) {
        for (size_t i = 0; i < n; i++)
            alloc_Bps[i] = want_of(&claims[i]);
        return 0;
    }
    double floors = 0;
    for (size_t i = 0; i < n; i++) {
        alloc_Bps[i] = fmin(want_of(&claims[i]), claims[i].min_Bps);
        floors += alloc_Bps[i];
    }
    if (floors >= capacity_Bps) {
        double scale = floors > 0 ? capacity_Bps / floors : 0;
        for (size_t i = 0; i < n; i++)
            alloc_Bps[i] *= scale;
        return 1;
    }
    maxmin_fill(claim_want, claims, n, capacity_Bps - floors, alloc_Bps);
    return 1;
}
