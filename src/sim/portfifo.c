/* portfifo.c -- per-port FIFO queues for the per-packet reference; see
 * portfifo.h. */
#include "sim/portfifo.h"

#include <math.h>
#include <stdlib.h>

#include "metrics/latency.h"
#include "sim/burst.h"
#include "sim/models.h"
#include "sim/sampler.h"
#include "util/lhist.h"
#include "util/rng.h"

typedef struct pf_packet {
    double born_s;          /* arrival at the source */
    double bytes;
    size_t flow;
    uint32_t next_free;
} pf_packet;

typedef struct pf_event {
    double t;               /* arrival at hop `hop` of the packet */
    uint64_t seq;           /* ties: first pushed, first served */
    uint32_t pkt;
    uint32_t hop;
} pf_event;

typedef struct pf_flow {
    lhist hist;             /* per-packet latency (util/lhist.h) */
    int hist_failed;        /* out of memory recording one */
    uint64_t dropped;
    uint64_t rng;           /* packet sizes */
    double fixed_s;         /* other models' costs in the last closed interval */
} pf_flow;

/* A packet delivered whose sample interval is still open. */
typedef struct pf_done {
    size_t flow;
    double lat_s;           /* without the fixed costs */
} pf_done;

struct portfifo {
    size_t n_flows, n_links;
    pf_flow *flow;
    double *busy_until_s;   /* [dlink] when its last accepted packet leaves */
    pf_packet *pkt;
    size_t n_pkt, cap_pkt;
    uint32_t free_head;     /* UINT32_MAX: none */
    pf_event *heap;
    size_t n_ev, cap_ev;
    uint64_t seq;
    double sampled_s;       /* the last sample's time */
    pf_done *done;
    size_t n_done, cap_done;
};

portfifo *portfifo_new(const sim_ctx *c)
{
    portfifo *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n_flows = c->n_flows;
    p->n_links = c->n_dlinks;
    p->flow = calloc(p->n_flows ? p->n_flows : 1, sizeof *p->flow);
    p->busy_until_s = calloc(p->n_links ? p->n_links : 1, sizeof *p->busy_until_s);
    p->free_head = UINT32_MAX;
    if (!p->flow || !p->busy_until_s) {
        portfifo_free(p);
        return NULL;
    }
    for (size_t f = 0; f < p->n_flows; f++) {
        uint64_t s = c->cfg->sim.seed ^ ((uint64_t)(f + 1) * 0x9E3779B97F4A7C15ull) ^ 0x5157u;
        p->flow[f].rng = rng_splitmix64(&s);
        if (p->flow[f].rng == 0)
            p->flow[f].rng = 1;
        lhist_init(&p->flow[f].hist);
    }
    return p;
}

void portfifo_free(portfifo *p)
{
    if (!p)
        return;
    for (size_t f = 0; p->flow && f < p->n_flows; f++)
        lhist_free(&p->flow[f].hist);
    free(p->flow);
    free(p->busy_until_s);
    free(p->pkt);
    free(p->heap);
    free(p->done);
    free(p);
}

static int ev_less(const pf_event *a, const pf_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int heap_push(portfifo *p, double t, uint32_t pkt, uint32_t hop)
{
    if (p->n_ev == p->cap_ev) {
        size_t cap = p->cap_ev ? 2 * p->cap_ev : 1024;
        pf_event *h = realloc(p->heap, cap * sizeof *h);
        if (!h)
            return -1;
        p->heap = h;
        p->cap_ev = cap;
    }
    pf_event e = {t, p->seq++, pkt, hop};
    size_t i = p->n_ev++;
    while (i > 0 && ev_less(&e, &p->heap[(i - 1) / 2])) {
        p->heap[i] = p->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    p->heap[i] = e;
    return 0;
}

static pf_event heap_pop(portfifo *p)
{
    pf_event top = p->heap[0], last = p->heap[--p->n_ev];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= p->n_ev)
            break;
        if (k + 1 < p->n_ev && ev_less(&p->heap[k + 1], &p->heap[k]))
            k++;
        if (!ev_less(&p->heap[k], &last))
            break;
        p->heap[i] = p->heap[k];
        i = k;
    }
    if (p->n_ev)
        p->heap[i] = last;
    return top;
}

static long pkt_alloc(portfifo *p)
{
    if (p->free_head != UINT32_MAX) {
        uint32_t i = p->free_head;
        p->free_head = p->pkt[i].next_free;
        return i;
    }
    if (p->n_pkt == p->cap_pkt) {
        size_t cap = p->cap_pkt ? 2 * p->cap_pkt : 1024;
        if (cap >= UINT32_MAX)
            return -1;
        pf_packet *a = realloc(p->pkt, cap * sizeof *a);
        if (!a)
            return -1;
        p->pkt = a;
        p->cap_pkt = cap;
    }
    return (long)p->n_pkt++;
}

static void pkt_release(portfifo *p, uint32_t i)
{
    p->pkt[i].next_free = p->free_head;
    p->free_head = i;
}

/* One packet size from the flow's law (weights need not sum to 1). */
static double draw_size(pf_flow *pf, const flow_config *fc)
{
    if (fc->n_pkt_sizes == 1)
        return fc->pkt_sizes[0].size_bytes;
    double wsum = 0;
    for (size_t i = 0; i < fc->n_pkt_sizes; i++)
        wsum += fc->pkt_sizes[i].weight;
    double u = rng_uniform(&pf->rng) * wsum;
    for (size_t i = 0; i + 1 < fc->n_pkt_sizes; i++) {
        if (u < fc->pkt_sizes[i].weight)
            return fc->pkt_sizes[i].size_bytes;
        u -= fc->pkt_sizes[i].weight;
    }
    return fc->pkt_sizes[fc->n_pkt_sizes - 1].size_bytes;
}

/* One packet delivered at latency lat_s; a failed allocation loses the
 * flow's figures (portfifo_latency_hist then answers NULL: NaN). */
static void record(pf_flow *pf, double lat_s)
{
    if (lhist_add(&pf->hist, lat_s, 1.0) != 0)
        pf->hist_failed = 1;
}

/* Packet e.pkt reaches hop e.hop of its flow's route at e.t: queue it
 * there (or drop it), or, past the last hop, record its latency. */
static int serve(sim_ctx *c, portfifo *p, pf_event e)
{
    pf_packet *k = &p->pkt[e.pkt];
    int links[LAT_MAX_HOPS];
    unsigned char tr[LAT_MAX_HOPS];
    double cap[LAT_MAX_HOPS];
    size_t n = sampler_queue_hops(c, &c->flows[k->flow], links, tr, cap);
    if (e.hop >= n) {
        pf_flow *pf = &p->flow[k->flow];
        double lat = e.t - k->born_s;
        pkt_release(p, e.pkt);
        if (k->born_s < p->sampled_s) {  /* its interval's fixed cost is known */
            record(pf, lat + pf->fixed_s);
            return 0;
        }
        if (p->n_done == p->cap_done) {
            size_t cap = p->cap_done ? 2 * p->cap_done : 1024;
            pf_done *d = realloc(p->done, cap * sizeof *d);
            if (!d)
                return -1;
            p->done = d;
            p->cap_done = cap;
        }
        p->done[p->n_done++] = (pf_done){k->flow, lat};
        return 0;
    }
    int l = links[e.hop];
    double rate = cap[e.hop];
    double buf = sampler_hop_buffer_bytes(c, l);
    if (!(buf > 0))
        buf = LAT_DEFAULT_BUFFER_BYTES;
    double ahead_s = fmax(0.0, p->busy_until_s[l] - e.t);
    if (!(rate > 0) || ahead_s * rate + k->bytes > buf) {
        p->flow[k->flow].dropped++;
        pkt_release(p, e.pkt);
        return 0;
    }
    double leave = e.t + ahead_s + k->bytes / rate;
    p->busy_until_s[l] = leave;
    return heap_push(p, leave + c->load[l].latency_s, e.pkt, e.hop + 1);
}

/* Serve every event up to time t (all with t = INFINITY). */
static int run_until(sim_ctx *c, portfifo *p, double t)
{
    while (p->n_ev && p->heap[0].t <= t)
        if (serve(c, p, heap_pop(p)) != 0)
            return -1;
    return 0;
}

int portfifo_arrive(sim_ctx *c, size_t f, double now, int n)
{
    portfifo *p = c->pfifo;
    if (!p || f >= p->n_flows)
        return 0;
    for (int i = 0; i < n; i++) {
        long k = pkt_alloc(p);
        if (k < 0)
            return -1;
        p->pkt[k] = (pf_packet){now, draw_size(&p->flow[f], c->flows[f].cfg), f, 0};
        if (heap_push(p, now, (uint32_t)k, 0) != 0)
            return -1;
    }
    return run_until(c, p, now);
}

/* The packets born in the interval that closes now get its fixed costs
 * (the models have just sampled it), as the flow model charges them. */
static void close_interval(sim_ctx *c, portfifo *p, double now)
{
    for (size_t f = 0; f < p->n_flows; f++)
        p->flow[f].fixed_s = models_fixed_latency_s(c, f);
    for (size_t i = 0; i < p->n_done; i++)
        record(&p->flow[p->done[i].flow], p->done[i].lat_s + p->flow[p->done[i].flow].fixed_s);
    p->n_done = 0;
    p->sampled_s = now;
}

int portfifo_sample(sim_ctx *c, double now)
{
    portfifo *p = c->pfifo;
    if (!p)
        return 0;
    if (run_until(c, p, now) != 0)
        return -1;
    close_interval(c, p, now);
    return 0;
}

int portfifo_drain(sim_ctx *c)
{
    portfifo *p = c->pfifo;
    if (!p)
        return 0;
    if (run_until(c, p, INFINITY) != 0)
        return -1;
    close_interval(c, p, INFINITY);
    return 0;
}

const lhist *portfifo_latency_hist(const portfifo *p, size_t f)
{
    if (!p || f >= p->n_flows || p->flow[f].hist_failed || p->flow[f].hist.total <= 0)
        return NULL;
    return &p->flow[f].hist;
}

uint64_t portfifo_dropped(const portfifo *p, size_t f)
{
    return p && f < p->n_flows ? p->flow[f].dropped : 0;
}

uint64_t portfifo_delivered(const portfifo *p, size_t f)
{
    return p && f < p->n_flows ? (uint64_t)p->flow[f].hist.total : 0;
}
