/* wl_results.c -- what the workload model records: each finished flow's
 * FCT and slowdown (into /workload_flows as it ends, and into fixed-size
 * histograms), and the summary tables /workloads and /workload_fct at
 * collect. docs/results.md describes the columns. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "metrics/results.h"
#include "workload/workload.h"
#include "workload/wl_run.h"

/* ---- /workload_flows: one row per flow, streamed ---------------------- */

typedef struct wl_flow_row {
    int32_t workload;           /* index in /workloads */
    int32_t completed;          /* 1 done, 0 cut by the end of the run */
    uint64_t flow;              /* the workload's flow number */
    int32_t src_vm, src_nic, dst_vm, dst_nic; /* indices in vms[] and its nics[] */
    double size_bytes;
    double start_s;
    double end_s;
    double delivered_bytes;
    double fct_s;               /* NaN when not completed */
    double ideal_fct_s;
    double slowdown;            /* fct / ideal; NaN when not completed */
    double base_rtt_s;
} wl_flow_row;

static const results_column flow_cols[] = {
    RESULTS_I32(wl_flow_row, workload, "index"),
    RESULTS_U64(wl_flow_row, flow, "index"),
    RESULTS_I32(wl_flow_row, src_vm, "index"),
    RESULTS_I32(wl_flow_row, src_nic, "index"),
    RESULTS_I32(wl_flow_row, dst_vm, "index"),
    RESULTS_I32(wl_flow_row, dst_nic, "index"),
    RESULTS_F64(wl_flow_row, size_bytes, "bytes"),
    RESULTS_F64(wl_flow_row, start_s, "s"),
    RESULTS_F64(wl_flow_row, end_s, "s"),
    RESULTS_I32(wl_flow_row, completed, "1"),
    RESULTS_F64(wl_flow_row, delivered_bytes, "bytes"),
    RESULTS_F64(wl_flow_row, fct_s, "s"),
    RESULTS_F64(wl_flow_row, ideal_fct_s, "s"),
    RESULTS_F64(wl_flow_row, slowdown, "1"),
    RESULTS_F64(wl_flow_row, base_rtt_s, "s"),
};
static const results_schema flow_schema = RESULTS_SCHEMA("workload_flows", wl_flow_row, flow_cols);

int wl_open_flow_table(sim_ctx *c, wl_state *s)
{
    s->flows = results_stream_add(&c->res->reg, &flow_schema);
    return s->flows ? 0 : -1;
}

void wl_flow_ended(sim_ctx *c, size_t f, void *arg)
{
    wl_run *r = arg;
    wl_state *s = sim_model_state(c, &workload_model);
    const wl_live *L = &s->live[f];
    const flow_config *fc = sim_flow_cfg(c, f);
    double comp = sim_flow_completion_s(c, f);
    int done = !isnan(comp);
    double fct = NAN, slow = NAN;
    int b = wl_bucket_of(L->payload_bytes);
    for (size_t h = 0; L->counted && h < sim_flow_n_hops(c, f); h++) {
        int d = sim_flow_hop(c, f, h);
        s->on_dlink[d]--;
        /* exact back to 0 when the link empties (no rounding residue) */
        s->bytes_on_dlink[d] = s->on_dlink[d] ? s->bytes_on_dlink[d] - fc->size_bytes : 0;
    }
    if (done) {
        fct = wl_fct_s(fc->size_bytes, comp - L->one_way_s, L->one_way_s, L->rtt_s + L->q_ack_s,
                       r->w0_bytes, r->hystart_seg_bytes, L->q_start_s);
        slow = fct / L->ideal_s;
        r->completed++;
        r->fct_sum_s[b] += fct;
        r->all_fct_sum_s += fct;
        if (wl_hist_add(&r->bucket[b], slow) != 0 || wl_hist_add(&r->all, slow) != 0) {
            snprintf(c->error, sizeof c->error, "out of memory (workload statistics)");
            sim_fail(c);
        }
    } else {
        r->unfinished++;
        r->bucket_unfinished[b]++;
    }
    if (!r->w->record_flows || !s->flows)
        return;
    wl_flow_row row = {
        .workload = (int32_t)r->idx, .completed = done, .flow = L->id,
        .src_vm = fc->src.vm_idx, .src_nic = fc->src.nic_idx,
        .dst_vm = fc->dst.vm_idx, .dst_nic = fc->dst.nic_idx,
        .size_bytes = L->payload_bytes, .start_s = sim_flow_start_s(c, f),
        .end_s = sim_flow_end_s(c, f), .delivered_bytes = sim_flow_delivered_bytes(c, f),
        .fct_s = fct, .ideal_fct_s = L->ideal_s, .slowdown = slow, .base_rtt_s = L->rtt_s};
    if (results_stream_append(s->flows, &row) != 0) {
        snprintf(c->error, sizeof c->error, "cannot write /workload_flows rows to the "
                 "temporary file (disk full?)");
        sim_fail(c);
    }
}

/* ---- /workloads: one row per workload --------------------------------- */

typedef struct wl_row {
    char *name;
    char *pattern;
    char *sizes;                /* the size law: a size, a distribution, a file */
    uint64_t senders, receivers;
    double sender_capacity_bps; /* their distinct ports' line rates */
    double mean_size_bytes;
    double arrival_rate_hz;     /* arrival events per second */
    double flows_per_arrival;
    double offered_load;        /* of sender_capacity_bps */
    uint64_t flows, completed, unfinished, skipped;
    int32_t truncated;          /* max_flows stopped the arrivals */
    double mean_fct_s;
    double mean_slowdown, p50_slowdown, p99_slowdown, p999_slowdown, max_slowdown;
} wl_row;

static const results_column wl_cols[] = {
    RESULTS_STR(wl_row, name),
    RESULTS_STR(wl_row, pattern),
    RESULTS_STR(wl_row, sizes),
    RESULTS_U64(wl_row, senders, "count"),
    RESULTS_U64(wl_row, receivers, "count"),
    RESULTS_F64(wl_row, sender_capacity_bps, "bit/s"),
    RESULTS_F64(wl_row, mean_size_bytes, "bytes"),
    RESULTS_F64(wl_row, arrival_rate_hz, "1/s"),
    RESULTS_F64(wl_row, flows_per_arrival, "count"),
    RESULTS_F64(wl_row, offered_load, "1"),
    RESULTS_U64(wl_row, flows, "count"),
    RESULTS_U64(wl_row, completed, "count"),
    RESULTS_U64(wl_row, unfinished, "count"),
    RESULTS_U64(wl_row, skipped, "count"),
    RESULTS_I32(wl_row, truncated, "1"),
    RESULTS_F64(wl_row, mean_fct_s, "s"),
    RESULTS_F64(wl_row, mean_slowdown, "1"),
    RESULTS_F64(wl_row, p50_slowdown, "1"),
    RESULTS_F64(wl_row, p99_slowdown, "1"),
    RESULTS_F64(wl_row, p999_slowdown, "1"),
    RESULTS_F64(wl_row, max_slowdown, "1"),
};
static const results_schema wl_schema = RESULTS_SCHEMA("workloads", wl_row, wl_cols);

/* ---- /workload_fct: one row per workload and flow-size bucket --------- */

typedef struct wl_fct_row {
    char *workload;
    double size_lo_bytes, size_hi_bytes; /* [lo, hi); hi inf for the last */
    uint64_t flows;             /* completed in the bucket */
    uint64_t unfinished;        /* started, not completed by the end */
    double mean_fct_s;
    double mean_slowdown, p50_slowdown, p99_slowdown, p999_slowdown, max_slowdown;
} wl_fct_row;

static const results_column fct_cols[] = {
    RESULTS_STR(wl_fct_row, workload),
    RESULTS_F64(wl_fct_row, size_lo_bytes, "bytes"),
    RESULTS_F64(wl_fct_row, size_hi_bytes, "bytes"),
    RESULTS_U64(wl_fct_row, flows, "count"),
    RESULTS_U64(wl_fct_row, unfinished, "count"),
    RESULTS_F64(wl_fct_row, mean_fct_s, "s"),
    RESULTS_F64(wl_fct_row, mean_slowdown, "1"),
    RESULTS_F64(wl_fct_row, p50_slowdown, "1"),
    RESULTS_F64(wl_fct_row, p99_slowdown, "1"),
    RESULTS_F64(wl_fct_row, p999_slowdown, "1"),
    RESULTS_F64(wl_fct_row, max_slowdown, "1"),
};
static const results_schema fct_schema = RESULTS_SCHEMA("workload_fct", wl_fct_row, fct_cols);

static const char *const pattern_names[] = {"uniform", "permutation", "all_to_all", "incast"};

static int fill_wl_row(const wl_run *r, wl_row *row)
{
    const workload_config *w = r->w;
    char sizes[160];
    if (w->size_kind == WL_SIZE_FIXED)
        snprintf(sizes, sizeof sizes, "%.17gB", w->size_bytes);
    else
        snprintf(sizes, sizeof sizes, "%s %s", w->size_kind == WL_SIZE_DIST ? "size_dist"
                                                                              : "size_cdf",
                 w->size_source);
    row->name = results_strdup(w->name);
    row->pattern = results_strdup(pattern_names[w->pattern]);
    row->sizes = results_strdup(sizes);
    row->senders = w->n_senders;
    row->receivers = w->n_receivers;
    row->sender_capacity_bps = r->port_capacity_bps;
    row->mean_size_bytes = wl_mean_size_bytes(w);
    row->arrival_rate_hz = r->event_rate_hz;
    row->flows_per_arrival = r->flows_per_event;
    row->offered_load = r->event_rate_hz * r->flows_per_event * row->mean_size_bytes * 8.0 /
                        r->port_capacity_bps;
    row->flows = r->made;
    row->completed = r->completed;
    row->unfinished = r->unfinished;
    row->skipped = r->skipped;
    row->truncated = r->truncated;
    row->mean_fct_s = r->completed ? r->all_fct_sum_s / (double)r->completed : NAN;
    row->mean_slowdown = r->all.n ? r->all.sum / (double)r->all.n : NAN;
    row->p50_slowdown = wl_hist_quantile(&r->all, 0.5);
    row->p99_slowdown = wl_hist_quantile(&r->all, 0.99);
    row->p999_slowdown = wl_hist_quantile(&r->all, 0.999);
    row->max_slowdown = r->all.n ? r->all.max : NAN;
    return row->name && row->pattern && row->sizes ? 0 : -1;
}

static int fill_fct_row(const wl_run *r, int b, wl_fct_row *row)
{
    const wl_hist *h = &r->bucket[b];
    row->workload = results_strdup(r->w->name);
    row->size_lo_bytes = wl_bucket_lo(b);
    row->size_hi_bytes = wl_bucket_hi(b);
    row->flows = h->n;
    row->unfinished = r->bucket_unfinished[b];
    row->mean_fct_s = h->n ? r->fct_sum_s[b] / (double)h->n : NAN;
    row->mean_slowdown = h->n ? h->sum / (double)h->n : NAN;
    row->p50_slowdown = wl_hist_quantile(h, 0.5);
    row->p99_slowdown = wl_hist_quantile(h, 0.99);
    row->p999_slowdown = wl_hist_quantile(h, 0.999);
    row->max_slowdown = h->n ? h->max : NAN;
    return row->workload ? 0 : -1;
}

int wl_collect(const sim_ctx *c, run_results *res)
{
    const wl_state *s = sim_model_state(c, &workload_model);
    if (!s)
        return 0;
    wl_row *rows = results_table_add(&res->reg, &wl_schema, s->n_runs);
    if (!rows)
        return -1;
    size_t n_b = 0;
    for (size_t k = 0; k < s->n_runs; k++) {
        if (fill_wl_row(&s->runs[k], &rows[k]) != 0)
            return -1;
        for (int b = 0; b < WL_N_BUCKETS; b++)
            n_b += s->runs[k].bucket[b].n + s->runs[k].bucket_unfinished[b] > 0;
    }
    wl_fct_row *fr = results_table_add(&res->reg, &fct_schema, n_b);
    if (!fr)
        return -1;
    size_t i = 0;
    for (size_t k = 0; k < s->n_runs; k++)
        for (int b = 0; b < WL_N_BUCKETS; b++)
            if (s->runs[k].bucket[b].n + s->runs[k].bucket_unfinished[b] > 0 &&
                fill_fct_row(&s->runs[k], b, &fr[i++]) != 0)
                return -1;
    return 0;
}
