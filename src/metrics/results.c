/* results.c -- the core tables' schemas and releasing a run_results (see
 * results.h for ownership). */
#include "metrics/results.h"

#include <stdlib.h>
#include <string.h>

static const results_column flow_cols[] = {
    RESULTS_STR(flow_result, name),
    RESULTS_STR(flow_result, kind),
    RESULTS_STR(flow_result, from),
    RESULTS_STR(flow_result, to),
    RESULTS_F64(flow_result, offered_bytes, "bytes"),
    RESULTS_F64(flow_result, delivered_bytes, "bytes"),
    RESULTS_F64(flow_result, dropped_bytes, "bytes"),
    RESULTS_I64(flow_result, offered_packets, "packets"),
    RESULTS_I64(flow_result, delivered_packets, "packets"),
    RESULTS_F64(flow_result, remaining_bytes, "bytes"),
    RESULTS_F64(flow_result, start_s, "s"),
    RESULTS_F64(flow_result, end_s, "s"),
    RESULTS_F64(flow_result, completion_time_s, "s"),
    RESULTS_F64(flow_result, latency_mean_s, "s"),
    RESULTS_F64(flow_result, latency_p50_s, "s"),
    RESULTS_F64(flow_result, latency_p99_s, "s"),
    RESULTS_F64(flow_result, latency_p999_s, "s"),
};

static const results_column vf_cols[] = {
    RESULTS_STR(vf_result, host),
    RESULTS_STR(vf_result, adapter),
    RESULTS_I32(vf_result, vf, "index"),
    RESULTS_STR(vf_result, bdf),
    RESULTS_STR(vf_result, vm),
    RESULTS_STR(vf_result, nic),
    RESULTS_F64(vf_result, tx_bytes, "bytes"),
    RESULTS_F64(vf_result, rx_bytes, "bytes"),
    RESULTS_I64(vf_result, tx_packets, "packets"),
    RESULTS_I64(vf_result, rx_packets, "packets"),
    RESULTS_I64(vf_result, drops, "packets"),
    RESULTS_F64(vf_result, iotlb_hits, "count"),
    RESULTS_F64(vf_result, iotlb_misses, "count"),
    RESULTS_F64(vf_result, translations, "count"),
    RESULTS_F64(vf_result, walk_time_mean_s, "s"),
    RESULTS_F64(vf_result, invalidations, "count"),
    RESULTS_F64(vf_result, switched_bytes, "bytes"),
    RESULTS_F64(vf_result, forwarded_bytes, "bytes"),
    RESULTS_I64(vf_result, drop_vlan_packets, "packets"),
    RESULTS_F64(vf_result, drop_vlan_bytes, "bytes"),
    RESULTS_I64(vf_result, drop_spoof_packets, "packets"),
    RESULTS_F64(vf_result, drop_spoof_bytes, "bytes"),
    RESULTS_F64(vf_result, latency_mean_s, "s"),
    RESULTS_F64(vf_result, latency_p50_s, "s"),
    RESULTS_F64(vf_result, latency_p99_s, "s"),
    RESULTS_F64(vf_result, latency_p999_s, "s"),
};

static const results_column link_cols[] = {
    RESULTS_STR(link_result, name),
    RESULTS_STR(link_result, kind),
    RESULTS_F64(link_result, capacity_bps, "bit/s"),
    RESULTS_F64(link_result, mean_capacity_bps, "bit/s"),
    RESULTS_F64(link_result, mean_utilisation, "1"),
    RESULTS_F64(link_result, peak_utilisation, "1"),
    RESULTS_F64(link_result, bytes, "bytes"),
};

static const results_column event_cols[] = {
    RESULTS_F64(event_record, time_s, "s"),
    RESULTS_STR(event_record, host),
    RESULTS_STR(event_record, adapter),
    RESULTS_I32(event_record, vf, "index"),
    RESULTS_STR(event_record, type),
    RESULTS_STR(event_record, detail),
};

static const results_schema flows_schema = RESULTS_SCHEMA("flows", flow_result, flow_cols);
static const results_schema vfs_schema = RESULTS_SCHEMA("vfs", vf_result, vf_cols);
static const results_schema links_schema = RESULTS_SCHEMA("links", link_result, link_cols);
static const results_schema events_schema = RESULTS_SCHEMA("events", event_record, event_cols);

void results_core_tables(const run_results *r, results_table out[RESULTS_N_CORE_TABLES])
{
    out[0] = (results_table){&flows_schema, r->flows, r->n_flows};
    out[1] = (results_table){&vfs_schema, r->vfs, r->n_vfs};
    out[2] = (results_table){&links_schema, r->links, r->n_links};
    out[3] = (results_table){&events_schema, r->events, r->n_events};
}

static void meta_free(run_meta *m)
{
    free(m->tool_version);
    free(m->simgrid_version);
    free(m->scenario_name);
    free(m->scenario_text);
    free(m->resolved_text);
    free(m->granularity);
    free(m->created_utc);
    free(m->host);
    free(m->command_line);
    free(m->source_revision);
}

/* Safe on a zeroed struct and on NULL; leaves *r zeroed so a second call
 * is harmless too. Arrays are freed only up to their counts, so a producer
 * that fails half-way must keep the counts in step with what it filled
 * (calloc'd arrays with NULL strings are fine: free(NULL) is a no-op). */
void results_free(run_results *r)
{
    if (r == NULL)
        return;
    results_registry_free(&r->reg);
    meta_free(&r->meta);
    results_table core[RESULTS_N_CORE_TABLES];
    results_core_tables(r, core);
    for (size_t i = 0; i < RESULTS_N_CORE_TABLES; i++)
        results_table_free_rows(core[i].schema, core[i].rows, core[i].n_rows);
    free(r->time_s);
    free(r->flow_throughput_bps.values);
    free(r->vf_throughput_bps.values);
    free(r->link_utilisation.values);
    memset(r, 0, sizeof(*r));
}

char *results_strdup(const char *s)
{
    return strdup(s ? s : "");
}
