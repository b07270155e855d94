/* mmpp.h -- the waiting time of a two-phase Markov-modulated Poisson
 * (MMPP(2)) queue with exponential service, solved exactly as a
 * quasi-birth-death process by the matrix-geometric method (Neuts,
 * "Matrix-Geometric Solutions in Stochastic Models", 1981; Latouche and
 * Ramaswami, "Introduction to Matrix Analytic Methods in Stochastic
 * Modeling", SIAM 1999: logarithmic reduction, ch. 8).
 *
 * Phase 0 ("on"): arrivals at lam_on, leaves at rate a; phase 1 ("off"):
 * arrivals at lam_off, leaves at rate b; service exponential at mu. Units:
 * any one time unit for all rates (latency.c uses 1/s). Pure numerics, no
 * allocation. docs/latency-model.md ("On/off sources") gives its use.
 */
#ifndef SRIOV_MMPP_H
#define SRIOV_MMPP_H

/* Waiting time (FIFO, in queue) of an arrival, as
 *   P(W > t) = c[0] e^{-t/theta[0]} + c[1] e^{-t/theta[1]}
 * (c may have one negative entry: the law is then phase-type but not a
 * mixture). Also the exact P(W > 0) = c[0] + c[1] and E[W]. */
typedef struct mmpp_wait {
    double c[2];
    double theta[2];
    double p_wait;
    double mean;
} mmpp_wait;

/* Solve the queue. self: the wait of an arrival of the modulated stream
 * (arrives only in phase 0, PASTA restricted to it); other: a Poisson
 * stream independent of the phase (sees the time-stationary law). Either
 * pointer may be NULL. Returns 0, or -EINVAL (bad rates, or not stable:
 * mean arrival rate >= mu), or -EDOM if the iteration did not converge. */
int mmpp2_m1_wait(double lam_on, double lam_off, double a, double b, double mu,
                  mmpp_wait *self, mmpp_wait *other);

#endif
