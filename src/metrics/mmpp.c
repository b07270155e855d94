/* mmpp.c -- MMPP(2)/M/1 by the matrix-geometric method; see mmpp.h.
 *
 * Levels n = packets in the system, phases j in {on, off}. Generator
 * blocks: up A0 = diag(lam), local A1 = Q - diag(lam) - mu I, down
 * A2 = mu I, with Q the phase generator; level 0 has B1 = Q - diag(lam).
 * pi_n = pi_0 R^n (n >= 0), R the minimal solution of
 * A0 + R A1 + R^2 A2 = 0, from G by logarithmic reduction (quadratic
 * convergence: ~20 steps even at load 0.99 with slow switching).
 * An arrival finding n packets waits Erlang(n, mu); summing over n,
 *   P(W > t, phase j) = [pi_0 exp(-mu (I - R) t) R (I - R)^-1]_j,
 * and with R's spectral projectors P_k (eigenvalues eta_k, real for this
 * QBD), exp(-mu (I-R) t) = sum_k e^{-mu (1 - eta_k) t} P_k: two
 * exponentials, exact. */
#include "metrics/mmpp.h"

#include <errno.h>
#include <math.h>

typedef struct { double m[2][2]; } m2;

static m2 mul(m2 x, m2 y) {
    m2 z;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            z.m[i][j] = x.m[i][0] * y.m[0][j] + x.m[i][1] * y.m[1][j];
    return z;
}
static m2 add(m2 x, m2 y, double s) { /* x + s y */
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) x.m[i][j] += s * y.m[i][j];
    return x;
}
static m2 eye(double s) { return (m2){{{s, 0}, {0, s}}}; }
static int inv(m2 x, m2 *out) {
    double d = x.m[0][0] * x.m[1][1] - x.m[0][1] * x.m[1][0];
    if (!(fabs(d) > 0) || !isfinite(d)) return -1;
    *out = (m2){{{x.m[1][1] / d, -x.m[0][1] / d}, {-x.m[1][0] / d, x.m[0][0] / d}}};
    return 0;
}
static void rowmul(const double v[2], m2 x, double out[2]) {
    double o0 = v[0] * x.m[0][0] + v[1] * x.m[1][0];
    double o1 = v[0] * x.m[0][1] + v[1] * x.m[1][1];
    out[0] = o0, out[1] = o1;
}

/* G: minimal solution of A2 + A1 G + A0 G^2 = 0 (logarithmic reduction). */
static int solve_g(m2 A0, m2 A1, m2 A2, m2 *G) {
    m2 nA1i;
    if (inv(add(eye(0), A1, -1), &nA1i)) return -1;
    m2 B0 = mul(nA1i, A0), B2 = mul(nA1i, A2), g = B2, T = B0;
    for (int it = 0; it < 64; it++) {
        m2 U = add(mul(B0, B2), mul(B2, B0), 1), W;
        if (inv(add(eye(1), U, -1), &W)) return -1;
        B0 = mul(W, mul(B0, B0));
        B2 = mul(W, mul(B2, B2));
        g = add(g, mul(T, B2), 1);
        T = mul(T, B0);
        double e = fmax(fabs(1 - g.m[0][0] - g.m[0][1]), fabs(1 - g.m[1][0] - g.m[1][1]));
        if (e < 1e-12) { *G = g; return 0; }
    }
    return -1;
}

/* The law seen by arrivals weighted w (row, sums over phases of
 * P(W > t, j) w_j / norm). */
static void law_of(const double pi0[2], m2 P[2], m2 M, const double eta[2],
                   double mu, const double w[2], double norm, mmpp_wait *out) {
    out->p_wait = out->mean = 0;
    for (int k = 0; k < 2; k++) {
        double v[2];
        rowmul(pi0, mul(P[k], M), v);
        out->c[k] = (v[0] * w[0] + v[1] * w[1]) / norm;
        out->theta[k] = 1.0 / (mu * (1 - eta[k]));
        out->p_wait += out->c[k];
        out->mean += out->c[k] * out->theta[k];
    }
}

int mmpp2_m1_wait(double lam_on, double lam_off, double a, double b, double mu,
                  mmpp_wait *self, mmpp_wait *other) {
    if (!(lam_on >= 0) || !(lam_off >= 0) || !(a > 0) || !(b > 0) || !(mu > 0) ||
        !isfinite(lam_on + lam_off + a + b + mu))
        return -EINVAL;
    double p_on = b / (a + b);
    if (!(p_on * lam_on + (1 - p_on) * lam_off < mu)) return -EINVAL;
    m2 Q = {{{-a, a}, {b, -b}}}, L = {{{lam_on, 0}, {0, lam_off}}};
    m2 A0 = L, A2 = eye(mu), A1 = add(add(Q, L, -1), eye(mu), -1), G, X, R;
    if (solve_g(A0, A1, A2, &G)) return -EDOM;
    if (inv(add(A1, mul(A0, G), 1), &X)) return -EDOM;
    R = mul(A0, X);                    /* R = A0 (-(A1 + A0 G))^-1 */
    R = add(eye(0), R, -1);
    /* pi_0 (B1 + R A2) = 0: the null row vector of a singular 2x2. */
    m2 N = add(add(Q, L, -1), mul(R, A2), 1);
    double pi0[2] = {N.m[1][0], -N.m[0][0]};
    if (fabs(pi0[0]) + fabs(pi0[1]) == 0) pi0[0] = N.m[1][1], pi0[1] = -N.m[0][1];
    m2 IRi;
    if (inv(add(eye(1), R, -1), &IRi)) return -EDOM;
    double p[2];
    rowmul(pi0, IRi, p);
    double s = p[0] + p[1];
    if (!(fabs(s) > 0)) return -EDOM;
    pi0[0] /= s, pi0[1] /= s, p[0] /= s, p[1] /= s;
    /* Eigenvalues of R: real in [0, 1) for this QBD. */
    double tr = R.m[0][0] + R.m[1][1];
    double det = R.m[0][0] * R.m[1][1] - R.m[0][1] * R.m[1][0];
    double disc = tr * tr / 4 - det;
    if (disc < 0) disc = 0;            /* rounding: a double root */
    double eta[2] = {tr / 2 + sqrt(disc), tr / 2 - sqrt(disc)};
    if (!(eta[0] < 1) || !(eta[1] > -1)) return -EDOM;
    m2 M = mul(R, IRi), P[2];
    if (eta[0] - eta[1] > 1e-9 * fmax(eta[0], 1e-300)) {
        P[0] = add(R, eye(eta[1]), -1); /* (R - eta_1 I) / (eta_0 - eta_1) */
        P[1] = add(R, eye(eta[0]), -1);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                P[0].m[i][j] /= eta[0] - eta[1];
                P[1].m[i][j] /= eta[1] - eta[0];
            }
    } else {                           /* R = eta I: one exponential */
        P[0] = eye(1), P[1] = eye(0);
    }
    if (self) {
        double w[2] = {1, 0};
        law_of(pi0, P, M, eta, mu, w, p[0], self);
    }
    if (other) {
        double w[2] = {1, 1};
        law_of(pi0, P, M, eta, mu, w, 1, other);
    }
    return 0;
}
