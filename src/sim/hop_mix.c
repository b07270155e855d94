/* hop_mix.c -- the packet-size moments of each queueing hop; see
 * hop_mix.h. */
#include "sim/hop_mix.h"

#include <stdlib.h>
#include <string.h>

#include "sim/sampler.h"

/* Per dlink: packets/s, packets/s x m1, packets/s x m2, the first flow's
 * m1 and m2, and whether a flow with other moments crossed it. */
enum { HM_PPS, HM_S1, HM_S2, HM_M1, HM_M2, HM_MIXED, HM_N };

struct hop_mix {
    double *acc;                /* [dlink][HM_N] */
    int active;                 /* this interval has a mix somewhere */
};

void hop_mix_free(struct hop_mix *h)
{
    if (!h)
        return;
    free(h->acc);
    free(h);
}

/* Whether the moving flows differ in their size moments. */
static int any_difference(const sim_ctx *c, const double *flow_tp)
{
    const flow_rt *first = NULL;
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (!(flow_tp[f] > 0))
            continue;
        if (!first)
            first = fl;
        else if (fl->size_m1 != first->size_m1 || fl->size_m2 != first->size_m2)
            return 1;
    }
    return 0;
}

static void add_flow(double *a, double pps, double m1, double m2)
{
    if (a[HM_PPS] == 0) {
        a[HM_M1] = m1;
        a[HM_M2] = m2;
    } else if (m1 != a[HM_M1] || m2 != a[HM_M2]) {
        a[HM_MIXED] = 1;
    }
    a[HM_PPS] += pps;
    a[HM_S1] += pps * m1;
    a[HM_S2] += pps * m2;
}

int hop_mix_interval(sim_ctx *c, const double *flow_tp)
{
    if (!any_difference(c, flow_tp)) {
        if (c->hop_mix)
            c->hop_mix->active = 0;
        return 0;
    }
    if (!c->hop_mix) {
        if (!(c->hop_mix = calloc(1, sizeof *c->hop_mix)) ||
            !(c->hop_mix->acc = malloc(HM_N * (c->n_dlinks ? c->n_dlinks : 1) * sizeof(double))))
            return -1;
    }
    struct hop_mix *h = c->hop_mix;
    memset(h->acc, 0, HM_N * c->n_dlinks * sizeof(double));
    h->active = 1;
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (!(flow_tp[f] > 0) || !(fl->size_m1 > 0))
            continue;
        double pps = flow_tp[f] / 8.0 / fl->size_m1;
        size_t n = sampler_queue_hops(c, fl, links, tr, cap);
        for (size_t k = 0; k < n; k++)
            add_flow(h->acc + HM_N * (size_t)links[k], pps, fl->size_m1, fl->size_m2);
    }
    return 0;
}

void hop_mix_moments(const sim_ctx *c, int link, double *m1, double *m2)
{
    *m1 = *m2 = 0;
    const struct hop_mix *h = c->hop_mix;
    if (!h || !h->active || link < 0 || (size_t)link >= c->n_dlinks)
        return;
    const double *a = h->acc + HM_N * (size_t)link;
    if (!a[HM_MIXED] || !(a[HM_PPS] > 0))
        return;
    *m1 = a[HM_S1] / a[HM_PPS];
    *m2 = a[HM_S2] / a[HM_PPS];
}
