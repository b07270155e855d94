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
#include "metrics/mmpp.h"

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
    if (hop->mix_m1 > 0 && hop->mix_m2 >= hop->mix_m1 * hop->mix_m1 * 0.999) {
        m1 = hop->mix_m1; /* the sizes ahead of the packet, not its own */
        m2 = hop->mix_m2;
    }
    double es = 8.0 * m1 / hop->capacity_bps;
    double es2 = 64.0 * m2 / (hop->capacity_bps * hop->capacity_bps);
    out->p_wait = rho;
    out->theta_s = es2 / (2.0 * es * (1.0 - rho));
    out->cap_s = 8.0 * buf / hop->capacity_bps;
    if (hop->tandem_p > 0 && hop->tandem_theta_s > 0) { /* tandem.h */
        rho = out->p_wait = fmin(hop->tandem_p, 1);
        out->theta_s = hop->tandem_theta_s;
    }
    out->mean_s = rho > 0 ? rho * trunc_exp_mean(out->theta_s, out->cap_s) : 0;
    return 0;
}

/* rho_on < 1: the MMPP(2) queue (metrics/mmpp.h), phases on (B + R) and
 * off (B), exponential switching. The matrix-geometric solution is for
 * exponential service; a general service law with the same mean, and the
 * source's constant spacing while on, enter by the diffusion scaling of
 * the modulated queue: the on state's workload noise is f times M/M/1's,
 * f = (B (1 + c_s^2) + R c_s^2) / (2 (B + R)) (c_a^2 = 1 for the Poisson
 * background, 0 for the source's packets), and a
 * reflected Brownian motion with variance f sigma^2 is, in time units of f
 * and space units of f, the one with variance sigma^2 and its switching
 * rates times f. So: solve MMPP/M/1 with on and off means divided by f and
 * multiply its waits by f. With Poisson arrivals only (R = 0) it is the M/G/1
 * two-moment law of lat_hop_wait exactly (P = rho, theta = E[S^2] /
 * (2 E[S] (1 - rho))); slow switching tends to the quasi-static mixture,
 * fast switching to M/G/1 at the mean load. Returns the number of atoms
 * written (1 or 2), 0 if not solvable. */
static int onoff_mmpp(const lat_hop *hop, double m1, double m2, lat_wait out[2]) {
    double C = hop->capacity_bps, r = hop->onoff_bps, R = hop->onoff_peak_bps;
    double bg = fmax(0, hop->utilisation * C - r);
    lat_wait base;
    lat_hop h = *hop;
    h.tandem_p = 0;
    if (lat_hop_wait(&h, m1, m2, &base) != 0) return 0; /* cap, size mix */
    if (hop->mix_m1 > 0 && hop->mix_m2 >= hop->mix_m1 * hop->mix_m1 * 0.999)
        m1 = hop->mix_m1, m2 = hop->mix_m2;
    /* Variance factor of the on phase, where the queue forms: Poisson
     * background (c_a^2 = 1) and the on/off packets, sent at constant
     * spacing while on (c_a^2 = 0, sim/burst.c and scenario.md). */
    double cs2 = fmax(0, m2 / (m1 * m1) - 1);
    double es = 8.0 * m1 / C, f = (bg * (1 + cs2) + R * cs2) / (2.0 * (bg + R));
    if (!(f > 1e-9)) {                         /* no variability: no queue */
        out[0] = base;
        out[0].p_wait = out[0].mean_s = 0;
        return 1;
    }
    mmpp_wait self, other, *w = hop->self_onoff ? &self : &other;
    if (mmpp2_m1_wait((bg + R) / C / es, bg / C / es, f / hop->on_mean_s,
                      f / hop->off_mean_s, 1.0 / es, &self, &other) != 0)
        return 0;
    int n = 0;
    if (w->c[0] >= 0 && w->c[1] >= 0) {       /* a mixture: exact */
        for (int k = 0; k < 2; k++) {
            if (!(w->c[k] > 0)) continue;
            out[n] = base;
            out[n].p_wait = w->c[k];
            out[n].theta_s = f * w->theta[k];
            n++;
        }
    } else if (w->p_wait > 0 && w->mean > 0) { /* P(W > 0) and mean kept */
        out[0] = base;
        out[0].p_wait = w->p_wait;
        out[0].theta_s = f * w->mean / w->p_wait;
        n = 1;
    }
    if (n == 0) {                              /* never waits */
        out[0] = base;
        out[0].p_wait = 0;
        n = 1;
    }
    for (int i = 0; i < n; i++)
        out[i].mean_s = out[i].p_wait > 0
                            ? out[i].p_wait * trunc_exp_mean(out[i].theta_s, out[i].cap_s) : 0;
    return n;
}

int lat_onoff_law(const lat_hop *hop, double m1, double m2, lat_wait out[2]) {
    lat_wait on, off;
    if (!(hop->onoff_bps > 0) || !(hop->onoff_peak_bps > hop->onoff_bps) ||
        !(hop->on_mean_s > 0) || !(hop->off_mean_s > 0) || !(hop->utilisation > 0))
        return 0;
    double C = hop->capacity_bps, r = hop->onoff_bps, R = hop->onoff_peak_bps;
    double bg = fmax(0, hop->utilisation * C - r), Cp = C - bg;
    lat_hop h = *hop;
    h.utilisation = (bg + R) / C;
    if (h.utilisation < 1) {                   /* packet-level queues only */
        return onoff_mmpp(hop, m1, m2, out);   /* 0: the Poisson law */
    } else {                                   /* fluid overflow while on */
        if (!(r < Cp)) return 0;
        double z = 1.0 / (hop->on_mean_s * (R - Cp)) - 1.0 / (hop->off_mean_s * Cp);
        if (!(z > 0)) return 0;
        h.utilisation = bg / C;
        if (lat_hop_wait(&h, m1, m2, &off) != 0) return 0;
        on = off;
        on.theta_s = 1.0 / (z * C);            /* content/C, z in 1/bit */
        on.p_wait = hop->self_onoff ? 1 : r / Cp;
        if (hop->self_onoff) out[0] = on;
        else { out[0] = on, out[1] = off; out[1].p_wait *= 1 - r / Cp; }
    }
    int n = hop->self_onoff ? 1 : 2;
    for (int i = 0; i < n; i++)
        out[i].mean_s = out[i].p_wait > 0
                            ? out[i].p_wait * trunc_exp_mean(out[i].theta_s, out[i].cap_s) : 0;
    return n;
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

void lat_acc_free(lat_acc *acc) {
    if (!acc) return;
    free(acc->slot);
    lat_acc_init(acc);
}

static lat_slot *cl_slots(const lat_acc *acc, unsigned c) {
    return acc->slot + (size_t)c * acc->n_slots;
}

/* Room for n_cl clusters of n_slots slots each (grown, re-strided). */
static int acc_reserve(lat_acc *acc, unsigned n_cl, unsigned n_slots) {
    if (n_slots < acc->n_slots) n_slots = acc->n_slots;
    if (n_cl <= acc->cl_alloc && n_slots == acc->n_slots) return 0;
    unsigned alloc = acc->cl_alloc;
    if (n_cl > alloc) {  /* grow by doubling, up to LAT_ACC_CLUSTERS */
        alloc = 2 * alloc > n_cl ? 2 * alloc : n_cl;
        if (alloc > LAT_ACC_CLUSTERS) alloc = LAT_ACC_CLUSTERS;
    }
    lat_slot *ns = calloc((size_t)alloc * n_slots + 1, sizeof *ns);
    if (!ns) return -ENOMEM;
    for (unsigned c = 0; c < acc->n_cl; c++)
        memcpy(ns + (size_t)c * n_slots, cl_slots(acc, c),
               acc->n_slots * sizeof *ns);
    free(acc->slot);
    acc->slot = ns;
    acc->cl_alloc = alloc;
    acc->n_slots = n_slots;
    return 0;
}

/* A cluster's features: its mean no-wait base, mean total wait and
 * per-hop mean waits (weight*theta/packets; the truncation is ignored,
 * this only steers merging). acc_insert computes them once per cluster
 * per insert: ward_cost recomputed both sides' for each of the up to 36
 * pairs it compares, 8.7 % of pod-1k's time (perf, 2026-11-27). */
typedef struct cl_feat {
    double base_s;
    double wait_s;
    double m_s[LAT_MAX_HOPS];
} cl_feat;

static void cl_feat_of(const lat_cluster *c, const lat_slot *s, unsigned n,
                       cl_feat *f) {
    f->base_s = (c->fixed_sum + c->prop_sum) / c->packets;
    f->wait_s = c->wait_sum / c->packets;
    for (unsigned h = 0; h < n; h++) f->m_s[h] = s[h].weight * s[h].theta_s / c->packets;
}

/* Ward cost of merging two clusters: w_a w_b / (w_a + w_b) * D, with D
 * the squared distance of their per-hop mean waits and bases relative to
 * their summed mean latencies (scale-free; busy against idle gives D ~ 1,
 * two nearby loads D ~ their relative difference squared). */
static double ward_cost(const lat_cluster *ca, const cl_feat *fa,
                        const lat_cluster *cb, const cl_feat *fb, unsigned n) {
    double ba = fa->base_s, bb = fb->base_s;
    double num = (ba - bb) * (ba - bb);
    double den = fa->wait_s + fb->wait_s + ba + bb;
    for (unsigned h = 0; h < n; h++) {
        double d = fa->m_s[h] - fb->m_s[h];
        num += d * d;
    }
    if (!(num > 0)) return 0;
    den += 1e-15;
    return ca->packets * cb->packets / (ca->packets + cb->packets) * num / (den * den);
}

/* Moment-preserving merge of b into a (per slot: weighted means of theta
 * and theta^2). */
static void cl_merge(lat_cluster *ca, lat_slot *sa, const lat_cluster *cb,
                     const lat_slot *sb, unsigned n) {
    ca->packets += cb->packets;
    ca->wait_sum += cb->wait_sum;
    ca->fixed_sum += cb->fixed_sum;
    ca->prop_sum += cb->prop_sum;
    ca->inv_cap_sum += cb->inv_cap_sum;
    for (unsigned h = 0; h < n; h++) {
        double w = sa[h].weight + sb[h].weight;
        if (!(w > 0)) continue;
        sa[h].theta_s = (sa[h].weight * sa[h].theta_s + sb[h].weight * sb[h].theta_s) / w;
        sa[h].theta2_s2 = (sa[h].weight * sa[h].theta2_s2 + sb[h].weight * sb[h].theta2_s2) / w;
        sa[h].weight = w;
        sa[h].cap_wsum += sb[h].cap_wsum;
    }
}

/* The cheapest pair of clusters to merge (the first in (i, j) order
 * among equal costs), or INFINITY with fewer than 2. */
static double cheapest_pair(const lat_acc *acc, const cl_feat *f, unsigned *pi,
                            unsigned *pj) {
    double best = INFINITY;
    for (unsigned i = 0; i < acc->n_cl; i++)
        for (unsigned j = i + 1; j < acc->n_cl; j++) {
            double c = ward_cost(&acc->cl[i], &f[i], &acc->cl[j], &f[j], acc->n_slots);
            if (c < best) { best = c; *pi = i; *pj = j; }
        }
    return best;
}

/* Fold one interval (as a one-point cluster) into the clusters. */
static int acc_insert(lat_acc *acc, const lat_cluster *pc, const lat_slot *ps) {
    unsigned n = acc->n_slots, best_c = 0;
    cl_feat f[LAT_ACC_CLUSTERS], fp;
    cl_feat_of(pc, ps, n, &fp);
    double best = INFINITY;
    for (unsigned c = 0; c < acc->n_cl; c++) {
        cl_feat_of(&acc->cl[c], cl_slots(acc, c), n, &f[c]);
        double cost = ward_cost(&acc->cl[c], &f[c], pc, &fp, n);
        if (cost < best) { best = cost; best_c = c; }
    }
    if (best == 0) {  /* the same state: nothing lost */
        cl_merge(&acc->cl[best_c], cl_slots(acc, best_c), pc, ps, n);
        return 0;
    }
    unsigned to = acc->n_cl;
    if (acc->n_cl == LAT_ACC_CLUSTERS) {
        unsigned i = 0, j = 0;
        if (cheapest_pair(acc, f, &i, &j) >= best) {
            cl_merge(&acc->cl[best_c], cl_slots(acc, best_c), pc, ps, n);
            return 0;
        }
        cl_merge(&acc->cl[i], cl_slots(acc, i), &acc->cl[j], cl_slots(acc, j), n);
        to = j;
    } else {
        int rc = acc_reserve(acc, acc->n_cl + 1, n);
        if (rc != 0) return rc;
        acc->n_cl++;
    }
    acc->cl[to] = *pc;
    memcpy(cl_slots(acc, to), ps, n * sizeof *ps);
    return 0;
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
    lat_wait w[LAT_MAX_HOPS][2];
    int nw[LAT_MAX_HOPS];
    for (size_t h = 0; h < n_hops; h++) {
        if (lat_hop_wait(&hops[h], m1, m2, &w[h][0]) != 0) return -EINVAL;
        nw[h] = lat_onoff_law(&hops[h], m1, m2, w[h]);
        if (nw[h] == 0) nw[h] = 1;
    }
    if (packets == 0) return 0;
    int rc = acc_reserve(acc, acc->n_cl ? acc->n_cl : 1, (unsigned)n_hops);
    if (rc != 0) return rc;

    /* A Poisson aggregate, or on/off sources (lat_onoff_law). */
    lat_cluster pc = {.packets = packets, .fixed_sum = packets * fixed_s};
    lat_slot ps[LAT_MAX_HOPS];
    memset(ps, 0, sizeof ps);
    double wait = 0, prop = 0, inv_cap = 0;
    for (size_t h = 0; h < n_hops; h++) {
        prop += hops[h].latency_s;
        inv_cap += 1.0 / hops[h].capacity_bps;
        for (int i = 0; i < nw[h]; i++) {   /* components merge as clusters do */
            const lat_wait *x = &w[h][i];
            wait += x->mean_s;
            if (!(x->p_wait > 0)) continue;
            double weight = packets * x->p_wait, wsum = ps[h].weight + weight;
            if (ps[h].weight == 0) {          /* one component: as it is */
                ps[h] = (lat_slot){weight, x->theta_s, x->theta_s * x->theta_s,
                                   weight * x->cap_s};
                continue;
            }
            ps[h].theta_s = (ps[h].weight * ps[h].theta_s + weight * x->theta_s) / wsum;
            ps[h].theta2_s2 = (ps[h].weight * ps[h].theta2_s2 +
                               weight * x->theta_s * x->theta_s) / wsum;
            ps[h].weight = wsum;
            ps[h].cap_wsum += weight * x->cap_s;
        }
    }
    pc.wait_sum = packets * wait;
    pc.prop_sum = packets * prop;
    pc.inv_cap_sum = packets * inv_cap;
    return acc_insert(acc, &pc, ps);
}

/* ---- distribution of the sum of waits --------------------------------- */

/* One exponential component of a slot's wait law: probability p, mean theta. */
typedef struct wait_comp {
    double p;
    double theta_s;
} wait_comp;

/* One hop's wait law inside a cluster: the atom P(W = 0), up to two
 * truncated exponentials sharing one cap. */
typedef struct slot_law {
    unsigned nc;
    wait_comp c[2];
    double cap_s;
    double atom;
} slot_law;

/* A slot's law is the mixture of the exponentials folded into it. It is
 * rebuilt as the two-point law of theta with the same mean and variance
 * (one point when nothing was merged), so merged states keep the first two
 * moments of the wait, and most of the tail a single mean would lose. */
static void slot_law_of(const lat_slot *st, double packets, slot_law *l) {
    l->nc = 0;
    l->atom = 1;
    l->cap_s = 0;
    if (!(st->weight > 0)) return;
    double p = st->weight / packets, m = st->theta_s;
    double var = st->theta2_s2 - m * m;
    l->atom = fmax(0, 1 - p);
    l->cap_s = st->cap_wsum / st->weight;
    if (!(var > 1e-12 * m * m)) {
        l->c[0] = (wait_comp){p, m};
        l->nc = 1;
        return;
    }
    double sd = sqrt(var);
    l->nc = 2;
    if (sd <= 0.9 * m) {
        l->c[0] = (wait_comp){p / 2, m - sd};
        l->c[1] = (wait_comp){p / 2, m + sd};
        return;
    }
    /* Very spread: fix the low point at m/10, solve for the high one. */
    double lo = 0.1 * m, d = m - lo;
    double hi = (st->theta2_s2 - lo * lo) / d - lo;
    double q = d / (hi - lo);
    l->c[0] = (wait_comp){p * (1 - q), lo};
    l->c[1] = (wait_comp){p * q, hi};
}

/* Grid span: the smallest of three upper bounds on the sum's
 * (1 - TAIL_EPS) quantile: sum of caps (hard), union bound, and Chernoff
 * with the untruncated exponentials (which dominate the truncated ones). */
static double grid_span(const slot_law *l, unsigned n) {
    unsigned n_laws = 0;
    for (unsigned h = 0; h < n; h++) n_laws += l[h].nc;
    if (n_laws == 0) return 0;
    double hard = 0, uni = 0, theta_max = 0, lnk = log(n_laws / TAIL_EPS);
    for (unsigned h = 0; h < n; h++) {
        double amax = 0;
        for (unsigned i = 0; i < l[h].nc; i++) {
            double a = l[h].c[i].theta_s * fmax(lnk + log(l[h].c[i].p), 0);
            amax = fmax(amax, a);
            theta_max = fmax(theta_max, l[h].c[i].theta_s);
        }
        if (l[h].nc) hard += l[h].cap_s;
        uni += fmin(amax, l[h].cap_s);
    }
    static const double frac[] = {0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98};
    double chern = INFINITY;
    for (size_t f = 0; f < sizeof frac / sizeof *frac; f++) {
        double s = frac[f] / theta_max, log_mgf = 0;
        for (unsigned h = 0; h < n; h++) {
            double mgf = l[h].atom;
            for (unsigned i = 0; i < l[h].nc; i++)
                mgf += l[h].c[i].p / (1 - s * l[h].c[i].theta_s);
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

/* The coefficients of one conv_trunc_exp pass. */
typedef struct conv_coef {
    double m0, c, q, q2, q3, q4, q_out, m_last;
} conv_coef;

/* conv_trunc_exp's recursion; add and capped are constants at every call
 * site. capped 0 leaves out the terms that are q_out * f[i-kc] and
 * m_last * f[i-kc] with q_out = m_last = 0. */
static inline __attribute__((always_inline)) void
conv_loop(const double *f, const double *fo, double *y, size_t n,
          const conv_coef *k, const int add, const int capped) {
    const double m0 = k->m0, c = k->c, q = k->q, q2 = k->q2, q3 = k->q3, q4 = k->q4;
    const double q_out = k->q_out, m_last = k->m_last;
    double run = 0;
    size_t i = 1;
    put(y, 0, m0 * f[0], add);
    if (capped) {
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
        return;
    }
    for (; i + 4 <= n; i += 4) {
        double l0 = f[i - 1];
        double l1 = q * l0 + f[i];
        double l2 = q * l1 + f[i + 1];
        double l3 = q * l2 + f[i + 2];
        double r0 = q * run + l0, r1 = q2 * run + l1;
        double r2 = q3 * run + l2, r3 = q4 * run + l3;
        put(y, i, m0 * f[i] + c * r0, add);
        put(y, i + 1, m0 * f[i + 1] + c * r1, add);
        put(y, i + 2, m0 * f[i + 2] + c * r2, add);
        put(y, i + 3, m0 * f[i + 3] + c * r3, add);
        run = r3 < TINY ? 0 : r3;
    }
    for (; i < n; i++) {
        run = q * run + f[i - 1];
        if (run < TINY) run = 0;
        put(y, i, m0 * f[i] + c * run, add);
    }
}

/* conv_loop, uncapped, for f the unit mass at 0 (f[0] = 1, the rest 0:
 * the first hop of a route that waits). The same operations with the
 * terms in f[i >= 1] left out, which are exact zeros there: m0 * 0 + x is
 * x, and the run is q^(i-1). One pass in eight of a pod's wait laws. */
static void conv_loop_unit(double *y, size_t n, const conv_coef *k, int add) {
    const double c = k->c, q = k->q, q2 = k->q2, q3 = k->q3, q4 = k->q4;
    double run = 0, e = 1;             /* e = f[i-1]: 1 at i = 1 only */
    size_t i = 1;
    put(y, 0, k->m0, add);
    for (; i + 4 <= n; i += 4) {
        double l0 = e, l1 = q * l0, l2 = q * l1, l3 = q * l2;
        double r0 = q * run + l0, r1 = q2 * run + l1;
        double r2 = q3 * run + l2, r3 = q4 * run + l3;
        put(y, i, c * r0, add);
        put(y, i + 1, c * r1, add);
        put(y, i + 2, c * r2, add);
        put(y, i + 3, c * r3, add);
        run = r3 < TINY ? 0 : r3;
        e = 0;
    }
    for (; i < n; i++) {
        run = q * run + e;
        e = 0;
        if (run < TINY) run = 0;
        put(y, i, c * run, add);
    }
}

/* y (+)= p * (f convolved with the binned truncated exponential)
 *        + extra * f.
 * Bin 0 holds m0, bin k in 1..kc-1 holds c q^(k-1), bin kc (the cap's)
 * m_last. run = sum_{k=1}^{kc-1} q^(k-1) f[i-k] obeys
 *   run_i = q run_{i-1} + f[i-1] - q^(kc-1) f[i-kc],
 * one multiply-add per point. That chain's latency is the whole cost of a
 * hop, so it is stepped four points at a time (run_{i+3} from run_{i-1}),
 * with the in-block partial sums off the chain. f must have n zeros before
 * f[0] (so f[i-kc] is 0 for i < kc). unit: f is the unit mass at 0. */
static void conv_trunc_exp(const double *f, double *y, size_t n, double delta,
                           double p, double theta, double cap, double extra,
                           int add, int unit) {
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
    conv_coef k = {m0, c, q, q2, q3, q4, q_out, m_last};
    /* The loop is specialised on the two flags (the compiler does not
     * unswitch at -O2): the pass without a cap in the grid, the common
     * case, skips the f[i-kc] terms, which are then exact zeros. */
    if (q_out != 0 || m_last != 0) {
        if (add) conv_loop(f, fo, y, n, &k, 1, 1);
        else conv_loop(f, fo, y, n, &k, 0, 1);
    } else if (unit) {
        conv_loop_unit(y, n, &k, add);
    } else {
        if (add) conv_loop(f, fo, y, n, &k, 1, 0);
        else conv_loop(f, fo, y, n, &k, 0, 0);
    }
}

/* Convolve one slot's law (atom + truncated exponentials) with f into y.
 * Returns 0 when the slot has nothing to convolve (y untouched, f is the
 * result), 1 otherwise. A component with theta < delta/40 puts all but
 * e^-20 of its mass in bin 0, so it is folded there without a pass (its
 * mean is still exact). */
static int conv_slot(const slot_law *l, const double *f, double *y, size_t n,
                     double delta, int unit) {
    wait_comp c[2];
    double bin0 = l->atom;
    unsigned wide = 0;
    for (unsigned i = 0; i < l->nc; i++) {
        if (l->c[i].theta_s < delta / 40) bin0 += l->c[i].p;
        else c[wide++] = l->c[i];
    }
    for (unsigned i = 0; i < wide; i++)
        conv_trunc_exp(f, y, n, delta, c[i].p, c[i].theta_s, l->cap_s,
                       i == 0 ? bin0 : 0, i > 0, unit);
    return wide > 0;
}

/* The distribution of sum_h W_h: cdf[i] = P(W < (i+1/2) delta), and p0 the
 * exact atom P(W = 0). delta 0 means W == 0. */
typedef struct wait_dist {
    double *cdf;
    size_t n;
    double delta;
    double p0;
    double hard_s;          /* no wait is longer: the sum of the buffers' caps */
} wait_dist;

/* Build d from cluster c of acc; d->cdf and spare are two n-point
 * buffers, each after n zeros (conv_trunc_exp), and d->cdf ends up
 * pointing at whichever holds the result. */
static void wait_dist_build(const lat_acc *acc, unsigned c, wait_dist *d,
                            double *spare) {
    slot_law l[LAT_MAX_HOPS];
    const lat_slot *st = cl_slots(acc, c);
    for (unsigned h = 0; h < acc->n_slots; h++)
        slot_law_of(&st[h], acc->cl[c].packets, &l[h]);
    double span = grid_span(l, acc->n_slots);
    d->p0 = 1;
    d->delta = 0;
    d->hard_s = 0;
    for (unsigned h = 0; h < acc->n_slots; h++)
        if (l[h].nc) d->hard_s += l[h].cap_s;
    if (!(span > 0)) return;
    d->delta = span / (double)(d->n - LAT_MAX_HOPS);
    memset(d->cdf, 0, d->n * sizeof *d->cdf);
    d->cdf[0] = 1;
    int unit = 1;                       /* d->cdf is still the unit mass */
    for (unsigned h = 0; h < acc->n_slots; h++) {
        if (conv_slot(&l[h], d->cdf, spare, d->n, d->delta, unit)) {
            double *t = d->cdf;
            d->cdf = spare;
            spare = t;
            unit = 0;
        }
        d->p0 *= l[h].atom;
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

/* ---- mixture over clusters and packet sizes --------------------------- */

/* One (cluster, size) pair: T = base_s + W_cluster with this weight. The
 * law of T over the flow is the weighted sum of these; every jump of its
 * CDF sits at some base_s (the atom of W at 0). */
typedef struct size_class {
    double base_s;          /* fixed + propagation + serialisation */
    double weight;          /* cluster's packet share x size weight */
    const wait_dist *d;     /* the cluster's wait law */
} size_class;

static int cmp_class(const void *a, const void *b) {
    double x = ((const size_class *)a)->base_s, y = ((const size_class *)b)->base_s;
    return (x > y) - (x < y);
}

static double mix_cdf(const size_class *c, size_t k, double t) {
    double F = 0;
    for (size_t i = 0; i < k; i++) F += c[i].weight * wait_dist_cdf(c[i].d, t - c[i].base_s);
    return F;
}

/* The law of T binned into h (emptied first): each log bin gets the
 * packets P times the mixture's mass in it, F(hi) - F(lo), the CDF being
 * exact at every point (mix_cdf), so the bins are exact up to the wait
 * grid's own error; min_s and max_s are where the law starts and ends
 * (clipped to the non-empty bins), sum_s = P * the exact mean. Cost: one
 * mix_cdf per bin the law spans (tens to a few hundred). */
static int mix_hist(const size_class *c, size_t k, double P, double sum_s,
                    lhist *h) {
    lhist_free(h);
    double t_lo = INFINITY, t_hi = 0;
    for (size_t j = 0; j < k; j++) {
        if (!(c[j].weight > 0)) continue;
        t_lo = fmin(t_lo, c[j].base_s);
        /* The law ends at the grid's end or at the buffers' hard cap. */
        double end = fmin(c[j].d->delta * ((double)c[j].d->n - 0.5), c[j].d->hard_s);
        t_hi = fmax(t_hi, c[j].base_s + end);
    }
    if (!(t_lo <= t_hi)) return 0;
    int b_lo = lhist_bin(t_lo), b_hi = lhist_bin(t_hi), first = -1, last = -1;
    double F_prev = 0;
    for (int b = b_lo; b <= b_hi; b++) {
        double F = b == b_hi ? 1.0 : fmin(1.0, mix_cdf(c, k, lhist_hi_s(b)));
        double mass = P * (F - F_prev);
        if (mass > 0) {
            int rc = lhist_add_bin(h, b, mass);
            if (rc != 0) return rc;
            if (first < 0) first = b;
            last = b;
            F_prev = F;
        }
    }
    if (first < 0) return 0;
    h->sum_s = sum_s;
    h->min_s = fmax(t_lo, lhist_lo_s(first));
    h->max_s = fmin(t_hi, lhist_hi_s(last));
    if (h->max_s < h->min_s) h->max_s = h->min_s;
    return 0;
}

int lat_acc_stats_hist(const lat_acc *acc, const pkt_size *sizes,
                       size_t n_sizes, lat_stats *out, lhist *hist) {
    double m1, m2;
    if (hist) lhist_free(hist);
    if (!acc || !out || lat_size_moments(sizes, n_sizes, &m1, &m2) != 0)
        return -EINVAL;
    double P = 0, sum = 0;
    for (unsigned c = 0; c < acc->n_cl; c++) {
        const lat_cluster *cl = &acc->cl[c];
        P += cl->packets;
        sum += cl->fixed_sum + cl->prop_sum + 8.0 * m1 * cl->inv_cap_sum + cl->wait_sum;
    }
    if (!(P > 0)) {
        out->mean_s = out->p50_s = out->p99_s = out->p999_s = NAN;
        return 0;
    }
    out->mean_s = sum / P;

    size_t n = LAT_GRID_POINTS, n_cl = acc->n_cl, k = n_cl * n_sizes;
    /* Per cluster one grid after n zeros, plus one spare of the same
     * shape (see conv_trunc_exp); then the classes. */
    double *mem = malloc((2 * n_cl + 2) * n * sizeof *mem + k * sizeof(size_class)
                         + n_cl * sizeof(wait_dist));
    if (!mem) return -ENOMEM;
    /* Only the zeros before each buffer need clearing: every buffer is
     * written in full before it is read (wait_dist_build), and zeroing the
     * whole block was 4 % of pod-64's instructions (callgrind). */
    memset(mem, 0, n * sizeof *mem);
    for (unsigned c = 0; c < n_cl; c++) memset(mem + (2 * c + 2) * n, 0, n * sizeof *mem);
    double *spare = mem + n;
    size_class *cls = (size_class *)(mem + (2 * n_cl + 2) * n);
    wait_dist *d = (wait_dist *)(cls + k);
    double wsum = 0;
    for (size_t i = 0; i < n_sizes; i++) wsum += sizes[i].weight;
    for (unsigned c = 0; c < n_cl; c++) {
        const lat_cluster *cl = &acc->cl[c];
        double base = (cl->fixed_sum + cl->prop_sum) / cl->packets;
        double bit_time = cl->inv_cap_sum / cl->packets;  /* s per bit, all hops */
        d[c] = (wait_dist){.cdf = mem + (2 * c + 3) * n, .n = n};
        /* The result lands in the cluster's grid or in the spare; keep the
         * spare free for the next cluster. */
        wait_dist_build(acc, c, &d[c], spare);
        if (d[c].cdf == spare) {
            memcpy(mem + (2 * c + 3) * n, spare, n * sizeof *mem);
            d[c].cdf = mem + (2 * c + 3) * n;
        }
        for (size_t i = 0; i < n_sizes; i++)
            cls[c * n_sizes + i] = (size_class){
                base + 8.0 * sizes[i].size_bytes * bit_time,
                cl->packets / P * sizes[i].weight / wsum, &d[c]};
    }
    qsort(cls, k, sizeof *cls, cmp_class);
    /* Every percentile reported is the histogram's (util/lhist.h), so the
     * stored histogram and the /flows columns agree exactly. */
    lhist tmp;
    lhist_init(&tmp);
    lhist *h = hist ? hist : &tmp;
    int rc = mix_hist(cls, k, P, sum, h);
    out->p50_s = lhist_quantile(h, 0.5);
    out->p99_s = lhist_quantile(h, 0.99);
    out->p999_s = lhist_quantile(h, 0.999);
    lhist_free(&tmp);
    free(mem);
    return rc;
}

int lat_acc_stats(const lat_acc *acc, const pkt_size *sizes, size_t n_sizes,
                  lat_stats *out) {
    return lat_acc_stats_hist(acc, sizes, n_sizes, out, NULL);
}

int latency_stats(const lat_hop *hops, size_t n_hops,
                  const pkt_size *sizes, size_t n_sizes,
                  arrivals_t arrivals, double fixed_s, lat_stats *out) {
    lat_acc acc;
    lat_acc_init(&acc);
    int rc = lat_acc_add(&acc, hops, n_hops, sizes, n_sizes, arrivals,
                         fixed_s, 1.0);
    if (rc == 0) rc = lat_acc_stats(&acc, sizes, n_sizes, out);
    lat_acc_free(&acc);
    return rc;
}
