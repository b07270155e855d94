/* wl_model.c -- the workload model's hooks and arrivals (workload.h). */
#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/latency.h"
#include "util/rng.h"
#include "workload/workload.h"
#include "workload/wl_run.h"

static wl_state *state_of(const sim_ctx *c)
{
    return sim_model_state(c, &workload_model);
}

static int rack_of(const scenario_config *cfg, wl_nic n)
{
    return cfg->hosts[cfg->vms[n.vm_idx].host_idx].rack_idx;
}

static endpoint_ref ref_of(wl_nic n)
{
    return (endpoint_ref){n.vm_idx, n.nic_idx};
}

static int same_nic(wl_nic a, wl_nic b)
{
    return a.vm_idx == b.vm_idx && a.nic_idx == b.nic_idx;
}

/* ---- routes: the same-rack pairs (pairs.c composes the others) ------- */

static int push_pair(ep_pair **pairs, size_t *n, size_t *cap, int s, int d)
{
    if (*n == *cap) {
        size_t grown = *cap ? 2 * *cap : 64;
        ep_pair *p = realloc(*pairs, grown * sizeof *p);
        if (!p)
            return -1;
        *pairs = p;
        *cap = grown;
    }
    (*pairs)[(*n)++] = (ep_pair){s, d};
    return 0;
}

static int wl_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                        size_t *cap)
{
    for (size_t k = 0; k < cfg->n_workloads; k++) {
        const workload_config *w = &cfg->workloads[k];
        for (size_t i = 0; i < w->n_senders; i++) {
            int rs = rack_of(cfg, w->senders[i]);
            int es = topo_flow_endpoint(t, ref_of(w->senders[i]));
            for (size_t j = 0; j < w->n_receivers; j++) {
                if (rack_of(cfg, w->receivers[j]) != rs || same_nic(w->senders[i], w->receivers[j]))
                    continue;
                if (push_pair(pairs, n, cap, es, topo_flow_endpoint(t, ref_of(w->receivers[j]))))
                    return -1;
            }
        }
    }
    return 0;
}

/* ---- set-up ----------------------------------------------------------- */

/* The line rate of the port a NIC sends from (a NIC without an adapter:
 * the fabric's host link). */
static double port_rate_bps(const scenario_config *cfg, wl_nic n, int *key_host, int *key_ad,
                            int *key_port)
{
    const vm_config *vm = &cfg->vms[n.vm_idx];
    const nic_config *nic = &vm->nics[n.nic_idx];
    const host_config *h = &cfg->hosts[vm->host_idx];
    *key_host = vm->host_idx;
    *key_ad = nic->adapter_idx;
    *key_port = nic->port;
    if (nic->adapter_idx < 0 || (size_t)nic->adapter_idx >= h->n_adapters)
        return cfg->fabric.host_link.rate_bps;
    return h->adapters[nic->adapter_idx].port_rate_bps;
}

static int port_cmp(const void *a, const void *b)
{
    const int *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Sum of the line rates of the distinct ports the senders use: a load of
 * 0.5 offers half of what they can send together. */
static int sender_capacity(const scenario_config *cfg, wl_run *r)
{
    const workload_config *w = r->w;
    int *keys = calloc(w->n_senders * 4, sizeof *keys);
    if (!keys)
        return -1;
    for (size_t i = 0; i < w->n_senders; i++) {
        double rate = port_rate_bps(cfg, w->senders[i], &keys[4 * i], &keys[4 * i + 1],
                                    &keys[4 * i + 2]);
        keys[4 * i + 3] = (int)i;
        (void)rate;
    }
    qsort(keys, w->n_senders, 4 * sizeof *keys, port_cmp);
    r->port_capacity_bps = 0;
    int h, a, p;
    for (size_t i = 0; i < w->n_senders; i++)
        if (i == 0 || port_cmp(&keys[4 * i], &keys[4 * (i - 1)]) != 0)
            r->port_capacity_bps += port_rate_bps(cfg, w->senders[keys[4 * i + 3]], &h, &a, &p);
    free(keys);
    return 0;
}

static double flows_per_event(const workload_config *w)
{
    switch (w->pattern) {
    case WL_INCAST:
        return w->fan_in;
    case WL_ALL_TO_ALL: {
        double n = 0;
        for (size_t i = 0; i < w->n_senders; i++)
            for (size_t j = 0; j < w->n_receivers; j++)
                n += !same_nic(w->senders[i], w->receivers[j]);
        return n;
    }
    default:
        return 1;
    }
}

/* Receivers by rack, for rack_local. */
static int group_receivers(const scenario_config *cfg, wl_run *r)
{
    const workload_config *w = r->w;
    size_t nr = cfg->fabric.n_racks;
    r->rack_off = calloc(nr + 1, sizeof *r->rack_off);
    r->recv_by_rack = calloc(w->n_receivers, sizeof *r->recv_by_rack);
    if (!r->rack_off || !r->recv_by_rack)
        return -1;
    for (size_t j = 0; j < w->n_receivers; j++)
        r->rack_off[rack_of(cfg, w->receivers[j]) + 1]++;
    for (size_t k = 0; k < nr; k++)
        r->rack_off[k + 1] += r->rack_off[k];
    size_t *fill = calloc(nr ? nr : 1, sizeof *fill);
    if (!fill)
        return -1;
    for (size_t j = 0; j < w->n_receivers; j++) {
        size_t k = (size_t)rack_of(cfg, w->receivers[j]);
        r->recv_by_rack[r->rack_off[k] + fill[k]++] = w->receivers[j];
    }
    free(fill);
    return 0;
}

static size_t draw_index(wl_run *r, size_t n)
{
    size_t i = (size_t)(rng_uniform(&r->rng) * (double)n);
    return i < n ? i : n - 1;
}

/* permutation: sender i sends to perm[i], a shuffled receiver, never itself
 * when another choice exists. */
static int make_permutation(wl_run *r)
{
    const workload_config *w = r->w;
    size_t nr = w->n_receivers;
    size_t *order = calloc(nr, sizeof *order);
    r->perm = calloc(w->n_senders, sizeof *r->perm);
    if (!order || !r->perm) {
        free(order);
        return -1;
    }
    for (size_t j = 0; j < nr; j++)
        order[j] = j;
    for (size_t j = nr; j > 1; j--) {
        size_t k = draw_index(r, j);
        size_t tmp = order[j - 1];
        order[j - 1] = order[k];
        order[k] = tmp;
    }
    for (size_t i = 0; i < w->n_senders; i++) {
        size_t j = order[i % nr];
        if (same_nic(w->senders[i], w->receivers[j]) && nr > 1)
            j = order[(i + 1) % nr];
        r->perm[i] = w->receivers[j];
    }
    free(order);
    return 0;
}

static int setup_run(sim_ctx *c, wl_run *r)
{
    const workload_config *w = r->w;
    uint64_t seed = c->cfg->sim.seed ^ (0x9E3779B97F4A7C15ull * (r->idx + 1));
    r->rng = rng_splitmix64(&seed);
    if (r->rng == 0)
        r->rng = 1;
    /* windows and flows in frame bytes, as the links carry them */
    r->w0_bytes = w->initial_window * (w->mss_bytes + WL_SEG_HEADER_BYTES);
    r->pkt = (pkt_size){w->mss_bytes + WL_SEG_HEADER_BYTES, 1};
    r->hystart_seg_bytes = w->slow_start == WL_SS_HYSTART ? r->pkt.size_bytes : 0;
    r->flows_per_event = flows_per_event(w);
    if (sender_capacity(c->cfg, r) != 0 || group_receivers(c->cfg, r) != 0)
        return -1;
    if (w->pattern == WL_PERMUTATION && make_permutation(r) != 0)
        return -1;
    if (w->pattern == WL_INCAST) {
        if (!(r->pick = calloc(w->n_senders, sizeof *r->pick)))
            return -1;
        for (size_t i = 0; i < w->n_senders; i++)
            r->pick[i] = i;
    }
    if (w->flow_rate_hz > 0)
        r->event_rate_hz = w->flow_rate_hz;
    else
        r->event_rate_hz = w->load * r->port_capacity_bps /
                           (8.0 * wl_mean_size_bytes(w) * r->flows_per_event);
    return 0;
}

/* ---- arrivals --------------------------------------------------------- */

static int keep_live(sim_ctx *c, wl_state *s, size_t f)
{
    if (f < s->live_cap)
        return 0;
    size_t cap = s->live_cap ? s->live_cap : 1024;
    while (cap <= f)
        cap *= 2;
    wl_live *p = realloc(s->live, cap * sizeof *p);
    if (!p) {
        snprintf(c->error, sizeof c->error, "out of memory (workload flows)");
        return -1;
    }
    s->live = p;
    s->live_cap = cap;
    return 0;
}

/* The narrowest capacity on flow f's route now, or its cap if lower. */
static double alone_rate_Bps(const sim_ctx *c, size_t f, double cap_Bps)
{
    double rate = cap_Bps > 0 ? cap_Bps : INFINITY;
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++)
        rate = fmin(rate, sim_dlink_capacity_Bps(c, sim_flow_hop(c, f, h)));
    return rate;
}

/* The standing queues (s of drain) at the hops of a route that carry
 * others and have its narrowest share, capacity over the flows crossing
 * (plus `self` when the route's own flow is not counted there); at most
 * the bytes the others move there: they cannot queue more than they send. */
static double route_queue_s(const sim_ctx *c, const wl_state *s, const int *hops, size_t n,
                            double self, double rtt_s)
{
    double least = INFINITY;
    for (size_t h = 0; h < n; h++)
        if (s->on_dlink[hops[h]] + self > 0)
            least = fmin(least, sim_dlink_capacity_Bps(c, hops[h]) / (s->on_dlink[hops[h]] + self));
    double q = 0;
    for (size_t h = 0; h < n; h++) {
        int d = hops[h];
        double cap = sim_dlink_capacity_Bps(c, d);
        if (s->on_dlink[d] < 1 || !(cap > 0) || cap / (s->on_dlink[d] + self) > least * (1 + 1e-9))
            continue;
        double buf = sim_dlink_buffer_bytes(c, d);
        buf = buf > 0 ? buf : LAT_DEFAULT_BUFFER_BYTES;
        double full = wl_standing_queue_bytes(buf, cap * rtt_s, s->on_dlink[d]);
        q += fmin(full, s->bytes_on_dlink[d]) / cap;
    }
    return q;
}

#define WL_MAX_HOPS 64

double wl_queue_s(const sim_ctx *c, const wl_state *s, size_t f, double rtt_s, double *ack_s)
{
    int fwd[WL_MAX_HOPS], rev[WL_MAX_HOPS];
    size_t n = sim_flow_n_hops(c, f), nr = 0;
    n = n < WL_MAX_HOPS ? n : WL_MAX_HOPS;
    for (size_t h = 0; h < n; h++) {
        int d = fwd[h] = sim_flow_hop(c, f, h);
        /* the acknowledgements' way back: the other direction of each link */
        if (sim_dlink_up(c, d) >= 0)
            rev[nr++] = sim_dlink_up(c, d) ? d + 1 : d - 1;
    }
    *ack_s = route_queue_s(c, s, rev, nr, 0, rtt_s);
    return route_queue_s(c, s, fwd, n, 1, rtt_s);
}

/* One flow from s to d. 0, 1 when skipped (max_flows), -1 on error. */
static int start_flow(sim_ctx *c, wl_state *st, wl_run *r, wl_nic s, wl_nic d)
{
    if (r->made >= r->w->max_flows) {
        r->truncated = 1;
        return 1;
    }
    double payload = wl_draw_size_bytes(r->w, rng_uniform(&r->rng));
    double size = wl_wire_bytes(payload, r->w->mss_bytes);
    flow_spawn_req q = {.name = r->w->name, .src = ref_of(s), .dst = ref_of(d),
                        .size_bytes = size, .cap_Bps = r->w->rate_cap_bps / 8.0,
                        .pkt_sizes = &r->pkt, .n_pkt_sizes = 1};
    /* the slot first: on_end may not find it otherwise */
    if (keep_live(c, st, sim_n_flows_all(c)) != 0)
        return -1;
    ssize_t f = flow_spawn(c, &q, wl_flow_ended, r);
    if (f < 0)
        return -1;
    wl_live *L = &st->live[f];
    L->workload = (uint32_t)r->idx;
    L->id = r->made++;
    L->payload_bytes = payload;
    L->one_way_s = sim_flow_prop_latency_s(c, (size_t)f);
    L->rtt_s = 2 * L->one_way_s;
    L->ideal_s = wl_ideal_fct_s(size, alone_rate_Bps(c, (size_t)f, q.cap_Bps), L->one_way_s,
                                L->rtt_s, r->w0_bytes, r->hystart_seg_bytes);
    L->q_start_s = wl_queue_s(c, st, (size_t)f, L->rtt_s, &L->q_ack_s);
    L->counted = 0;
    if (st->n_batch == st->batch_cap) {
        size_t cap = st->batch_cap ? 2 * st->batch_cap : 64;
        size_t *p = realloc(st->batch, cap * sizeof *p);
        if (!p) {
            snprintf(c->error, sizeof c->error, "out of memory (workload flows)");
            return -1;
        }
        st->batch = p;
        st->batch_cap = cap;
    }
    st->batch[st->n_batch++] = (size_t)f;
    return 0;
}

/* A receiver for sender s other than s; 0 when found. */
static int draw_receiver(const scenario_config *cfg, wl_run *r, wl_nic s, wl_nic *out)
{
    const workload_config *w = r->w;
    const wl_nic *pool = w->receivers;
    size_t n = w->n_receivers;
    if (w->rack_local >= 0) {
        size_t k = (size_t)rack_of(cfg, s);
        size_t lo = r->rack_off[k], hi = r->rack_off[k + 1];
        int local = rng_uniform(&r->rng) < w->rack_local;
        if (local && hi > lo) {
            pool = r->recv_by_rack + lo;
            n = hi - lo;
        } else if (!local && lo + (n - hi) > 0) {
            /* outside the rack: draw among the others, skipping this rack's */
            size_t i = draw_index(r, lo + (n - hi));
            *out = r->recv_by_rack[i < lo ? i : i + (hi - lo)];
            return 0;
        }
    }
    for (int tries = 0; tries < 64; tries++) {
        wl_nic d = pool[draw_index(r, n)];
        if (!same_nic(d, s)) {
            *out = d;
            return 0;
        }
    }
    return -1;
}

static int arrive_event(sim_ctx *c, wl_state *st, wl_run *r)
{
    const workload_config *w = r->w;
    int rc = 0;
    switch (w->pattern) {
    case WL_UNIFORM:
    case WL_PERMUTATION: {
        size_t i = draw_index(r, w->n_senders);
        wl_nic d;
        if (w->pattern == WL_PERMUTATION)
            d = r->perm[i];
        else if (draw_receiver(c->cfg, r, w->senders[i], &d) != 0) {
            r->skipped++;
            return 0;
        }
        if (same_nic(d, w->senders[i])) {
            r->skipped++;
            return 0;
        }
        return start_flow(c, st, r, w->senders[i], d) < 0 ? -1 : 0;
    }
    case WL_INCAST: {
        wl_nic d = w->receivers[draw_index(r, w->n_receivers)];
        size_t n = w->n_senders, got = 0;
        for (size_t k = 0; k < n && got < (size_t)w->fan_in && rc >= 0; k++) {
            size_t j = k + draw_index(r, n - k);
            size_t tmp = r->pick[k];
            r->pick[k] = r->pick[j];
            r->pick[j] = tmp;
            if (same_nic(w->senders[r->pick[k]], d))
                continue;
            rc = start_flow(c, st, r, w->senders[r->pick[k]], d);
            got++;
        }
        return rc < 0 ? -1 : 0;
    }
    case WL_ALL_TO_ALL:
        for (size_t i = 0; i < w->n_senders && rc >= 0; i++)
            for (size_t j = 0; j < w->n_receivers && rc >= 0; j++)
                if (!same_nic(w->senders[i], w->receivers[j]))
                    rc = start_flow(c, st, r, w->senders[i], w->receivers[j]);
        return rc < 0 ? -1 : 0;
    }
    return 0;
}

/* The arrival's flows join the per-link counts. */
static void count_batch(sim_ctx *c, wl_state *st)
{
    for (size_t i = 0; i < st->n_batch; i++) {
        size_t f = st->batch[i];
        for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
            st->on_dlink[sim_flow_hop(c, f, h)]++;
            st->bytes_on_dlink[sim_flow_hop(c, f, h)] += sim_flow_cfg(c, f)->size_bytes;
        }
        st->live[f].counted = 1;
    }
    st->n_batch = 0;
}

static double next_gap_s(wl_run *r)
{
    return -log(rng_uniform(&r->rng)) / r->event_rate_hz;
}

static void arrival(sim_ctx *c, void *arg)
{
    wl_run *r = arg;
    wl_state *st = state_of(c);
    if (!st || sim_failed(c))
        return;
    int rc = arrive_event(c, st, r);
    count_batch(c, st);
    if (rc != 0) {
        if (!c->error[0])
            snprintf(c->error, sizeof c->error, "workload '%s': cannot start a flow",
                     r->w->name);
        sim_fail(c);
        return;
    }
    double next = simgrid_get_clock() + next_gap_s(r);
    if (next < r->w->stop_s && !r->truncated && sim_schedule(c, next, arrival, r) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (workload timers)");
        sim_fail(c);
    }
}

/* ---- the model's hooks ----------------------------------------------- */

static int wl_init(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    if (cfg->n_workloads == 0)
        return 0;
    wl_state *s = calloc(1, sizeof *s);
    if (!s || !(s->runs = calloc(cfg->n_workloads, sizeof *s->runs))) {
        free(s);
        snprintf(c->error, sizeof c->error, "out of memory (workloads)");
        return -1;
    }
    sim_set_model_state(c, &workload_model, s);
    s->n_runs = cfg->n_workloads;
    s->bytes_on_dlink = calloc(sim_n_dlinks(c) + 1, sizeof *s->bytes_on_dlink);
    s->on_dlink = calloc(sim_n_dlinks(c) + 1, sizeof *s->on_dlink);
    if (!s->on_dlink || !s->bytes_on_dlink) {
        snprintf(c->error, sizeof c->error, "out of memory (workloads)");
        return -1;
    }
    int record = 0;
    for (size_t k = 0; k < s->n_runs; k++) {
        wl_run *r = &s->runs[k];
        r->w = &cfg->workloads[k];
        r->idx = k;
        record |= r->w->record_flows;
        if (setup_run(c, r) != 0) {
            snprintf(c->error, sizeof c->error, "out of memory (workload '%s')", r->w->name);
            return -1;
        }
        double first = r->w->start_s + next_gap_s(r);
        if (first < r->w->stop_s && sim_schedule(c, first, arrival, r) != 0) {
            snprintf(c->error, sizeof c->error, "out of memory (workload timers)");
            return -1;
        }
    }
    if (record && wl_open_flow_table(c, s) != 0) {
        snprintf(c->error, sizeof c->error, "cannot make a temporary file for /workload_flows "
                 "(TMPDIR full or not writable?)");
        return -1;
    }
    return 0;
}

static void wl_fini(sim_ctx *c)
{
    wl_state *s = state_of(c);
    if (!s)
        return;
    for (size_t k = 0; k < s->n_runs; k++) {
        wl_run *r = &s->runs[k];
        free(r->rack_off);
        free(r->recv_by_rack);
        free(r->perm);
        free(r->pick);
        wl_hist_free(&r->all);
        for (int b = 0; b < WL_N_BUCKETS; b++)
            wl_hist_free(&r->bucket[b]);
    }
    free(s->runs);
    free(s->live);
    free(s->on_dlink);
    free(s->bytes_on_dlink);
    free(s->batch);
    free(s);
    sim_set_model_state(c, &workload_model, NULL);
}

const sim_model_ops workload_model = {
    .name = "workload",
    .add_pairs = wl_add_pairs,
    .init = wl_init,
    .collect = wl_collect,
    .fini = wl_fini,
};
