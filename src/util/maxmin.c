/* maxmin.c -- see maxmin.h. */
#include "util/maxmin.h"

#include <math.h>

double maxmin_total_want(maxmin_want_fn want, const void *items, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += want(items, i);
    return sum;
}

void maxmin_fill(maxmin_want_fn want, const void *items, size_t n, double left, double *alloc)
{
    while (left > 0) {
        size_t hungry = 0;
        double room = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double r = want(items, i) - alloc[i];
            if (r > 0) {
                hungry++;
                room = fmin(room, r);
            }
        }
        if (hungry == 0)
            return;
        double step = fmin(room, left / (double)hungry);
        for (size_t i = 0; i < n; i++)
            if (want(items, i) - alloc[i] > 0)
                alloc[i] += step;
        left -= step * (double)hungry;
        if (step < room)
            return;     /* the capacity ran out before anyone filled up */
    }
}

int maxmin_share(maxmin_want_fn want, const void *items, size_t n, double capacity,
                 double *alloc)
{
    if (maxmin_total_want(want, items, n) <= capacity) {
        for (size_t i = 0; i < n; i++)
            alloc[i] = want(items, i);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        alloc[i] = 0;
    maxmin_fill(want, items, n, capacity, alloc);
    return 1;
}
