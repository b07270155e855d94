/* lhist.h -- a latency histogram with bounded relative error: log-spaced
 * bins in the style of HdrHistogram (G. Tene, hdrhistogram.org), one fixed
 * layout for the whole project, so histograms from any run add bin by bin.
 *
 * Layout (LHIST_LAYOUT, docs/results.md "Latency histograms"):
 *   bin 0                  [0, 1 ns)                  underflow
 *   bin i, 1..1164         [1 ns * r^(i-1), 1 ns * r^i),  r = 1.02
 *   bin 1165               [1 ns * r^1164 (~10.03 s), inf) overflow
 * A log bin is 2 % wide, so its geometric middle is within 1 % of any
 * value in it; a percentile (lhist_quantile) is interpolated inside the
 * bin on a log scale and clamped to the recorded [min_s, max_s], so it is
 * within 2 % of the true one whatever the law, and far closer for a
 * smooth one. 1 ns..10 s covers every latency the simulator computes
 * (the largest is a full 1 GiB buffer draining at 1 Gbit/s: 8.6 s).
 *
 * Counts are real numbers: packets (the flow model weights its analytic
 * law by the packets it carried, so a bin can hold 12.7 packets). Only the
 * run of bins from the first to the last non-empty one is held (sparse
 * storage: a flow's law spans tens to hundreds of the 1166 bins).
 *
 * Units: seconds; counts in packets. Ownership: an lhist is a value the
 * caller owns; counts is on the heap, lhist_free releases it. Error
 * returns: 0, -EINVAL, -ENOMEM.
 */
#ifndef SRIOV_LHIST_H
#define SRIOV_LHIST_H

#include <stddef.h>
#include <stdint.h>

#define LHIST_LAYOUT "log1.02-1ns-v1"  /* the layout's name (docs) */
#define LHIST_MIN_S 1e-9               /* lower edge of bin 1 */
#define LHIST_RATIO 1.02               /* width of a log bin */
#define LHIST_LOG_BINS 1164            /* ln(1e10) / ln(1.02), rounded up */
#define LHIST_BINS (LHIST_LOG_BINS + 2) /* with the underflow and overflow */

typedef struct lhist {
    int32_t first;          /* bin of counts[0] */
    uint32_t n;             /* bins held (0: empty) */
    double *counts;         /* [n] packets per bin, heap */
    double total;           /* sum of the counts */
    double sum_s;           /* sum of count * latency: exact mean = sum/total */
    double min_s;           /* smallest recorded latency (NaN: empty) */
    double max_s;           /* largest (NaN: empty) */
    uint32_t cap;           /* counts allocated */
} lhist;

void lhist_init(lhist *h);
void lhist_free(lhist *h);

/* The bin holding x_s (>= 0; NaN and negatives go to bin 0). */
int lhist_bin(double x_s);
/* Lower and upper edges of bin b (0 .. LHIST_BINS-1); the overflow's upper
 * edge is INFINITY. */
double lhist_lo_s(int b);
double lhist_hi_s(int b);

/* Record weight packets (>= 0, finite) at latency x_s (>= 0, finite):
 * bin, total, sum, min and max. */
int lhist_add(lhist *h, double x_s, double weight);
/* Add weight packets to bin b only (the caller keeps sum_s, min_s and
 * max_s: for a law binned from its CDF). */
int lhist_add_bin(lhist *h, int b, double weight);
/* dst += src: bins, totals, sums; min and max of both. */
int lhist_merge(lhist *dst, const lhist *src);

/* inf{t : P(T <= t) >= p}, p in [0, 1], from the bins: the bin where the
 * cumulative count reaches p * (sum of counts), the point inside it at that
 * fraction of its count on a log scale (linear in the underflow), the bin
 * being first cut to [min_s, max_s] when they are finite (so a point mass
 * answers its point, and no percentile leaves the recorded range). NaN for an empty histogram or a p outside [0, 1]. Depends only
 * on (first, n, counts, min_s, max_s): a reader that has these from the
 * file gets the writer's value bit for bit. */
double lhist_quantile(const lhist *h, double p);
/* sum_s / total; NaN when empty. */
double lhist_mean(const lhist *h);

/* A histogram read from a file, checked before use: bins inside the
 * layout, counts finite and >= 0, total the sum of the counts (to 1e-9
 * relative), min_s <= max_s inside the first and last non-empty bins'
 * edges (to 1e-9), NaN min/max only when empty. 0 when sound, else
 * -EINVAL and *why says what is wrong (static text). */
int lhist_check(int64_t first, int64_t n, const double *counts, double total,
                double min_s, double max_s, const char **why);

#endif
