/* lhist.c -- the log-bucketed latency histogram; see lhist.h. */
#include "util/lhist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void lhist_init(lhist *h)
{
    memset(h, 0, sizeof *h);
    h->min_s = h->max_s = NAN;
}

void lhist_free(lhist *h)
{
    if (!h)
        return;
    free(h->counts);
    lhist_init(h);
}

double lhist_lo_s(int b)
{
    if (b <= 0)
        return 0;
    return LHIST_MIN_S * pow(LHIST_RATIO, b - 1);
}

double lhist_hi_s(int b)
{
    if (b >= LHIST_BINS - 1)
        return INFINITY;
    return LHIST_MIN_S * pow(LHIST_RATIO, b);
}

int lhist_bin(double x_s)
{
    if (!(x_s >= LHIST_MIN_S))
        return 0;
    double l = floor(log(x_s / LHIST_MIN_S) / log(LHIST_RATIO));
    if (l >= LHIST_LOG_BINS)
        return LHIST_BINS - 1;
    int b = 1 + (int)l;
    /* The edges are what lhist_lo_s says: settle a rounding at an edge. */
    if (x_s < lhist_lo_s(b))
        b--;
    else if (x_s >= lhist_hi_s(b))
        b++;
    return b;
}

/* Make bins [lo, hi] part of the held run (zeros where new). */
static int cover(lhist *h, int lo, int hi)
{
    if (h->n && lo >= h->first && hi < h->first + (int)h->n)
        return 0;
    int nlo = h->n && h->first < lo ? h->first : lo;
    int nhi = h->n && h->first + (int)h->n - 1 > hi ? h->first + (int)h->n - 1 : hi;
    uint32_t nn = (uint32_t)(nhi - nlo + 1);
    if (nn > h->cap || nlo != h->first) {
        uint32_t cap = nn > h->cap ? (nn > 2 * h->cap ? nn : 2 * h->cap) : h->cap;
        if (cap > LHIST_BINS)
            cap = LHIST_BINS;
        double *c = calloc(cap, sizeof *c);
        if (!c)
            return -ENOMEM;
        if (h->n)
            memcpy(c + (h->first - nlo), h->counts, h->n * sizeof *c);
        free(h->counts);
        h->counts = c;
        h->cap = cap;
    }
    h->first = nlo;
    h->n = nn;
    return 0;
}

int lhist_add_bin(lhist *h, int b, double weight)
{
    if (!h || b < 0 || b >= LHIST_BINS || !(weight >= 0) || !isfinite(weight))
        return -EINVAL;
    if (weight == 0)
        return 0;
    int rc = cover(h, b, b);
    if (rc != 0)
        return rc;
    h->counts[b - h->first] += weight;
    h->total += weight;
    return 0;
}

int lhist_add(lhist *h, double x_s, double weight)
{
    if (!h || !(x_s >= 0) || !isfinite(x_s))
        return -EINVAL;
    int rc = lhist_add_bin(h, lhist_bin(x_s), weight);
    if (rc != 0 || weight == 0)
        return rc;
    h->sum_s += weight * x_s;
    h->min_s = isnan(h->min_s) ? x_s : fmin(h->min_s, x_s);
    h->max_s = isnan(h->max_s) ? x_s : fmax(h->max_s, x_s);
    return 0;
}

int lhist_merge(lhist *dst, const lhist *src)
{
    if (!dst || !src)
        return -EINVAL;
    if (src->n == 0)
        return 0;
    int rc = cover(dst, src->first, src->first + (int)src->n - 1);
    if (rc != 0)
        return rc;
    double *d = dst->counts + (src->first - dst->first);
    for (uint32_t i = 0; i < src->n; i++)
        d[i] += src->counts[i];
    dst->total += src->total;
    dst->sum_s += src->sum_s;
    /* fmin/fmax take the number over a NaN (an empty side). */
    dst->min_s = fmin(dst->min_s, src->min_s);
    dst->max_s = fmax(dst->max_s, src->max_s);
    return 0;
}

double lhist_quantile(const lhist *h, double p)
{
    if (!h || !(p >= 0 && p <= 1) || h->n == 0)
        return NAN;
    double sum = 0;
    for (uint32_t i = 0; i < h->n; i++)
        sum += h->counts[i];
    if (!(sum > 0))
        return NAN;
    /* The ends are known exactly when recorded. */
    if (p == 0 && isfinite(h->min_s))
        return h->min_s;
    if (p == 1 && isfinite(h->max_s))
        return h->max_s;
    double target = p * sum, seen = 0, t = NAN;
    uint32_t i = 0;
    /* The first non-empty bin whose cumulative count reaches the target
     * (the last non-empty one when rounding leaves it just short). */
    uint32_t last = 0;
    for (; i < h->n; i++) {
        if (!(h->counts[i] > 0))
            continue;
        last = i;
        if (seen + h->counts[i] >= target)
            break;
        seen += h->counts[i];
    }
    if (i == h->n)
        i = last;
    int b = h->first + (int)i;
    double frac = (target - seen) / h->counts[i];
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    /* The bin's part that holds values: its edges cut to [min_s, max_s]
     * (the first and last bins of a law rarely fill their 2 %). */
    double lo = lhist_lo_s(b), hi = lhist_hi_s(b);
    if (isfinite(h->min_s) && h->min_s > lo)
        lo = h->min_s;
    if (isfinite(h->max_s) && h->max_s < hi)
        hi = h->max_s;
    if (!(hi > lo))
        t = lo;
    else if (lo > 0 && isfinite(hi))
        t = lo * pow(hi / lo, frac);
    else if (isfinite(hi))
        t = hi * frac;                  /* underflow bin from 0: linear */
    else
        t = lo;                         /* overflow without a max */
    if (isfinite(h->min_s) && t < h->min_s)
        t = h->min_s;
    if (isfinite(h->max_s) && t > h->max_s)
        t = h->max_s;
    return t;
}

double lhist_mean(const lhist *h)
{
    return h && h->total > 0 ? h->sum_s / h->total : NAN;
}

int lhist_check(int64_t first, int64_t n, const double *counts, double total,
                double min_s, double max_s, const char **why)
{
    static const char *ok = "";
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = ok;
    if (n < 0 || first < 0 || first >= LHIST_BINS || n > LHIST_BINS - first) {
        *why = "bins outside the layout (first_bin, n_bins)";
        return -EINVAL;
    }
    if (n > 0 && !counts) {
        *why = "no counts";
        return -EINVAL;
    }
    double sum = 0;
    int64_t lo = -1, hi = -1;
    for (int64_t i = 0; i < n; i++) {
        if (!(counts[i] >= 0) || !isfinite(counts[i])) {
            *why = "a count is negative, infinite or NaN";
            return -EINVAL;
        }
        if (counts[i] > 0) {
            if (lo < 0)
                lo = i;
            hi = i;
        }
        sum += counts[i];
    }
    if (!isfinite(total) || fabs(total - sum) > 1e-9 * fmax(sum, 1e-300) + 1e-300) {
        *why = "packets is not the sum of the counts";
        return -EINVAL;
    }
    if (lo < 0) {
        if (!isnan(min_s) || !isnan(max_s)) {
            *why = "min_s/max_s given for an empty histogram";
            return -EINVAL;
        }
        return 0;
    }
    if (!(min_s <= max_s) || !(min_s >= lhist_lo_s((int)(first + lo)) * (1 - 1e-9)) ||
        !(max_s <= lhist_hi_s((int)(first + hi)) * (1 + 1e-9)) || !isfinite(max_s)) {
        *why = "min_s/max_s outside the non-empty bins";
        return -EINVAL;
    }
    return 0;
}
