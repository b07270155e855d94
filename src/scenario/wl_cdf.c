/* wl_cdf.c -- flow-size laws of workloads (workload_config.h): sampling,
 * the CDF, the mean; and freeing a workload_config. */
#include <math.h>
#include <stdlib.h>

#include "scenario/workload_config.h"

/* First i with p[i] >= u (p non-decreasing). */
static size_t first_at_least(const wl_cdf *c, double u)
{
    size_t lo = 0, hi = c->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->p[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

double wl_cdf_sample(const wl_cdf *c, double u)
{
    size_t i = first_at_least(c, u);
    double x;
    if (i == 0 || c->p[i] <= c->p[i - 1]) {
        x = c->size_bytes[i];
    } else {
        double f = (u - c->p[i - 1]) / (c->p[i] - c->p[i - 1]);
        x = c->size_bytes[i - 1] + f * (c->size_bytes[i] - c->size_bytes[i - 1]);
    }
    x = round(x);
    return x < 1 ? 1 : x;
}

double wl_cdf_at(const wl_cdf *c, double x)
{
    if (x < c->size_bytes[0])
        return 0;
    for (size_t i = 1; i < c->n; i++)
        if (x < c->size_bytes[i])
            return c->p[i - 1] + (c->p[i] - c->p[i - 1]) * (x - c->size_bytes[i - 1]) /
                                     (c->size_bytes[i] - c->size_bytes[i - 1]);
    return 1;
}

double wl_mean_size_bytes(const workload_config *w)
{
    return w->size_kind == WL_SIZE_FIXED ? w->size_bytes : w->cdf.mean_bytes;
}

double wl_draw_size_bytes(const workload_config *w, double u)
{
    return w->size_kind == WL_SIZE_FIXED ? w->size_bytes : wl_cdf_sample(&w->cdf, u);
}

static void free_selector(wl_selector *s)
{
    for (size_t i = 0; i < s->n_patterns; i++)
        free(s->patterns[i]);
    free(s->patterns);
    free(s->tag);
}

void workload_config_free(workload_config *w)
{
    free(w->name);
    free_selector(&w->from);
    free_selector(&w->to);
    free(w->senders);
    free(w->receivers);
    free(w->size_source);
    free(w->cdf.size_bytes);
    free(w->cdf.p);
}
