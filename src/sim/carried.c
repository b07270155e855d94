/* carried.c -- see carried.h. */
#include "sim/carried.h"
#include "sim/spawn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/results_table.h"
#include "sim/flows.h"
#include "sim/ledger.h"
#include "sim/sgshim.h"

int carried_init(sim_ctx *c)
{
    struct carried_state *s = &c->carried;
    size_t nf = c->n_flows ? c->n_flows : 1, nv = c->topo->n_vfs ? c->topo->n_vfs : 1;
    s->flow = calloc(nf, sizeof *s->flow);
    s->vf_interval_bytes = calloc(nv, sizeof(double));
    s->vf_user_vm = malloc(nv * sizeof(int));
    s->vf_user_nic = malloc(nv * sizeof(int));
    int ok = s->flow && s->vf_interval_bytes && s->vf_user_vm && s->vf_user_nic;
    for (int e = 0; e < 2; e++) {
        s->vf_bytes[e] = calloc(nv, sizeof(double));
        s->vf_packets[e] = calloc(nv, sizeof(int64_t));
        s->nic_bytes[e] = calloc(nf, sizeof(double));
        s->nic_packets[e] = calloc(nf, sizeof(int64_t));
        ok = ok && s->vf_bytes[e] && s->vf_packets[e] && s->nic_bytes[e] && s->nic_packets[e];
    }
    if (!ok)
        return -1;
    for (size_t v = 0; v < c->topo->n_vfs; v++)
        s->vf_user_vm[v] = s->vf_user_nic[v] = -1;
    return 0;
}

void carried_free(sim_ctx *c)
{
    struct carried_state *s = &c->carried;
    free(s->flow);
    free(s->vf_interval_bytes);
    free(s->vf_user_vm);
    free(s->vf_user_nic);
    for (int e = 0; e < 2; e++) {
        free(s->vf_bytes[e]);
        free(s->vf_packets[e]);
        free(s->nic_bytes[e]);
        free(s->nic_packets[e]);
    }
    free(s->rows);
    free(s->spawned_link_bytes);
    free(s->nic_base);
    for (int e = 0; e < 2; e++) {
        free(s->spawned_nic_bytes[e]);
        free(s->spawned_nic_packets[e]);
    }
    for (size_t i = 0; i < s->n_xfers; i++) {
        free(s->xfers[i].hops);
        free(s->xfers[i].model);
        free(s->xfers[i].owner);
        free(s->xfers[i].round);
    }
    free(s->xfers);
    for (size_t i = 0; i < s->n_streams; i++) {
        free(s->stream_names[i]);
        free(s->stream_bytes[i]);
    }
    free(s->stream_names);
    free(s->stream_bytes);
    memset(s, 0, sizeof *s);
}

/* The VF rows at the flow's two ends now (-1: not a VF). */
static void flow_vf_rows(const sim_ctx *c, const flow_rt *fl, int vf[2])
{
    vf[0] = c->topo->endpoints[fl->src_ep].vf_row;
    vf[1] = c->topo->endpoints[fl->dst_ep].vf_row;
}

/* What flow f moved since it was last put on its links: to the links of its
 * route now and to its VFs' interval counters. */
static void put_on_links(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    struct carried_flow *cf = &c->carried.flow[f];
    double now_bytes = flow_delivered_now(fl);
    double delta = now_bytes - cf->hop_sampled_bytes;
    cf->hop_sampled_bytes = now_bytes;
    if (delta == 0)
        return;
    for (size_t h = 0; h < fl->n_hops; h++)
        c->load[fl->hops[h]].interval_bytes += delta;
    int vf[2];
    flow_vf_rows(c, fl, vf);
    if (vf[0] >= 0)
        c->carried.vf_interval_bytes[vf[0]] += delta;
    if (vf[1] >= 0 && vf[1] != vf[0])
        c->carried.vf_interval_bytes[vf[1]] += delta;
}

void carried_sample_flows(sim_ctx *c)
{
    for (size_t f = 0; f < c->n_flows; f++)
        put_on_links(c, f);
}

void carried_take_vf_interval(sim_ctx *c, double *vf_tp, double dt)
{
    for (size_t v = 0; v < c->topo->n_vfs; v++) {
        vf_tp[v] += c->carried.vf_interval_bytes[v] * 8.0 / dt;
        c->carried.vf_interval_bytes[v] = 0;
    }
}

static int add_row(struct carried_state *s, int link, size_t f, int segment, double bytes)
{
    if (s->n_rows == s->rows_cap) {
        size_t cap = s->rows_cap ? 2 * s->rows_cap : 64;
        struct carried_row *grown = realloc(s->rows, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->rows = grown;
        s->rows_cap = cap;
    }
    s->rows[s->n_rows++] = (struct carried_row){link, (int32_t)f, segment, bytes};
    return 0;
}

/* The segment's bytes at the VF ends and in the guest's NIC counters. */
static void credit_vfs(sim_ctx *c, size_t f, double bytes)
{
    struct carried_state *s = &c->carried;
    const flow_rt *fl = &c->flows[f];
    int vf[2];
    flow_vf_rows(c, fl, vf);
    int64_t packets = (int64_t)llround(bytes / fl->mean_pkt_bytes);
    const endpoint_ref ends[2] = {fl->cfg->src, fl->cfg->dst};
    for (int e = 0; e < 2; e++) {
        if (vf[e] < 0)
            continue;
        s->vf_bytes[e][vf[e]] += bytes;
        s->vf_packets[e][vf[e]] += packets;
        s->nic_bytes[e][f] += bytes;
        s->nic_packets[e][f] += packets;
        s->vf_user_vm[vf[e]] = ends[e].vm_idx;
        s->vf_user_nic[vf[e]] = ends[e].nic_idx;
    }
}

int carried_reserve(sim_ctx *c, size_t old_cap, size_t cap)
{
    struct carried_state *s = &c->carried;
    if (!s->flow)
        return 0;
    struct carried_flow *grown = realloc(s->flow, cap * sizeof *grown);
    if (!grown)
        return -1;
    memset(grown + old_cap, 0, (cap - old_cap) * sizeof *grown);
    s->flow = grown;
    return 0;
}

void carried_reset_flow(sim_ctx *c, size_t f)
{
    if (c->carried.flow)
        c->carried.flow[f] = (struct carried_flow){0, 0, 0};
}

/* A generated flow's bytes (spawn.h): on its VFs' totals, and summed per
 * link; no per-flow rows or guest-view counters (those are the scenario's
 * flows'). */
/* The per-link and per-VM-NIC sums of generated flows, made at the first. */
static int spawned_alloc(sim_ctx *c)
{
    struct carried_state *s = &c->carried;
    if (s->spawned_link_bytes)
        return 0;
    const scenario_config *cfg = c->cfg;
    s->nic_base = calloc(cfg->n_vms + 1, sizeof *s->nic_base);
    if (!s->nic_base)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++)
        s->nic_base[v + 1] = s->nic_base[v] + cfg->vms[v].n_nics;
    size_t nn = s->nic_base[cfg->n_vms] ? s->nic_base[cfg->n_vms] : 1;
    for (int e = 0; e < 2; e++) {
        s->spawned_nic_bytes[e] = calloc(nn, sizeof(double));
        s->spawned_nic_packets[e] = calloc(nn, sizeof(int64_t));
        if (!s->spawned_nic_bytes[e] || !s->spawned_nic_packets[e])
            return -1;
    }
    s->spawned_link_bytes = calloc(c->n_dlinks ? c->n_dlinks : 1, sizeof(double));
    return s->spawned_link_bytes ? 0 : -1;
}

static int settle_spawned(sim_ctx *c, size_t f, double bytes)
{
    struct carried_state *s = &c->carried;
    const flow_rt *fl = &c->flows[f];
    if (spawned_alloc(c) != 0)
        return -1;
    for (size_t h = 0; h < fl->n_hops; h++)
        s->spawned_link_bytes[fl->hops[h]] += bytes;
    int vf[2];
    flow_vf_rows(c, fl, vf);
    int64_t packets = (int64_t)llround(bytes / fl->mean_pkt_bytes);
    const endpoint_ref ends[2] = {fl->cfg->src, fl->cfg->dst};
    for (int e = 0; e < 2; e++)
        if (vf[e] >= 0) {
            s->vf_bytes[e][vf[e]] += bytes;
            s->vf_packets[e][vf[e]] += packets;
            size_t nic = s->nic_base[ends[e].vm_idx] + (size_t)ends[e].nic_idx;
            s->spawned_nic_bytes[e][nic] += bytes;
            s->spawned_nic_packets[e][nic] += packets;
        }
    return 0;
}

double sim_nic_spawned_bytes(const sim_ctx *c, int vm, int nic, int rx)
{
    const struct carried_state *s = &c->carried;
    return s->spawned_nic_bytes[rx] ? s->spawned_nic_bytes[rx][s->nic_base[vm] + (size_t)nic] : 0;
}

int64_t sim_nic_spawned_packets(const sim_ctx *c, int vm, int nic, int rx)
{
    const struct carried_state *s = &c->carried;
    return s->spawned_nic_packets[rx] ? s->spawned_nic_packets[rx][s->nic_base[vm] + (size_t)nic]
                                      : 0;
}

int carried_settle_flow(sim_ctx *c, size_t f)
{
    if (!c->carried.flow)       /* a bare engine (unit tests) counts nothing */
        return 0;
    put_on_links(c, f);
    flow_rt *fl = &c->flows[f];
    struct carried_flow *cf = &c->carried.flow[f];
    double now_bytes = flow_delivered_now(fl);
    double bytes = now_bytes - cf->seg_start_bytes;
    int segment = cf->segment++;
    cf->seg_start_bytes = now_bytes;
    if (bytes == 0)
        return 0;
    if (flow_is_spawned(c, f))
        return settle_spawned(c, f, bytes);
    credit_vfs(c, f, bytes);
    for (size_t h = 0; h < fl->n_hops; h++)
        if (add_row(&c->carried, fl->hops[h], f, segment, bytes) != 0)
            return -1;
    return 0;
}

static void xfer_to_links(sim_ctx *c, struct carried_xfer *t, double moved)
{
    double delta = moved - t->sampled;
    t->sampled = moved;
    for (size_t h = 0; h < t->n_hops; h++)
        c->load[t->hops[h]].interval_bytes += delta;
    /* The interval the next sample closes. */
    if (c->n_samples < c->max_samples)
        c->carried.stream_bytes[t->stream][c->n_samples] += delta;
}

/* The stream "model owner" (its series column), added when new; -1 when
 * out of memory. */
static int stream_of(sim_ctx *c, const char *model, const char *owner)
{
    struct carried_state *s = &c->carried;
    size_t n = strlen(model) + strlen(owner) + 2;
    char *name = malloc(n);
    if (!name)
        return -1;
    snprintf(name, n, "%s %s", model, owner);
    for (size_t i = 0; i < s->n_streams; i++)
        if (strcmp(s->stream_names[i], name) == 0) {
            free(name);
            return (int)i;
        }
    char **names = realloc(s->stream_names, (s->n_streams + 1) * sizeof *names);
    if (names)
        s->stream_names = names;
    double **bytes = realloc(s->stream_bytes, (s->n_streams + 1) * sizeof *bytes);
    if (bytes)
        s->stream_bytes = bytes;
    double *row = calloc(c->max_samples ? c->max_samples : 1, sizeof(double));
    if (!names || !bytes || !row) {
        free(name);
        free(row);
        return -1;
    }
    s->stream_names[s->n_streams] = name;
    s->stream_bytes[s->n_streams] = row;
    return (int)s->n_streams++;
}

void carried_sample_xfers(sim_ctx *c)
{
    for (size_t i = 0; i < c->carried.n_xfers; i++) {
        struct carried_xfer *t = &c->carried.xfers[i];
        if (t->x)
            xfer_to_links(c, t, t->bytes - shim_xfer_remaining(t->x));
    }
}

void carried_xfer_finished(sim_ctx *c, const shim_xfer *x)
{
    /* Newest first: the finishing transfer is usually the last started. */
    for (size_t i = c->carried.n_xfers; i-- > 0;) {
        struct carried_xfer *t = &c->carried.xfers[i];
        if (t->x == x) {
            xfer_to_links(c, t, t->bytes);
            t->x = NULL;
            return;
        }
    }
}

int sim_wait_carried_xfer(sim_ctx *c, shim_xfer *x, sg_host_t src, sg_host_t dst, double bytes,
                          carried_label label, timer_fn on_done, void *arg)
{
    int stream = stream_of(c, label.model, label.owner);
    if (stream < 0)
        return -1;
    struct carried_state *s = &c->carried;
    if (s->n_xfers == s->xfers_cap) {
        size_t cap = s->xfers_cap ? 2 * s->xfers_cap : 8;
        struct carried_xfer *grown = realloc(s->xfers, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->xfers = grown;
        s->xfers_cap = cap;
    }
    struct carried_xfer t = {.x = x, .bytes = bytes, .model = strdup(label.model),
                             .owner = strdup(label.owner), .round = strdup(label.round),
                             .stream = stream};
    int rc = sim_route_dlinks(src, dst, &t.hops, &t.n_hops);
    s->xfers[s->n_xfers++] = t;
    if (rc != 0 || !t.model || !t.owner || !t.round)
        return -1;
    return sim_wait_xfer(c, x, on_done, arg);
}

/* ---- tables ---------------------------------------------------------- */

typedef struct link_flow_result {
    int32_t link;               /* row of /links */
    int32_t flow;               /* row of /flows */
    int32_t segment;            /* route number of the flow, from 0 */
    double bytes;
} link_flow_result;

static const results_column link_flow_cols[] = {
    RESULTS_I32(link_flow_result, link, "index"),
    RESULTS_I32(link_flow_result, flow, "index"),
    RESULTS_I32(link_flow_result, segment, "count"),
    RESULTS_F64(link_flow_result, bytes, "bytes"),
};
static const results_schema link_flow_schema =
    RESULTS_SCHEMA("link_flows", link_flow_result, link_flow_cols);

typedef struct link_xfer_result {
    int32_t link;               /* row of /links */
    char *model;                /* "migration" */
    char *owner;                /* "vm1" */
    char *round;                /* "round 2", "stop-and-copy" */
    double bytes;               /* moved over the run (to its end if unfinished) */
} link_xfer_result;

static const results_column link_xfer_cols[] = {
    RESULTS_I32(link_xfer_result, link, "index"),
    RESULTS_STR(link_xfer_result, model),
    RESULTS_STR(link_xfer_result, owner),
    RESULTS_STR(link_xfer_result, round),
    RESULTS_F64(link_xfer_result, bytes, "bytes"),
};
static const results_schema link_xfer_schema =
    RESULTS_SCHEMA("link_transfers", link_xfer_result, link_xfer_cols);

static int collect_rows(const sim_ctx *c, run_results *r)
{
    const struct carried_state *s = &c->carried;
    link_flow_result *lf = results_table_add(&r->reg, &link_flow_schema, s->n_rows);
    if (!lf && s->n_rows)
        return -1;
    for (size_t i = 0; i < s->n_rows; i++)
        lf[i] = (link_flow_result){s->rows[i].link, s->rows[i].flow, s->rows[i].segment,
                                   s->rows[i].bytes};
    size_t n = 0, n_spawned = 0;
    for (size_t i = 0; i < s->n_xfers; i++)
        n += s->xfers[i].sampled > 0 ? s->xfers[i].n_hops : 0;
    for (size_t l = 0; s->spawned_link_bytes && l < c->n_dlinks; l++)
        n_spawned += s->spawned_link_bytes[l] > 0;
    link_xfer_result *lx = results_table_add(&r->reg, &link_xfer_schema, n + n_spawned);
    if (!lx && n + n_spawned)
        return -1;
    size_t k = 0;
    for (size_t l = 0; s->spawned_link_bytes && l < c->n_dlinks; l++) {
        if (!(s->spawned_link_bytes[l] > 0))
            continue;
        lx[k] = (link_xfer_result){(int32_t)l, results_strdup("workload"),
                                   results_strdup("generated flows"), results_strdup("-"),
                                   s->spawned_link_bytes[l]};
        if (!lx[k].model || !lx[k].owner || !lx[k].round)
            return -1;
        k++;
    }
    for (size_t i = 0; i < s->n_xfers; i++) {
        const struct carried_xfer *t = &s->xfers[i];
        for (size_t h = 0; t->sampled > 0 && h < t->n_hops; h++, k++) {
            lx[k].link = t->hops[h];
            lx[k].bytes = t->sampled;
            lx[k].model = results_strdup(t->model);
            lx[k].owner = results_strdup(t->owner);
            lx[k].round = results_strdup(t->round);
            if (!lx[k].model || !lx[k].owner || !lx[k].round)
                return -1;
        }
    }
    return 0;
}

/* Each stream's bit/s in each sample interval, like the flows'. */
static int collect_streams(const sim_ctx *c, run_results *r)
{
    const struct carried_state *s = &c->carried;
    if (s->n_streams == 0 || c->n_samples == 0)
        return 0;
    size_t rows = c->n_samples, cols = s->n_streams;
    results_series *ser = results_series_add(&r->reg, "transfer_throughput_bps", "bit/s", rows, cols);
    if (!ser)
        return -1;
    for (size_t k = 0; k < rows; k++) {
        double dt = r->time_s[k] - (k ? r->time_s[k - 1] : 0.0);
        for (size_t j = 0; j < cols; j++)
            ser->values[k * cols + j] = dt > 0 ? s->stream_bytes[j][k] * 8.0 / dt : 0.0;
    }
    for (size_t j = 0; j < cols; j++)
        if (!(ser->columns[j] = strdup(s->stream_names[j])))
            return -1;
    return 0;
}

int carried_collect(const sim_ctx *c, run_results *r)
{
    const struct carried_state *s = &c->carried;
    for (size_t v = 0; v < r->n_vfs && v < c->topo->n_vfs; v++) {
        vf_result *row = &r->vfs[v];
        row->tx_bytes = s->vf_bytes[0][v];
        row->rx_bytes = s->vf_bytes[1][v];
        row->tx_packets = s->vf_packets[0][v];
        row->rx_packets = s->vf_packets[1][v];
    }
    return collect_rows(c, r) == 0 && collect_streams(c, r) == 0 ? 0 : -1;
}

int64_t sim_vf_carried_packets(const sim_ctx *c, int vf_row, int rx)
{
    return c->carried.vf_packets[rx ? 1 : 0][vf_row];
}

double sim_vf_carried_bytes(const sim_ctx *c, int vf_row, int rx)
{
    return c->carried.vf_bytes[rx ? 1 : 0][vf_row];
}

double sim_flow_nic_bytes(const sim_ctx *c, size_t f, int rx)
{
    return c->carried.nic_bytes[rx ? 1 : 0][f];
}

int64_t sim_flow_nic_packets(const sim_ctx *c, size_t f, int rx)
{
    return c->carried.nic_packets[rx ? 1 : 0][f];
}

int sim_vf_user(const sim_ctx *c, int vf_row, int *vm, int *nic)
{
    *vm = c->carried.vf_user_vm[vf_row];
    *nic = c->carried.vf_user_nic[vf_row];
    return *vm >= 0;
}
