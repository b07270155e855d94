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
 *   Arrivals: the aggregate at a shared hop is taken as Poisson whatever the
 *   flow's own arrivals_t (superposition of many flows: the Palm-Khintchine
 *   theorem).
 *   For constant (CBR) sources this over-estimates waits (N*D/D/1 waits less
 *   than M/D/1): the conservative side. For on-off sources it can
 *   under-estimate them; see docs/latency-model.md.
 *
 * Sum over hops: computed exactly for the mean. Percentiles are inverted
 * from the distribution of sum_h W_h, discretised on a LAT_GRID_POINTS grid
 * (each hop's law binned exactly, then convolved by an O(grid) recursion),
 * mixed over packet-size classes. Deterministic, no randomness. Measured
 * against closed forms (1..16 hops, rho 0.2..0.9): percentiles within
 * 3.5e-4 relative. Since T is a mixture over sizes of (constant + W), the
 * quantiles are those of the mixture, found by bisection (to 1e-7).
 *
 * Ownership: nothing here allocates memory that outlives a call; a lat_acc
 * is a plain value the caller embeds (e.g. one per flow) and may copy.
 * Error returns: 0 on success, -EINVAL for bad arguments, -ENOMEM.
 */
#ifndef SRIOV_LATENCY_H
#define SRIOV_LATENCY_H

#include <stddef.h>

#include "scenario/config.h"

#define LAT_MAX_HOPS 16                 /* longest route supported */
#define LAT_DEFAULT_BUFFER_BYTES 1048576.0 /* 1 MiB when a hop gives 0 */
#define LAT_RHO_MAX (1.0 - 1e-6)        /* utilisation clamp (saturation) */
#ifndef LAT_GRID_POINTS
#define LAT_GRID_POINTS 512             /* discretisation of sum of waits */
#endif
#ifndef LAT_ACC_STATES
#define LAT_ACC_STATES 4                /* wait laws kept per hop slot */
#endif

typedef struct lat_hop {
    double capacity_bps;    /* > 0, finite */
    double latency_s;       /* propagation, >= 0 */
    double utilisation;     /* total load of all flows on the hop over the
                             * interval / capacity; clamped to [0,1], not NaN */
    double buffer_bytes;    /* 0 = LAT_DEFAULT_BUFFER_BYTES; INFINITY = no cap */
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
 * packet-weighted mixture over sample intervals. ~1.7 KiB, no heap.
 * Hop h of each interval is folded into slot h (a route change, e.g. after
 * a migration, simply reuses the slots). A slot keeps up to LAT_ACC_STATES
 * wait laws (weight = packets*rho, mean and mean square of theta); one law
 * too many merges the adjacent pair of least Ward cost, keeping the first
 * two moments of theta, and lat_acc_stats rebuilds a merged law as a
 * two-point law of theta with those moments. Caps are averaged per slot;
 * fixed_s, propagation and 1/capacity are packet-weighted averages.
 * Exact: the mean, always. Exact also for percentiles when the route and
 * capacities are fixed and each slot saw at most LAT_ACC_STATES distinct
 * loads, up to the loss of cross-hop correlation over time (slots are
 * convolved as independent mixtures). Measured: 200 distinct loads on one
 * hop, p99/p999 within 2.5 % of the exact mixture. docs/latency-model.md.
 * Fields are private. */
typedef struct lat_state {
    double weight;          /* sum of packets * rho */
    double theta_s;         /* weight-averaged theta */
    double theta2_s2;       /* weight-averaged theta^2 */
} lat_state;

typedef struct lat_acc {
    double packets;         /* sum of packets */
    double wait_sum;        /* sum of packets * mean total wait (s) */
    double fixed_sum;       /* sum of packets * fixed_s */
    double prop_sum;        /* sum of packets * sum_h latency_s */
    double inv_cap_sum;     /* sum of packets * sum_h 1/capacity (s/bit) */
    unsigned n_slots;       /* most hops seen in one interval */
    unsigned char n_states[LAT_MAX_HOPS];
    double cap_wsum[LAT_MAX_HOPS];  /* sum of weight * cap_s per slot */
    lat_state state[LAT_MAX_HOPS][LAT_ACC_STATES];
} lat_acc;

void lat_acc_init(lat_acc *acc);

/* Fold one interval in: the flow's hops and their loads over the interval,
 * its size law and arrivals (the same at every call for one flow), the
 * fixed per-packet cost, and the flow's packets in the interval (>= 0; 0 is
 * a no-op). Cost O(n_hops * LAT_ACC_STATES). */
int lat_acc_add(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                const pkt_size *sizes, size_t n_sizes, arrivals_t arrivals,
                double fixed_s, double packets);
/* The same with the size law given by its moments (lat_size_moments), for
 * a caller that folds one flow in at every sample interval and keeps them. */
int lat_acc_add_moments(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                        double m1, double m2, double fixed_s, double packets);

/* Statistics of everything added; sizes as given to lat_acc_add. With no
 * packets added, every field of *out is NaN ("not applicable"). */
int lat_acc_stats(const lat_acc *acc, const pkt_size *sizes, size_t n_sizes,
                  lat_stats *out);

#endif
