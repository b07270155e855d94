/* tandem_mix.c -- the size mixes of tandem upstream links; see
 * tandem_mix.h. */
#include "sim/tandem_mix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/flows.h"
#include "sim/sampler.h"

typedef struct mix_slot {
    int link;
    int over;                        /* more distinct sizes than handled */
    size_t m;
    double bytes[LAT_TANDEM_MAX_SIZES], rate[LAT_TANDEM_MAX_SIZES];
    lat_tandem_law law;
    int has_law;
} mix_slot;

struct tandem_mix {
    int *slot_of;                    /* [dlink] slot, -1 */
    mix_slot *slot;
    size_t n, cap;
};

void tandem_mix_free(struct tandem_mix *t)
{
    if (!t)
        return;
    free(t->slot_of);
    free(t->slot);
    free(t);
}

long tandem_upstream(const sim_ctx *c, const int *links, const unsigned char *tr,
                     const double *cap_Bps, size_t h)
{
    size_t p = h;
    while (p > 0 && tr[p - 1])
        p--;
    if (p == 0 || lat_feed_can_queue(c->lat_feed, links[h], cap_Bps[h]) ||
        lat_feed_sole_feeder(c->lat_feed, links[h]) != links[p - 1])
        return -1;
    /* a faster downstream hop is not covered by the law (tandem.h) */
    if (fabs(cap_Bps[p - 1] - cap_Bps[h]) > 1e-9 * cap_Bps[h])
        return -1;
    /* the law takes the upstream hop as an M/G/1 queue: one that cannot
     * queue by rate passes its feeders' spacing on instead */
    if (!lat_feed_can_queue(c->lat_feed, links[p - 1], cap_Bps[p - 1]))
        return -1;
    return (long)p - 1;
}

/* Whether the moving flows carry more than one packet size in all. */
static int any_mix(const sim_ctx *c, const double *flow_tp)
{
    double first = 0;
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_config *fc = c->flows[f].cfg;
        if (!(flow_tp[f] > 0))
            continue;
        if (fc->n_pkt_sizes > 1)
            return 1;
        if (first == 0)
            first = fc->pkt_sizes[0].size_bytes;
        else if (fc->pkt_sizes[0].size_bytes != first)
            return 1;
    }
    return 0;
}

static int slot_for(struct tandem_mix *t, int link)
{
    if (t->slot_of[link] >= 0)
        return 0;
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 8;
        mix_slot *s = realloc(t->slot, nc * sizeof *s);
        if (!s)
            return -1;
        t->slot = s, t->cap = nc;
    }
    memset(&t->slot[t->n], 0, sizeof t->slot[0]);
    t->slot[t->n].link = link;
    t->slot_of[link] = (int)t->n++;
    return 0;
}

static void add_size(mix_slot *s, double bytes, double rate)
{
    for (size_t i = 0; i < s->m; i++)
        if (s->bytes[i] == bytes) {
            s->rate[i] += rate;
            return;
        }
    if (s->m == LAT_TANDEM_MAX_SIZES) {
        s->over = 1;
        return;
    }
    s->bytes[s->m] = bytes, s->rate[s->m++] = rate;
}

/* Mark the upstream links (pass 0), then add every moving flow's sizes
 * to the marked links it crosses (pass 1). */
static int scan(sim_ctx *c, const double *flow_tp, int pass)
{
    struct tandem_mix *t = c->tandem_mix;
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    for (size_t f = 0; f < c->n_cfg_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (!(flow_tp[f] > 0))
            continue;
        size_t n = sampler_queue_hops(c, fl, links, tr, cap);
        for (size_t h = 0; h < n; h++) {
            if (pass == 0) {
                long p = tandem_upstream(c, links, tr, cap, h);
                if (p >= 0 && slot_for(t, links[p]) != 0)
                    return -1;
                continue;
            }
            if (t->slot_of[links[h]] < 0)
                continue;
            mix_slot *s = &t->slot[t->slot_of[links[h]]];
            double pps = flow_tp[f] / 8.0 / fl->mean_pkt_bytes;
            for (size_t i = 0; i < fl->cfg->n_pkt_sizes; i++)
                add_size(s, fl->cfg->pkt_sizes[i].size_bytes, pps * fl->cfg->pkt_sizes[i].weight);
        }
    }
    return 0;
}

int tandem_mix_interval(sim_ctx *c, const double *flow_tp)
{
    struct tandem_mix *t = c->tandem_mix;
    if (t) {
        for (size_t i = 0; i < t->n; i++)
            t->slot_of[t->slot[i].link] = -1;
        t->n = 0;
    }
    if (!any_mix(c, flow_tp))
        return 0;
    if (!t) {
        if (!(t = c->tandem_mix = calloc(1, sizeof *t)) ||
            !(t->slot_of = malloc((c->n_dlinks ? c->n_dlinks : 1) * sizeof *t->slot_of)))
            return -1;
        for (size_t l = 0; l < c->n_dlinks; l++)
            t->slot_of[l] = -1;
    }
    if (scan(c, flow_tp, 0) != 0)
        return -1;
    if (t->n == 0 || scan(c, flow_tp, 1) != 0)
        return t->n == 0 ? 0 : -1;
    for (size_t i = 0; i < t->n; i++) {
        mix_slot *s = &t->slot[i];
        const dlink_load *d = &c->load[s->link];
        double svc[LAT_TANDEM_MAX_SIZES];
        if (s->over || s->m < 2)
            continue;
        for (size_t k = 0; k < s->m; k++)
            svc[k] = s->bytes[k] / d->capacity_Bps;
        s->has_law = lat_tandem_law_build(svc, s->rate, s->m, fmin(d->utilisation, 1.0),
                                          &s->law) == 0 && s->law.m >= 2;
    }
    return 0;
}

const lat_tandem_law *tandem_mix_law(const sim_ctx *c, int link)
{
    const struct tandem_mix *t = c->tandem_mix;
    if (!t || link < 0 || (size_t)link >= c->n_dlinks || t->slot_of[link] < 0)
        return NULL;
    const mix_slot *s = &t->slot[t->slot_of[link]];
    return s->has_law ? &s->law : NULL;
}
