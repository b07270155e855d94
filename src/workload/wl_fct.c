/* wl_fct.c -- see wl_fct.h. */
#include "workload/wl_fct.h"

#include <math.h>
#include <stdlib.h>

double wl_startup_s(double size_bytes, double rate_Bps, double rtt_s, double w0_bytes)
{
    if (!(w0_bytes > 0) || !(rtt_s > 0) || !(rate_Bps > 0))
        return 0;
    double bdp = rate_Bps * rtt_s;
    if (w0_bytes >= bdp)
        return 0;
    double k = ceil(log2(bdp / w0_bytes));
    double in_rounds = w0_bytes * (exp2(k) - 1);
    if (size_bytes > in_rounds)
        return k * rtt_s - in_rounds / rate_Bps;
    double j = ceil(log2(size_bytes / w0_bytes + 1));
    /* log2 rounding can land a whole window off: settle on the first j
     * whose windows hold the flow */
    while (j > 1 && w0_bytes * (exp2(j - 1) - 1) >= size_bytes)
        j--;
    while (w0_bytes * (exp2(j) - 1) < size_bytes)
        j++;
    double before = w0_bytes * (exp2(j - 1) - 1);
    double t = (j - 1) * rtt_s + (size_bytes - before) / rate_Bps - size_bytes / rate_Bps;
    return t > 0 ? t : 0;
}

double wl_wire_bytes(double payload_bytes, double mss_bytes)
{
    if (!(payload_bytes > 0))
        return 0;
    return payload_bytes + ceil(payload_bytes / mss_bytes) * WL_SEG_HEADER_BYTES;
}

double wl_ideal_fct_s(double size_bytes, double rate_Bps, double one_way_s, double rtt_s,
                      double w0_bytes)
{
    return size_bytes / rate_Bps + one_way_s + wl_startup_s(size_bytes, rate_Bps, rtt_s, w0_bytes);
}

double wl_standing_queue_bytes(double buffer_bytes, double bdp_bytes, double n_others)
{
    if (!(n_others >= 1) || !(buffer_bytes > 0))
        return 0;
    double low = buffer_bytes - (bdp_bytes + buffer_bytes) / (2 * n_others);
    return ((low > 0 ? low : 0) + buffer_bytes) / 2;
}

double wl_fct_s(double size_bytes, double transfer_s, double one_way_s, double rtt_s,
                double w0_bytes, double queue_s)
{
    double share = transfer_s > 0 ? size_bytes / transfer_s : INFINITY;
    double up = isfinite(share) ? wl_startup_s(size_bytes, share, rtt_s + queue_s, w0_bytes) : 0;
    return transfer_s + one_way_s + queue_s + up;
}

int wl_bucket_of(double size_bytes)
{
    if (!(size_bytes >= 100))
        return 0;
    double b = 1 + floor(2 * (log10(size_bytes) - 2) + 1e-12);
    return b >= WL_N_BUCKETS - 1 ? WL_N_BUCKETS - 1 : (int)b;
}

double wl_bucket_lo(int b)
{
    return b == 0 ? 0 : pow(10, 2 + (b - 1) / 2.0);
}

double wl_bucket_hi(int b)
{
    return b >= WL_N_BUCKETS - 1 ? INFINITY : pow(10, 2 + b / 2.0);
}

/* bin i holds [1.005^i, 1.005^(i+1)); below 1 goes to bin 0 */
#define HIST_BASE 1.005

int wl_hist_add(wl_hist *h, double v)
{
    if (!h->bins && !(h->bins = calloc(WL_HIST_BINS, sizeof *h->bins)))
        return -1;
    double i = v > 1 ? floor(log(v) / log(HIST_BASE)) : 0;
    size_t bin = i >= WL_HIST_BINS - 1 ? WL_HIST_BINS - 1 : (size_t)i;
    h->bins[bin]++;
    h->n++;
    h->sum += v;
    if (h->n == 1 || v > h->max)
        h->max = v;
    return 0;
}

double wl_hist_quantile(const wl_hist *h, double q)
{
    if (h->n == 0 || !h->bins)
        return NAN;
    uint64_t rank = (uint64_t)ceil(q * (double)h->n - 1e-9);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < WL_HIST_BINS; i++) {
        seen += h->bins[i];
        if (seen >= rank) {
            return fmin(pow(HIST_BASE, (double)i + 0.5), h->max);
        }
    }
    return h->max;
}

void wl_hist_free(wl_hist *h)
{
    free(h->bins);
    h->bins = NULL;
}
