/* results.h -- what a finished run hands to the writers: plain tables and
 * time series, no SimGrid types. The contract between the simulation
 * (producer) and output/ and report/ (consumers).
 *
 * Units are in the field names: _s seconds, _bytes bytes, _bps bits/s.
 * Ownership: a run_results owns every string and array; results_free()
 * releases all of it. Strings are never NULL (empty string instead).
 * NaN marks "not applicable" (e.g. completion_time_s of an inelastic flow).
 *
 * The structs here are the engine's tables. A model's tables (and its
 * columns, names and units) live in the model and reach the file through
 * the registry in results_table.h.
 */
#ifndef SRIOV_RESULTS_H
#define SRIOV_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/results_table.h"

typedef struct flow_result {
    char *name;
    char *kind;                 /* "inelastic" | "elastic" */
    char *from;                 /* "vm.nic" */
    char *to;                   /* "vm.nic" | "external" */
    double offered_bytes;       /* what the source tried to send */
    double delivered_bytes;
    double dropped_bytes;       /* offered - delivered for inelastic flows */
    int64_t offered_packets;    /* whole packets (rounded from bytes) */
    int64_t delivered_packets;
    double remaining_bytes;     /* elastic: of its size still to move at the
                                   end (0 once complete); inelastic: NaN */
    double start_s;
    double end_s;               /* when it stopped sending (or completed) */
    double completion_time_s;   /* elastic: end_s - start_s if completed, else NaN */
    double latency_mean_s;      /* one-way, per packet */
    double latency_p50_s;
    double latency_p99_s;
    double latency_p999_s;
} flow_result;

/* One VF as the topology built it. The IOTLB columns (datapath model) and
 * the eSwitch columns are filled by those models' collect hooks, but stay
 * in this core table: every file has them (0 when the model did not run),
 * so they are not a table a model registers. */
typedef struct vf_result {
    char *host;
    char *adapter;
    int32_t vf;                 /* VF number on the adapter */
    char *bdf;                  /* "0000:3b:02.1" */
    char *vm;                   /* "" when unassigned */
    char *nic;
    double tx_bytes;
    double rx_bytes;
    int64_t tx_packets;         /* whole packets */
    int64_t rx_packets;
    int64_t drops;              /* packets */
    double iotlb_hits;
    double iotlb_misses;
    double translations;        /* IOTLB lookups (datapath model) */
    double walk_time_mean_s;    /* mean time per page walk, queueing included; NaN: no walk */
    double invalidations;       /* IOTLB invalidations queued for the VF's unmaps */
    double switched_bytes;      /* Tx switched VF<->VF inside the adapter (VEB eSwitch) */
    double forwarded_bytes;     /* Tx sent to the port's wire */
    int64_t drop_vlan_packets;  /* Tx dropped by VLAN isolation (eSwitch) */
    double drop_vlan_bytes;
    int64_t drop_spoof_packets; /* Tx dropped by the spoof check (eSwitch) */
    double drop_spoof_bytes;
    /* One-way latency of the packets of the flows it sends, from its
     * histogram (the sum of theirs: /vf_latency_hist); NaN: none. */
    double latency_mean_s;
    double latency_p50_s;
    double latency_p99_s;
    double latency_p999_s;
} vf_result;

typedef struct link_result {
    char *name;                 /* SimGrid link name, e.g. "h1.nic0.pcie_UP" */
    char *kind;                 /* pcie_up pcie_down port_up port_down eswitch tor_up tor_down external_up external_down vf_shaper iommu vhost adapter_up adapter_down ... (docs/results.md) */
    double capacity_bps;        /* as built (models may change it while
                                   running); NaN: built without a limit of
                                   its own, or not a byte link (iommu, vhost) */
    double mean_capacity_bps;   /* in effect: its capacity integrated over
                                   the run / the run's length; NaN when it
                                   had no limit for a while or is not a byte
                                   link */
    double mean_utilisation;    /* bytes / the integral of capacity over the
                                   run (what it could have carried), 0..1 */
    double peak_utilisation;    /* max over sample intervals, each against
                                   its own capacity integral, 0..1 */
    double bytes;
} link_result;

/* A [n_samples x n_cols] matrix, row-major: values[t * n_cols + c]. */
typedef struct series {
    size_t n_cols;
    double *values;
} series;

typedef struct event_record {
    double time_s;
    char *host;
    char *adapter;
    int32_t vf;                 /* -1 when not about one VF */
    char *type;                 /* e.g. "vf_enable", "flr_start", "qos_set" */
    char *detail;
} event_record;

/* The layout of the results file (docs/results.md, "Schema versions"):
 * /meta@schema_version. 2: /link_flows, /link_transfers, mean_capacity_bps,
 * remaining_bytes, whole packet counts, provenance. 3: latency histograms
 * (/flow_latency_hist, /vf_latency_hist and their counts) and the /vfs
 * latency columns. A file without the attribute is version 1. */
#define RESULTS_SCHEMA_VERSION 3

typedef struct run_meta {
    char *tool_version;
    char *simgrid_version;
    char *scenario_name;
    char *scenario_text;        /* the file as given */
    char *resolved_text;        /* the scenario with defaults filled in (YAML) */
    char *granularity;
    uint64_t seed;
    double duration_s;
    double wall_time_s;         /* NOT part of the deterministic datasets */
    /* Provenance (cli/provenance.h), NOT part of the deterministic datasets
     * either: */
    char *created_utc;          /* "2026-11-27T14:40:00Z" */
    char *host;                 /* gethostname */
    char *command_line;         /* as a shell would read it back */
    char *source_revision;      /* git describe at configure time, or "v" VERSION */
    uint64_t peak_active_flows; /* most flows moving at one time */
    uint64_t peak_solver_flows; /* most of them that were SimGrid transfers
                                   at one time (the rest ran on the fast
                                   path, src/sim/fluid.h) */
} run_meta;

typedef struct run_results {
    run_meta meta;
    flow_result *flows;
    size_t n_flows;
    vf_result *vfs;
    size_t n_vfs;
    link_result *links;
    size_t n_links;
    size_t n_samples;
    double *time_s;             /* [n_samples], end of each sample interval */
    series flow_throughput_bps; /* n_cols == n_flows */
    series vf_throughput_bps;   /* n_cols == n_vfs (tx + rx) */
    series link_utilisation;    /* n_cols == n_links, 0..1 */
    event_record *events;
    size_t n_events;
    /* The models' own tables and series (/migrations, /pf_vfs, ...,
     * /timeseries/host_cpu_utilisation), each added by the model's collect
     * hook with its schema: see results_table.h. */
    results_registry reg;
} run_results;

/* The core tables (/flows, /vfs, /links, /events): the engine's, written
 * in every file (possibly with 0 rows), before the registered ones. Their
 * schemas are here, next to the structs. */
#define RESULTS_N_CORE_TABLES 4
void results_core_tables(const run_results *r, results_table out[RESULTS_N_CORE_TABLES]);

void results_free(run_results *r);

/* A copy of s for a results string field, "" for NULL (strings in results
 * are never NULL). NULL only when out of memory. */
char *results_strdup(const char *s);

#endif
