/* latency.c -- analytic per-packet latency; the model is in latency.h and
 * docs/latency-model.md. This file is the numerics.
 *
 * The sum of hop waits is discretised on a grid of LAT_GRID_POINTS points
 * i*delta. Each hop's law is binned "to nearest": point k holds the law's
 * mass in [(k-1/2)delta, (k+1/2)delta), so the cumulative at every bin edge
 * is exact for one hop and rounding errors of several hops cancel on
 * average. A binned truncated exponential is an atom at 0, a geometric run
 * on 1..kc-1 and a last partial bin at kc; convolving with it is a
 * first-order recursion, so a hop costs O(grid), not O(grid^2).
 */
#include "metrics/latency.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tail mass the grid may leave out; the percentiles we report need 1e-3. */
#define TAIL_EPS 1e-7
/* Masses below this are zero: they cannot move a percentile, and letting
 * geometric tails decay into subnormals makes the loops ~10x slower. */
#define TINY 1e-250

/* ---- one hop ---------------------------------------------------------- */

int lat_size_moments(const pkt_size *sizes, size_t n_sizes,
                     double *m1, double *m2) {
    double wsum = 0, s1 = 0, s2 = 0;
    if (!sizes || n_sizes == 0 || !m1 || !m2) return -EINVAL;
    for (size_t i = 0; i < n_sizes; i++) {
        double b = sizes[i].size_bytes, w = sizes[i].weight;
        if (!(b > 0) || !isfinite(b) || !(w >= 0) || !isfinite(w))
            return -EINVAL;
        wsum += w;
        s1 += w * b;
        s2 += w * b * b;
    }
    if (!(wsum > 0)) return -EINVAL;
    *m1 = s1 / wsum;
    *m2 = s2 / wsum;
    return 0;
}

/* Conditional mean of an exponential(theta) truncated to [0, cap]. */
static double trunc_exp_mean(double theta, double cap) {
    if (isinf(cap)) return theta;
    return theta - cap / expm1(cap / theta);
}

static int hop_valid(const lat_hop *h) {
    return h->capacity_bps > 0 && isfinite(h->capacity_bps) &&
           h->latency_s >= 0 && isfinite(h->latency_s) &&
           !isnan(h->utilisation) && h->buffer_bytes >= 0;
}

int lat_hop_wait(const lat_hop *hop, double m1, double m2, lat_wait *out) {
    if (!hop || !out || !hop_valid(hop) || !(m1 > 0) || !(m2 >= m1 * m1 * 0.999))
        return -EINVAL;
    double rho = hop->utilisation;
    if (rho < 0) rho = 0;
    if (rho > LAT_RHO_MAX) rho = LAT_RHO_MAX;
    double buf = hop->buffer_bytes > 0 ? hop->buffer_bytes
                                       : LAT_DEFAULT_BUFFER_BYTES;
    double es = 8.0 * m1 / hop->capacity_bps;
    double es2 = 64.0 * m2 / (hop->capacity_bps * hop->capacity_bps);
    out->p_wait = rho;
    out->theta_s = es2 / (2.0 * es * (1.0 - rho));
    out->cap_s = 8.0 * buf / hop->capacity_bps;
    out->mean_s = rho > 0 ? rho * trunc_exp_mean(out->theta_s, out->cap_s) : 0;
    return 0;
}

/* P(X > t) for X the conditional (truncated exponential) wait. */
static double trunc_exp_ccdf(double theta, double cap, double t) {
    if (t >= cap) return 0;
    if (isinf(cap)) return exp(-t / theta);
    /* (e^-t/th - e^-cap/th) / (1 - e^-cap/th), in a form exact for tiny
     * cap/theta (the saturated, nearly uniform case). */
    return exp(-t / theta) * -expm1(-(cap - t) / theta) / -expm1(-cap / theta);
}

double lat_wait_ccdf(const lat_wait *w, double t_s) {
    if (t_s < 0) return 1;
    if (!(w->p_wait > 0)) return 0;
    return w->p_wait * trunc_exp_ccdf(w->theta_s, w->cap_s, t_s);
}

double lat_wait_quantile(const lat_wait *w, double p) {
    if (!(p > 1 - w->p_wait)) return 0;  /* the atom at 0 covers p */
    double tail = (1 - p) / w->p_wait;   /* wanted P(X > t), in (0,1) */
    if (isinf(w->cap_s)) return -w->theta_s * log(tail);
    /* Solve trunc_exp_ccdf(t) = tail: e^-t/th = tail + (1-tail)e^-cap/th. */
    double ec = exp(-w->cap_s / w->theta_s);
    double t = -w->theta_s * log(tail + (1 - tail) * ec);
    return t < w->cap_s ? t : w->cap_s;
}

/* ---- accumulator ------------------------------------------------------ */

void lat_acc_init(lat_acc *acc) { memset(acc, 0, sizeof *acc); }

/* Cost of merging two states: Ward's criterion (weight-scaled squared
 * distance), so light and close states merge first. The distance is
 * (ta - tb)/(ta + tb) = tanh(ln(ta/tb)/2): scale-free like log theta, and
 * without a log() on the per-interval path. */
static double merge_cost(const lat_state *a, const lat_state *b) {
    double d = (a->theta_s - b->theta_s) / (a->theta_s + b->theta_s);
    return a->weight * b->weight / (a->weight + b->weight) * d * d;
}

/* Moment-preserving merge: the weighted means of theta and theta^2. */
static void merge_into(lat_state *dst, const lat_state *src) {
    double w = dst->weight + src->weight;
    dst->theta_s = (dst->weight * dst->theta_s + src->weight * src->theta_s) / w;
    dst->theta2_s2 = (dst->weight * dst->theta2_s2 + src->weight * src->theta2_s2) / w;
    dst->weight = w;
}

/* Fold (weight, theta) into a slot's states, kept sorted by theta. When
 * one too many, the adjacent pair of least Ward cost merges. */
static void slot_add(lat_state *st, unsigned char *n, double weight,
                     double theta) {
    lat_state add = {weight, theta, theta * theta};
    unsigned cnt = *n, at = 0;
    while (at < cnt && st[at].theta_s < theta * (1 - 1e-12)) at++;
    if (at < cnt && st[at].theta_s <= theta * (1 + 1e-12)) {
        merge_into(&st[at], &add);  /* the same law: nothing lost */
        return;
    }
    lat_state tmp[LAT_ACC_STATES + 1];
    memcpy(tmp, st, at * sizeof *tmp);
    tmp[at] = add;
    memcpy(tmp + at + 1, st + at, (cnt - at) * sizeof *tmp);
    cnt++;
    if (cnt > LAT_ACC_STATES) {
        unsigned best_i = 0;
        double best = INFINITY;
        for (unsigned i = 0; i + 1 < cnt; i++) {
            double c = merge_cost(&tmp[i], &tmp[i + 1]);
            if (c < best) { best = c; best_i = i; }
        }
        merge_into(&tmp[best_i], &tmp[best_i + 1]);
        memmove(tmp + best_i + 1, tmp + best_i + 2,
                (cnt - best_i - 2) * sizeof *tmp);
        cnt--;
    }
    memcpy(st, tmp, cnt * sizeof *tmp);
    *n = (unsigned char)cnt;
}

int lat_acc_add(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                const pkt_size *sizes, size_t n_sizes, arrivals_t arrivals,
                double fixed_s, double packets) {
    double m1, m2;
    if (lat_size_moments(sizes, n_sizes, &m1, &m2) != 0) return -EINVAL;
    if ((unsigned)arrivals > ARRIVALS_ONOFF) return -EINVAL;
    return lat_acc_add_moments(acc, hops, n_hops, m1, m2, fixed_s, packets);
}

int lat_acc_add_moments(lat_acc *acc, const lat_hop *hops, size_t n_hops,
                        double m1, double m2, double fixed_s, double packets) {
    if (!acc || (n_hops && !hops) || n_hops > LAT_MAX_HOPS) return -EINVAL;
    if (!(m1 > 0) || !isfinite(m1) || !(m2 > 0) || !isfinite(m2)) return -EINVAL;
    if (!(fixed_s >= 0) || !isfinite(fixed_s)) return -EINVAL;
    if (!(packets >= 0) || !isfinite(packets)) return -EINVAL;
    lat_wait w[LAT_MAX_HOPS];
    for (size_t h = 0; h < n_hops; h++)
        if (lat_hop_wait(&hops[h], m1, m2, &w[h]) != 0) return -EINVAL;
    if (packets == 0) return 0;

    /* Every arrivals_t is modelled as a Poisson aggregate (latency.h). */
    double wait = 0, prop = 0, inv_cap = 0;
    for (size_t h = 0; h < n_hops; h++) {
        wait += w[h].mean_s;
        prop += hops[h].latency_s;
        inv_cap += 1.0 / hops[h].capacity_bps;
        if (w[h].p_wait > 0) {
            double weight = packets * w[h].p_wait;
            slot_add(acc->state[h], &acc->n_states[h], weight, w[h].theta_s);
            acc->cap_wsum[h] += weight * w[h].cap_s;
        }
    }
    acc->packets += packets;
    acc->wait_sum += packets * wait;
    acc->fixed_sum += packets * fixed_s;
    acc->prop_sum += packets * prop;
    acc->inv_cap_sum += packets * inv_cap;
    if (n_hops > acc->n_slots) acc->n_slots = (unsigned)n_hops;
    return 0;
}

/* ---- distribution of the sum of waits --------------------------------- */

/* One exponential component of a slot's wait law: probability p, mean theta. */
typedef struct wait_comp {
    double p;
    double theta_s;
} wait_comp;

#define MAX_COMPS (2 * LAT_ACC_STATES)

/* A state's law is the mixture of the exponentials folded into it. It is
 * rebuilt as the two-point law of theta with the same mean and variance
 * (one point when nothing was merged), so merged states keep the first two
 * moments of the wait, and most of the tail a single mean would lose. */
static unsigned state_components(const lat_state *st, double packets,
                                 wait_comp *c) {
    double p = st->weight / packets, m = st->theta_s;
    double var = st->theta2_s2 - m * m;
    if (!(var > 1e-12 * m * m)) {
        c[0] = (wait_comp){p, m};
        return 1;
    }
    double sd = sqrt(var);
    if (sd <= 0.9 * m) {
        c[0] = (wait_comp){p / 2, m - sd};
        c[1] = (wait_comp){p / 2, m + sd};
        return 2;
    }
    /* Very spread: fix the low point at m/10, solve for the high one. */
    double lo = 0.1 * m, d = m - lo;
    double hi = (st->theta2_s2 - lo * lo) / d - lo;
    double q = d / (hi - lo);
    c[0] = (wait_comp){p * (1 - q), lo};
    c[1] = (wait_comp){p * q, hi};
    return 2;
}

/* Components of slot h, its cap (weight-averaged), and its atom P(W = 0). */
static unsigned slot_components(const lat_acc *acc, unsigned h, wait_comp *c,
                                double *cap, double *atom) {
    unsigned n = 0;
    double w = 0;
    for (unsigned i = 0; i < acc->n_states[h]; i++) {
        n += state_components(&acc->state[h][i], acc->packets, c + n);
        w += acc->state[h][i].weight;
    }
    *cap = w > 0 ? acc->cap_wsum[h] / w : 0;
    *atom = fmax(0, 1 - w / acc->packets);
    return n;
}

/* Grid span: the smallest of three upper bounds on the sum's
 * (1 - TAIL_EPS) quantile: sum of caps (hard), union bound, and Chernoff
 * with the untruncated exponentials (which dominate the truncated ones). */
static double grid_span(const lat_acc *acc) {
    wait_comp c[LAT_MAX_HOPS][MAX_COMPS];
    unsigned nc[LAT_MAX_HOPS], n_laws = 0;
    double cap[LAT_MAX_HOPS], atom[LAT_MAX_HOPS];
    for (unsigned h = 0; h < acc->n_slots; h++) {
        nc[h] = slot_components(acc, h, c[h], &cap[h], &atom[h]);
        n_laws += nc[h];
    }
    if (n_laws == 0) return 0;
    double hard = 0, uni = 0, theta_max = 0, lnk = log(n_laws / TAIL_EPS);
    for (unsigned h = 0; h < acc->n_slots; h++) {
        double amax = 0;
        for (unsigned i = 0; i < nc[h]; i++) {
            double a = c[h][i].theta_s * fmax(lnk + log(c[h][i].p), 0);
            amax = fmax(amax, a);
            theta_max = fmax(theta_max, c[h][i].theta_s);
        }
        if (nc[h]) hard += cap[h];
        uni += fmin(amax, cap[h]);
    }
    static const double frac[] = {0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98};
    double chern = INFINITY;
    for (size_t f = 0; f < sizeof frac / sizeof *frac; f++) {
        double s = frac[f] / theta_max, log_mgf = 0;
        for (unsigned h = 0; h < acc->n_slots; h++) {
            double mgf = atom[h];
            for (unsigned i = 0; i < nc[h]; i++)
                mgf += c[h][i].p / (1 - s * c[h][i].theta_s);
            log_mgf += log(mgf);
        }
        chern = fmin(chern, (log_mgf - log(TAIL_EPS)) / s);
    }
    return fmin(hard, fmin(uni, chern));
}

/* Emit one output point: y[i] = v (first pass) or y[i] += v. */
static inline void put(double *y, size_t i, double v, int add) {
    y[i] = add ? y[i] + v : v;
}

/* y (+)= p * (f convolved with the binned truncated exponential)
 *        + extra * f.
 * Bin 0 holds m0, bin k in 1..kc-1 holds c q^(k-1), bin kc (the cap's)
 * m_last. run = sum_{k=1}^{kc-1} q^(k-1) f[i-k] obeys
 *   run_i = q run_{i-1} + f[i-1] - q^(kc-1) f[i-kc],
 * one multiply-add per point. That chain's latency is the whole cost of a
 * hop, so it is stepped four points at a time (run_{i+3} from run_{i-1}),
 * with the in-block partial sums off the chain. f must have n zeros before
 * f[0] (so f[i-kc] is 0 for i < kc). */
static void conv_trunc_exp(const double *f, double *y, size_t n, double delta,
                           double p, double theta, double cap, double extra,
                           int add) {
    double a = delta / theta;
    double kc_real = isinf(cap) ? INFINITY : floor(cap / delta + 0.5);
    size_t kc = kc_real < (double)n ? (size_t)kc_real : n;  /* n: no cap in grid */
    if (kc == 0) {  /* the whole law sits in bin 0 */
        for (size_t i = 0; i < n; i++) put(y, i, (p + extra) * f[i], add);
        return;
    }
    double z = -expm1(-cap / theta);               /* 1 when cap is infinite */
    double m0 = p * -expm1(-a / 2) / z + extra;    /* [0, delta/2) */
    double c = p * exp(-a / 2) * -expm1(-a) / z;   /* [delta/2, 3delta/2) */
    double q = exp(-a), q2 = q * q, q3 = q2 * q, q4 = q2 * q2;
    double m_last = 0, q_out = 0;                  /* no cap inside the grid */
    if (kc < n) {
        /* [(kc-1/2)delta, cap): e^-x1 - e^-x2 in a form that neither
         * cancels nor overflows. */
        double x1 = a * ((double)kc - 0.5);
        m_last = p * exp(-x1) * -expm1(x1 - cap / theta) / z;
        q_out = exp(-a * (double)(kc - 1));        /* q^(kc-1) leaves the run */
        if (m_last < TINY) m_last = 0;
        if (q_out < TINY) q_out = 0;
    }
    const double *fo = f - kc;                     /* fo[i] = f[i-kc] */
    double run = 0;
    size_t i = 1;
    put(y, 0, m0 * f[0], add);
    for (; i + 4 <= n; i += 4) {
        double l0 = f[i - 1] - q_out * fo[i];
        double l1 = q * l0 + f[i] - q_out * fo[i + 1];
        double l2 = q * l1 + f[i + 1] - q_out * fo[i + 2];
        double l3 = q * l2 + f[i + 2] - q_out * fo[i + 3];
        double r0 = q * run + l0, r1 = q2 * run + l1;
        double r2 = q3 * run + l2, r3 = q4 * run + l3;
        put(y, i, m0 * f[i] + c * r0 + m_last * fo[i], add);
        put(y, i + 1, m0 * f[i + 1] + c * r1 + m_last * fo[i + 1], add);
        put(y, i + 2, m0 * f[i + 2] + c * r2 + m_last * fo[i + 2], add);
        put(y, i + 3, m0 * f[i + 3] + c * r3 + m_last * fo[i + 3], add);
        run = r3 < TINY ? 0 : r3;
    }
    for (; i < n; i++) {
        run = q * run + f[i - 1] - q_out * fo[i];
        if (run < TINY) run = 0;
        put(y, i, m0 * f[i] + c * run + m_last * fo[i], add);
    }
}

/* Convolve slot h's law (atom + mixture of truncated exponentials) with f
 * into y. Returns 0 when the slot has nothing to convolve (y untouched,
 * f is the result), 1 otherwise; *atom = P(W_h = 0).
 * A component with theta < delta/40 puts all but e^-20 of its mass in bin
 * 0, so it is folded there without a pass (its mean is still exact). */
static int conv_slot(const lat_acc *acc, unsigned h, const double *f,
                     double *y, size_t n, double delta, double *atom) {
    wait_comp c[MAX_COMPS];
    double cap;
    unsigned nc = slot_components(acc, h, c, &cap, atom);
    double bin0 = *atom;
    unsigned wide = 0;
    for (unsigned i = 0; i < nc; i++) {
        if (c[i].theta_s < delta / 40) bin0 += c[i].p;
        else c[wide++] = c[i];
    }
    for (unsigned i = 0; i < wide; i++)
        conv_trunc_exp(f, y, n, delta, c[i].p, c[i].theta_s, cap,
                       i == 0 ? bin0 : 0, i > 0);
    return wide > 0;
}

/* The distribution of sum_h W_h: cdf[i] = P(W < (i+1/2) delta), and p0 the
 * exact atom P(W = 0). delta 0 means W == 0. */
typedef struct wait_dist {
    double *cdf;
    size_t n;
    double delta;
    double p0;
} wait_dist;

/* Build d from acc; d->cdf and spare are two n-point buffers, and d->cdf
 * ends up pointing at whichever holds the result. */
static void wait_dist_build(const lat_acc *acc, wait_dist *d, double *spare) {
    double span = grid_span(acc);
    d->p0 = 1;
    d->delta = 0;
    if (!(span > 0)) return;
    d->delta = span / (double)(d->n - LAT_MAX_HOPS);
    memset(d->cdf, 0, d->n * sizeof *d->cdf);
    d->cdf[0] = 1;
    for (unsigned h = 0; h < acc->n_slots; h++) {
        double atom;
        if (conv_slot(acc, h, d->cdf, spare, d->n, d->delta, &atom)) {
            double *t = d->cdf;
            d->cdf = spare;
            spare = t;
        }
        d->p0 *= atom;
    }
    for (size_t i = 1; i < d->n; i++) d->cdf[i] += d->cdf[i - 1];
}

/* P(W <= x), piecewise linear between bin edges, exact atom at 0. */
static double wait_dist_cdf(const wait_dist *d, double x) {
    if (x < 0) return 0;
    if (d->delta == 0) return 1;
    double pos = x / d->delta;
    if (pos < 0.5) {
        double c0 = fmax(d->cdf[0], d->p0);
        return d->p0 + (c0 - d->p0) * (pos / 0.5);
    }
    double e = pos - 0.5;
    if (e >= (double)(d->n - 1)) return 1;
    size_t j = (size_t)e;
    return d->cdf[j] + (d->cdf[j + 1] - d->cdf[j]) * (e - (double)j);
}

/* ---- mixture over packet sizes ---------------------------------------- */

typedef struct size_class {
    double base_s;   /* fixed + propagation + serialisation of this size */
    double weight;
} size_class;

static int cmp_class(const void *a, const void *b) {
    double x = ((const size_class *)a)->base_s, y = ((const size_class *)b)->base_s;
    return (x > y) - (x < y);
}

static double mix_cdf(const wait_dist *d, const size_class *c, size_t k,
                      double t) {
    double F = 0;
    for (size_t i = 0; i < k; i++) F += c[i].weight * wait_dist_cdf(d, t - c[i].base_s);
    return F;
}

/* inf{t : F(t) >= p}. The jumps of F sit at the base_s (atom of W at 0),
 * so locate the first class whose base already reaches p, then bisect the
 * continuous stretch before it; a quantile on a jump comes out exact. */
static double mix_quantile(const wait_dist *d, const size_class *c, size_t k,
                           double p) {
    double lo, hi;
    size_t i = 0;
    while (i < k && mix_cdf(d, c, k, c[i].base_s) < p) i++;
    if (i == 0) return c[0].base_s;
    lo = c[i - 1].base_s;
    hi = i < k ? c[i].base_s
               : c[k - 1].base_s + d->delta * ((double)d->n + 1);
    /* Stop at 1e-7 relative: far below the discretisation error. */
    while (hi - lo > 1e-7 * hi) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (mix_cdf(d, c, k, mid) >= p) hi = mid; else lo = mid;
    }
    return hi;
}

int lat_acc_stats(const lat_acc *acc, const pkt_size *sizes, size_t n_sizes,
                  lat_stats *out) {
    double m1, m2;
    if (!acc || !out || lat_size_moments(sizes, n_sizes, &m1, &m2) != 0)
        return -EINVAL;
    if (!(acc->packets > 0)) {
        out->mean_s = out->p50_s = out->p99_s = out->p999_s = NAN;
        return 0;
    }
    double P = acc->packets;
    double base = acc->fixed_sum / P + acc->prop_sum / P;
    double bit_time = acc->inv_cap_sum / P;   /* s per bit, summed over hops */
    out->mean_s = base + 8.0 * m1 * bit_time + acc->wait_sum / P;

    size_t n = LAT_GRID_POINTS;
    /* Two grid buffers, each after n zeros (see conv_trunc_exp). */
    double *mem = calloc(4 * n * sizeof *mem + n_sizes * sizeof(size_class), 1);
    if (!mem) return -ENOMEM;
    wait_dist d = {.cdf = mem + n, .n = n};
    size_class *cls = (size_class *)(mem + 4 * n);
    double wsum = 0;
    for (size_t i = 0; i < n_sizes; i++) wsum += sizes[i].weight;
    for (size_t i = 0; i < n_sizes; i++)
        cls[i] = (size_class){base + 8.0 * sizes[i].size_bytes * bit_time,
                              sizes[i].weight / wsum};
    qsort(cls, n_sizes, sizeof *cls, cmp_class);

    wait_dist_build(acc, &d, mem + 3 * n);
    out->p50_s = mix_quantile(&d, cls, n_sizes, 0.5);
    out->p99_s = mix_quantile(&d, cls, n_sizes, 0.99);
    out->p999_s = mix_quantile(&d, cls, n_sizes, 0.999);
    free(mem);
    return 0;
}

int latency_stats(const lat_hop *hops, size_t n_hops,
                  const pkt_size *sizes, size_t n_sizes,
                  arrivals_t arrivals, double fixed_s, lat_stats *out) {
    lat_acc acc;
    lat_acc_init(&acc);
    int rc = lat_acc_add(&acc, hops, n_hops, sizes, n_sizes, arrivals,
                         fixed_s, 1.0);
    if (rc != 0) return rc;
    return lat_acc_stats(&acc, sizes, n_sizes, out);
}
