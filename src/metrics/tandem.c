/* tandem.c -- the wait at an equal-rate store-and-forward hop under a
 * packet-size mix; see tandem.h for the derivation. */
#include "metrics/tandem.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define TANDEM_RHO_MAX (1.0 - 1e-6)

/* beta = sum_{j<=i} (w_j/H) exp(-(lamL + lamS (1 - beta)) u_j): the root
 * in (0, 1) of a concave function negative at 0 and positive at 1, by
 * bisection (exact to the last bits). */
static double busy_beta(const lat_tandem_law *l, size_t i, double H) {
    double lamL = l->lambda * (1 - H), lamS = l->lambda * H, lo = 0, hi = 1;
    for (int it = 0; it < 100; it++) {
        double b = 0.5 * (lo + hi), g = b;
        for (size_t j = 0; j <= i; j++)
            g -= l->w[j] / H * exp(-(lamL + lamS * (1 - b)) * l->u[j]);
        if (g < 0) lo = b;
        else hi = b;
    }
    return 0.5 * (lo + hi);
}

/* The interval of x: the largest i with u[i] <= x, or -1 below u[0]. */
static long interval_of(const lat_tandem_law *l, double x) {
    long i = -1;
    while (i + 1 < (long)l->m && l->u[i + 1] <= x) i++;
    return i;
}

static double wait_mean(const lat_tandem_law *l, double s);

/* P(M <= x). */
static double m_cdf(const lat_tandem_law *l, double x) {
    long i = interval_of(l, x);
    if (i >= (long)l->m - 1) return 1;
    if (i < 0)   /* nothing small yet: q = 0, A = 1 - rho */
        return (1 - l->rho) * exp(-l->lambda * (l->tail[0] + l->oq[0] * (l->u[1] - l->u[0]) +
                                                l->u[0] - x));
    return l->A[i] * exp(-l->lambda * (l->tail[i] + l->oq[i] * (l->u[i + 1] - x)));
}

/* int_a^b (1 - P(M <= x)) dx within interval i (u_i <= a <= b <= u_{i+1}). */
static double m_int(const lat_tandem_law *l, size_t i, double a, double b) {
    double c = l->lambda * l->oq[i];
    double scale = l->A[i] * exp(-l->lambda * l->tail[i]);
    return (b - a) - scale * (exp(-c * (l->u[i + 1] - b)) - exp(-c * (l->u[i + 1] - a))) / c;
}

/* Sort and merge the size classes into l->u, l->w (normalised). */
static int classes(lat_tandem_law *l, const double *s, const double *w, size_t k) {
    double ws = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(s[i] > 0) || !isfinite(s[i]) || !(w[i] >= 0) || !isfinite(w[i])) return -EINVAL;
        ws += w[i];
    }
    if (!(ws > 0)) return -EINVAL;
    for (size_t i = 0; i < k; i++) {
        if (w[i] == 0) continue;
        size_t j = 0;
        while (j < l->m && l->u[j] < s[i]) j++;
        if (j < l->m && l->u[j] == s[i]) { l->w[j] += w[i] / ws; continue; }
        memmove(l->u + j + 1, l->u + j, (l->m - j) * sizeof l->u[0]);
        memmove(l->w + j + 1, l->w + j, (l->m - j) * sizeof l->w[0]);
        l->u[j] = s[i], l->w[j] = w[i] / ws;
        l->m++;
    }
    return 0;
}

int lat_tandem_law_build(const double *svc_s, const double *w, size_t k,
                         double rho, lat_tandem_law *out) {
    if (!out) return -EINVAL;
    memset(out, 0, sizeof *out);
    if (!svc_s || !w || k == 0 || k > LAT_TANDEM_MAX_SIZES || isnan(rho)) return -EINVAL;
    if (classes(out, svc_s, w, k) != 0) {
        memset(out, 0, sizeof *out);
        return -EINVAL;
    }
    rho = fmin(fmax(rho, 0), TANDEM_RHO_MAX);
    if (rho == 0 || out->m < 2) {   /* nobody ahead, or one size: no wait */
        out->m = 0;
        return 0;
    }
    lat_tandem_law *l = out;
    double es = 0;
    for (size_t i = 0; i < l->m; i++) es += l->w[i] * l->u[i];
    l->lambda = rho / es;
    l->rho = rho;
    double H = 0;
    for (size_t i = 0; i + 1 < l->m; i++) {
        H += l->w[i];
        double beta = busy_beta(l, i, H);
        l->oq[i] = 1 - H * beta;
        l->A[i] = (1 - rho) * (1 + H * (1 - beta) / (1 - H));
    }
    for (size_t i = l->m - 1; i-- > 0;)
        l->tail[i] = i + 2 < l->m ? l->tail[i + 1] + l->oq[i + 1] * (l->u[i + 2] - l->u[i + 1]) : 0;
    l->p_wait = lat_tandem_ccdf(l, 0);
    for (size_t k2 = 0; k2 < l->m; k2++) l->mean_s += l->w[k2] * wait_mean(l, l->u[k2]);
    return 0;
}

double lat_tandem_ccdf(const lat_tandem_law *law, double t_s) {
    if (!law || law->m < 2 || !(t_s >= 0)) return 0;
    double p = 0;
    for (size_t k = 0; k < law->m; k++) p += law->w[k] * (1 - m_cdf(law, t_s + law->u[k]));
    return p;
}

/* int_s^{u_max} (1 - P(M <= x)) dx, the mean wait of a packet of time s. */
static double wait_mean(const lat_tandem_law *l, double s) {
    double sum = 0;
    long i = interval_of(l, s);
    if (i >= (long)l->m - 1) return 0;
    if (i < 0) {                     /* below u[0]: A = 1 - rho, q = 0 */
        double top = (1 - l->rho) * exp(-l->lambda * (l->tail[0] + l->oq[0] * (l->u[1] - l->u[0])));
        sum += (l->u[0] - s) - top * -expm1(-l->lambda * (l->u[0] - s)) / l->lambda;
        s = l->u[0];
        i = 0;
    }
    sum += m_int(l, (size_t)i, s, l->u[i + 1]);
    for (size_t j = (size_t)i + 1; j + 1 < l->m; j++) sum += m_int(l, j, l->u[j], l->u[j + 1]);
    return sum;
}

int lat_tandem_flow(const lat_tandem_law *law, const double *svc_s, const double *w,
                    size_t k, double *p_wait, double *mean_s) {
    if (!law || !svc_s || !w || !p_wait || !mean_s || k == 0 || k > LAT_TANDEM_MAX_SIZES)
        return -EINVAL;
    double ws = 0, p = 0, m = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(svc_s[i] > 0) || !isfinite(svc_s[i]) || !(w[i] >= 0) || !isfinite(w[i]))
            return -EINVAL;
        ws += w[i];
    }
    if (!(ws > 0)) return -EINVAL;
    if (law->m >= 2)
        for (size_t i = 0; i < k; i++) {
            p += w[i] / ws * (1 - m_cdf(law, svc_s[i]));
            m += w[i] / ws * wait_mean(law, svc_s[i]);
        }
    *p_wait = p, *mean_s = m;
    return 0;
}
