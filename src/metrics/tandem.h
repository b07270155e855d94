/* tandem.h -- the wait at an equal-rate store-and-forward hop fed only by
 * one upstream hop, when packet sizes vary (exact under M/G/1 upstream).
 *
 * latency_feed.h gives a hop whose feeders cannot outrun it zero wait.
 * That holds for packets of one size; with a size mix a small packet sent
 * right behind a large one reaches the second hop while the large one is
 * still being sent there. Sample path (the same packet takes the same time
 * S at both hops, propagation constant; Lindley's recursion): packet n
 * waits at hop 2
 *
 *   W2(n) = max(0, M(n) - S_n),   M(n) = max_{j<n} ( S_j - I(j,n) )
 *
 * with I(j,n) the upstream hop's idle time between j's departure and n's
 * (O. J. Boxma, "On a tandem queueing model with identical service times
 * at both counters", Adv. Appl. Prob. 11, 1979: a packet waits only behind
 * a larger predecessor). M(n) is independent of S_n. With Poisson arrivals
 * (rate lambda, load rho) at the upstream hop, M/G/1 FIFO, split the
 * predecessors by upstream busy period:
 *
 * - earlier busy periods are i.i.d. and separated by Exp(lambda) idle
 *   periods; q(x) = P(every packet of a busy period <= x) is the branching
 *   fixed point q = sum_{s_k <= x} w_k exp(-lambda s_k (1 - q)), so
 *   P(no earlier term > x) = Phi(x) = exp(-lambda int_x^max (1 - q(y)) dy)
 *   (Phi(x) = E[q(x+E) Phi(x+E)], E ~ Exp(lambda));
 * - n's own busy period before it (PASTA, renewal-reward, small packets'
 *   busy period stopped at the first large arrival):
 *   A(x) = P(every packet ahead of n in its busy period <= x)
 *        = (1 - rho) (1 + H (1 - beta) / (1 - H)),  H = P(S <= x),
 *   beta = q / H (the small-only busy period's transform at the large
 *   packets' arrival rate).
 *
 * So P(M <= x) = A(x) Phi(x), piecewise closed form between sizes, and
 * P(W2 > t) = sum_k w_k (1 - A(t+s_k) Phi(t+s_k)). Exact for r = 1 (the
 * tests check it against a Monte Carlo of the recursion); one size gives
 * zero. A downstream hop faster than the upstream (r < 1) is not covered
 * (left at zero: docs/latency-model.md gives the measured error).
 *
 * Units: seconds. Nothing allocated; no randomness.
 */
#ifndef SRIOV_TANDEM_H
#define SRIOV_TANDEM_H

#include <stddef.h>

#define LAT_TANDEM_MAX_SIZES 64 /* size classes handled */

typedef struct lat_tandem_law {
    double p_wait;          /* P(W2 > 0) */
    double mean_s;          /* E[W2] */
    /* internal: the distinct sizes u[0..m) ascending, their weights, and
     * per interval [u_i, u_{i+1}): A, 1 - q and the Phi exponent above it */
    size_t m;
    double lambda, rho;
    double u[LAT_TANDEM_MAX_SIZES], w[LAT_TANDEM_MAX_SIZES];
    double A[LAT_TANDEM_MAX_SIZES], oq[LAT_TANDEM_MAX_SIZES], tail[LAT_TANDEM_MAX_SIZES];
} lat_tandem_law;

/* svc_s[k]: service times at either hop (> 0), w[k] their weights (>= 0,
 * need not be normalised), k <= LAT_TANDEM_MAX_SIZES; rho: the upstream
 * hop's load (clamped to [0, 1 - 1e-6]). Returns 0, or -EINVAL on bad
 * arguments (out zeroed). */
int lat_tandem_law_build(const double *svc_s, const double *w, size_t k,
                         double rho, lat_tandem_law *out);

/* P(W2 > t) for a packet of a random size from the law. */
double lat_tandem_ccdf(const lat_tandem_law *law, double t_s);

/* The wait of one Poisson flow's packets (its own sizes svc_s[k] with
 * weights w[k], k <= LAT_TANDEM_MAX_SIZES) when law was built from the
 * whole upstream hop's size mix (all flows crossing it, packet-rate
 * weighted): M is the same for every packet (PASTA), only S_n is the
 * flow's. Gives P(W2 > 0) and E[W2]; 0 or -EINVAL. */
int lat_tandem_flow(const lat_tandem_law *law, const double *svc_s, const double *w,
                    size_t k, double *p_wait, double *mean_s);

#endif
