/* wl_fct.c -- see wl_fct.h. */
#include "workload/wl_fct.h"

#include <math.h>
#include <stdlib.h>

double wl_ss_exit_bytes(double rtt_s, double seg_bytes)
{
    return seg_bytes > 0 && rtt_s > 0 && rtt_s < WL_HYSTART_ACK_DELTA_S
               ? WL_HYSTART_LOW_WINDOW * seg_bytes
               : 0;
}

/* The window of round j + 1 after a round of w bytes: doubling in slow
 * start; from the first round at or above exit_bytes (not the first round:
 * the exit is seen at the next round's first ACK), CUBIC's clamped growth. */
static double next_window(double w, double round, double exit_bytes)
{
    int in_ss = !(exit_bytes > 0) || w < exit_bytes || round == 0;
    return in_ss ? 2 * w : w * WL_CUBIC_CLAMP_GROWTH;
}

double wl_startup_s(double size_bytes, double rate_Bps, double rtt_s, double w0_bytes,
                    double exit_bytes)
{
    if (!(w0_bytes > 0) || !(rtt_s > 0) || !(rate_Bps > 0))
        return 0;
    double bdp = rate_Bps * rtt_s;
    if (w0_bytes >= bdp)
        return 0;
    /* round j sends a window w_j < rate x RTT and waits an RTT; the first
     * window >= rate x RTT keeps the path busy: the flow runs at its share.
     * A flow that ends in round j (its bytes within w_0 + ... + w_j) takes
     * j RTT + (size - sent before) / rate. Windows grow at least 5 % a
     * round, and the 5 % only under a 2 ms RTT: a few hundred rounds at
     * most (4096 is a guard). */
    double sent = 0, w = w0_bytes, rounds = 0;
    while (w < bdp && sent + w < size_bytes && rounds < 4096) {
        sent += w;
        w = next_window(w, rounds, exit_bytes);
        rounds++;
    }
    /* still below rate x RTT: it ends in round rounds + 1 (written as the
     * difference of its two times, as before the early exit: same bits) */
    double t = w < bdp ? rounds * rtt_s + (size_bytes - sent) / rate_Bps - size_bytes / rate_Bps
                       : rounds * rtt_s - sent / rate_Bps;
    return t > 0 ? t : 0;
}

double wl_wire_bytes(double payload_bytes, double mss_bytes)
{
    if (!(payload_bytes > 0))
        return 0;
    return payload_bytes + ceil(payload_bytes / mss_bytes) * WL_SEG_HEADER_BYTES;
}

double wl_ideal_fct_s(double size_bytes, double rate_Bps, double one_way_s, double rtt_s,
                      double w0_bytes, double hystart_seg_bytes)
{
    return size_bytes / rate_Bps + one_way_s +
           wl_startup_s(size_bytes, rate_Bps, rtt_s, w0_bytes, wl_ss_exit_bytes(rtt_s, hystart_seg_bytes));
}

double wl_standing_queue_bytes(double buffer_bytes, double bdp_bytes, double n_others)
{
    if (!(n_others >= 1) || !(buffer_bytes > 0))
        return 0;
    double low = buffer_bytes - (bdp_bytes + buffer_bytes) / (2 * n_others);
    return ((low > 0 ? low : 0) + buffer_bytes) / 2;
}

double wl_fct_s(double size_bytes, double transfer_s, double one_way_s, double rtt_s,
                double w0_bytes, double hystart_seg_bytes, double queue_s)
{
    double share = transfer_s > 0 ? size_bytes / transfer_s : INFINITY;
    double rtt = rtt_s + queue_s;
    double up = isfinite(share) ? wl_startup_s(size_bytes, share, rtt, w0_bytes,
                                               wl_ss_exit_bytes(rtt, hystart_seg_bytes))
                                : 0;
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
