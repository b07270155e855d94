/* alloc.c -- see alloc.h. */
#include "qos/alloc.h"

#include <math.h>

static double want_of(const qos_claim *c)
{
    return fmin(c->demand_Bps, c->max_Bps);
}

/* Equal-weight water filling of `left` among VFs below their want. */
static void share_rest(const qos_claim *claims, size_t n, double left, double *alloc)
{
    while (left > 0) {
        size_t hungry = 0;
        double room = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double r = want_of(&claims[i]) - alloc[i];
            if (r > 0) {
                hungry++;
                room = fmin(room, r);
            }
        }
        if (hungry == 0)
            return;
        double step = fmin(room, left / (double)hungry);
        for (size_t i = 0; i < n; i++)
            if (want_of(&claims[i]) - alloc[i] > 0)
                alloc[i] += step;
        left -= step * (double)hungry;
        if (step < room)
            return;     /* the capacity ran out before anyone filled up */
    }
}

int qos_allocate(const qos_claim *claims, size_t n, double capacity_Bps, double *alloc_Bps)
{
    double wants = 0;
    for (size_t i = 0; i < n; i++)
        wants += want_of(&claims[i]);
    if (wants <= capacity_Bps) {
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
    share_rest(claims, n, capacity_Bps - floors, alloc_Bps);
    return 1;
}
