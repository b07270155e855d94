/* latency.h -- analytic per-packet latency of a fluid flow.
 *
 * Traffic is fluid (one SimGrid transfer per flow), so per-packet latency is
 * not observed; it is computed here from the flow's route. Each hop h is an
 * M/G/1 FIFO queue with a finite buffer; the flow's one-way latency is
 *
 *   T = fixed_s + sum_h (latency_s_h + 8*size/capacity_bps_h + W_h)
 *
 * where size is one draw from the flow's packet size distribution (the same
 * packet has the same size at every hop) and the W_h are independent.
 * docs/latency-model.md derives everything below and gives its errors.
 *
 * Units: seconds, bytes, bits per second; utilisation is a fraction 0..1.
 *
 * Per-hop wait model (lat_hop_wait):
 *   S = 8*size/capacity_bps,  rho = utilisation clamped to [0, LAT_RHO_MAX].
 *   Pollaczek-Khinchine mean wait (Kleinrock, Queueing Systems Vol. 1,
 *   1975, ch. 5; Tijms, A First Course in Stochastic Models, 2003):
 *       W_pk = rho * E[S^2] / (2 * E[S] * (1 - rho))
 *   Distribution (the exponential approximation of the M/G/1 wait, exact
 *   for M/M/1): P(W > 0) = rho and, given that a packet waits, its wait is
 *   exponential with mean theta = W_pk / rho. The true M/G/1 tail is
 *   asymptotically exponential (Tijms 2003, M/G/1 waiting-time tail);
 *   matching the mean and P(W > 0) is the usual two-moment fit.
 *   Finite buffer: a packet never waits longer than the hop's buffer takes
 *   to drain, cap = 8*buffer_bytes/capacity_bps. The conditional wait is the
 *   exponential truncated to [0, cap] and renormalised -- the way M/M/1/K's
 *   stationary law is M/M/1's, truncated (Kleinrock Vol. 1, ch. 3). As
 *   rho -> 1 it tends to uniform on [0, cap], so a saturated hop
 *   (utilisation >= 1, possible when a fluid link is exactly full) has a
 *   finite wait of mean ~cap/2. The conditional mean is
 *   theta - cap/expm1(cap/theta): within 1e-6 relative of theta (so E[W] of
 *   W_pk) whenever cap >= 17*theta, e.g. every hop below 98 % load with the
 *   default 1 MiB buffer and 1500-byte packets.
 *   Arrivals: where a hop can queue, the aggregate there is taken as
 *   Poisson whatever the flows' arrivals_t (superposition of many flows: the
 *   Palm-Khintchine theorem). Whether it can queue at all is the caller's
 *   (latency_feed.h: a lone constant-rate flow, or a hop fed by slower
 *   links, gets utilisation 0 for its wait). On-off sources: the
 *   Markov-modulated queue (lat_onoff_law, metrics/mmpp.h) or the fluid
 *   queue; see docs/latency-model.md.
 *
 * Sum over hops: computed exactly for the mean. Percentiles are inverted
 * from the distribution of sum_h W_h, discretised on a LAT_GRID_POINTS grid
 * (each hop's law binned exactly, then convolved by an O(grid) recursion),
 * mixed over packet-size classes. Deterministic, no randomness. Measured
 * against closed forms (1..16 hops, rho 0.2..0.9): percentiles within
 * 3.5e-4 relative. Since T is a mixture over sizes of (constant + W), the
 * law reported is the mixture's, binned into the log histogram of
 * util/lhist.h (its CDF evaluated at every bin edge); the percentiles are
 * read from that histogram, so they are within its 2 % bins of the
 * mixture's and agree exactly with the histogram stored in the results.
 *
 * Ownership: nothing here allocates memory that outlives a call; a lat_acc
 * is a value the caller embeds (e.g. one per flow) and frees with
 * lat_acc_free.
 * Error returns: 0 on success, -EINVAL for bad arguments, -ENOMEM.
 */
#ifndef SRIOV_LATENCY_H
#define SRIOV_LATENCY_H

#include <stddef.h>

#include "scenario/config.h"
#include "util/lhist.h"

#define LAT_MAX_HOPS 16                 /* longest route supported */
#define LAT_DEFAULT_BUFFER_BYTES 1048576.0 /* 1 MiB when a hop gives 0 */
#define LAT_RHO_MAX (1.0 - 1e-6)        /* utilisation clamp (saturation) */
#ifndef LAT_GRID_POINTS
#define LAT_GRID_POINTS 512             /* discretisation of sum of waits */
#endif
#ifndef LAT_ACC_CLUSTERS
#define LAT_ACC_CLUSTERS 8              /* route states kept per flow */
#endif

typedef struct lat_hop {
    double capacity_bps;    /* > 0, finite */
    double latency_s;       /* propagation, >= 0 */
    double utilisation;     /* total load of all flows on the hop over the
                             * interval / capacity; clamped to [0,1], not NaN */
    double buffer_bytes;    /* 0 = LAT_DEFAULT_BUFFER_BYTES; INFINITY = no cap */
    /* On/off sources crossing the hop in the interval (all 0: none), as
     * one two-state source (lat_onoff_law; docs/latency-model.md): */
    double onoff_bps;       /* their mean rate, part of utilisation */
    double onoff_peak_bps;  /* their summed rate while on */
    double on_mean_s;       /* mean on and off periods (exponential) */
    double off_mean_s;
    int self_onoff;         /* the flow is one of them: its packets come
                             * only while on */
    /* tandem_p > 0: the hop cannot outrun-queue but its size mix waits
     * (tandem.h); P(W > 0) and the mean of the exponential given W > 0
     * replace the M/G/1 law (utilisation is then ignored for the wait). */
    double tandem_p;
    double tandem_theta_s;
    /* mix_m1 > 0: the size moments (bytes, bytes^2) of every packet the
     * hop serves (sim/hop_mix.h); the M/G/1 wait uses them instead of the
     * flow's own, as a FIFO makes every packet wait the same law. 0: the
     * flow's own (it is alone, or all flows there have its sizes). */
    double mix_m1;
    double mix_m2;
} lat_hop;

typedef struct lat_stats {
    double mean_s;          /* exact under the model */
    double p50_s;           /* inf{t : P(T <= t) >= 0.5} */
    double p99_s;
    double p999_s;
} lat_stats;

/* One hop's wait law: P(W = 0) = 1 - p_wait; given W > 0, W is exponential
 * with mean theta_s truncated to [0, cap_s] and renormalised. */
typedef struct lat_wait {
    double p_wait;          /* rho */
    double theta_s;         /* E[S^2] / (2 E[S] (1 - rho)) */
    double cap_s;           /* 8 * buffer_bytes / capacity_bps, may be INFINITY */
    double mean_s;          /* E[W] of this law */
} lat_wait;

/* Moments of the packet size law: m1 = E[size] (bytes), m2 = E[size^2]
 * (bytes^2). Weights are normalised here (need not sum to 1, must sum > 0);
 * sizes must be > 0. */
int lat_size_moments(const pkt_size *sizes, size_t n_sizes,
                     double *m1, double *m2);

/* The wait law of one hop for packets with size moments m1, m2. */
int lat_hop_wait(const lat_hop *hop, double m1, double m2, lat_wait *out);

/* A hop crossed by an on/off aggregate (hop->onoff_bps > 0): its wait law
 * for the flow's packets as up to two exponential components (p_wait,
 * theta_s each; mean_s is the mixture's), sharing cap_s. The load while
 * on is rho_on = rho + (peak - mean)/C. When rho_on < 1: the MMPP(2)
 * queue (metrics/mmpp.h, exact for exponential service; the source's
 * constant spacing while on and the service law enter by the diffusion
 * scaling of docs/latency-model.md); the flow's own packets (self_onoff)
 * see the on phase, others the time-stationary law.
 * When rho_on >= 1 the on periods overflow: the exponential on/off fluid
 * queue (Anick, Mitra, Sondhi 1982, one source; Kosten 1974) served at
 * C' = C - background: given on, the content is exponential with rate
 * z = 1/(on (R - C')) - 1/(off C'), and P(content > 0) = r/C' over time.
 * Returns the number of components (1 or 2); 0 and *out untouched when
 * the hop has no on/off aggregate or it cannot build a fluid queue
 * (mean >= C'): then lat_hop_wait's law holds. */
int lat_onoff_law(const lat_hop *hop, double m1, double m2, lat_wait out[2]);

/* P(W > t) and inf{t : P(W <= t) >= p} of one hop's law, closed form. */
double lat_wait_ccdf(const lat_wait *w, double t_s);
double lat_wait_quantile(const lat_wait *w, double p);

/* Latency of a flow over n_hops <= LAT_MAX_HOPS hops at constant load.
 * fixed_s: per-packet costs from other models (PCIe round trips, ...).
 * Cost: O(n_hops * LAT_GRID_POINTS + n_sizes * log). */
int latency_stats(const lat_hop *hops, size_t n_hops,
                  const pkt_size *sizes, size_t n_sizes,
                  arrivals_t arrivals, double fixed_s, lat_stats *out);

/* Streaming accumulator: a flow whose hop loads change over time gets the
 * packet-weighted mixture over sample intervals of the WHOLE ROUTE's law in
 * each interval (the convolution of the hops' laws of that interval), so
 * hops that are busy together and idle together stay correlated.
 * Intervals are grouped into at most LAT_ACC_CLUSTERS route states
 * ("clusters"); intervals with identical loads share one with no loss.
 * One interval too many merges the pair (point or cluster) of least Ward
 * cost, the distance being the per-hop mean waits and the no-wait base
 * relative to the pair's total latency, so busy and idle periods never
 * merge while a few distinct states exist. Inside a cluster, hop h keeps
 * weight = sum packets*rho and the weight-averaged theta and theta^2
 * (rebuilt as a two-point law of theta) and the weight-averaged cap.
 * Exact: the mean, always; percentiles when the route saw at most
 * LAT_ACC_CLUSTERS distinct load states. docs/latency-model.md gives the
 * measured errors otherwise.
 * Ownership: the per-hop state is on the heap (grown as clusters appear);
 * lat_acc_free releases it. Do not copy a lat_acc that has had an add.
 * Fields are private. */
typedef struct lat_slot {
    double weight;          /* sum of packets * rho */
    double theta_s;         /* weight-averaged theta */
    double theta2_s2;       /* weight-averaged theta^2 */
    double cap_wsum;        /* sum of weight * cap_s */
} lat_slot;

typedef struct lat_cluster {
    double packets;         /* sum of packets */
    double wait_sum;        /* sum of packets * mean total wait (s) */
    double fixed_sum;       /* sum of packets * fixed_s */
    double prop_sum;        /* sum of packets * sum_h latency_s */
    double inv_cap_sum;     /* sum of packets * sum_h 1/capacity (s/bit) */
} lat_cluster;

typedef struct lat_acc {
    unsigned n_cl;          /* clusters in use */
    unsigned cl_alloc;      /* clusters the slot block holds */
    unsigned n_slots;       /* slots per cluster (most hops seen) */
    lat_cluster cl[LAT_ACC_CLUSTERS];
    lat_slot *slot;         /* heap, [cl_alloc][n_slots] */
} lat_acc;

void lat_acc_init(lat_acc *acc);
void lat_acc_free(lat_acc *acc);

/* Fold one interval in: the flow's hops and their loads over the interval,
 * its size law and arrivals (the same at every call for one flow), the
 * fixed per-packet cost, and the flow's packets in the interval (>= 0; 0 is
 * a no-op). Cost O(n_hops * LAT_ACC_CLUSTERS^2) once the clusters are
 * all in use, O(n_hops * LAT_ACC_CLUSTERS) before. -ENOMEM possible. */
int lat_acc_add(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                const pkt_size *sizes, size_t n_sizes, arrivals_t arrivals,
                double fixed_s, double packets);
/* The same with the size law given by its moments (lat_size_moments), for
 * a caller that folds one flow in at every sample interval and keeps them. */
int lat_acc_add_moments(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                        double m1, double m2, double fixed_s, double packets);

/* Statistics of everything added; sizes as given to lat_acc_add. With no
 * packets added, every field of *out is NaN ("not applicable"). The
 * percentiles are those of the law binned into the log histogram of
 * util/lhist.h (within its 2 % bins of the law's own; mean exact). */
int lat_acc_stats(const lat_acc *acc, const pkt_size *sizes, size_t n_sizes,
                  lat_stats *out);
/* The same, and the histogram itself into *hist (emptied first, the
 * caller frees it; packets as added): the flow's stored distribution. */
int lat_acc_stats_hist(const lat_acc *acc, const pkt_size *sizes,
                       size_t n_sizes, lat_stats *out, lhist *hist);

#endif
