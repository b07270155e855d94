/* results.h -- what a finished run hands to the writers: plain tables and
 * time series, no SimGrid types. The contract between the simulation
 * (producer) and output/ and report/ (consumers).
 *
 * Units are in the field names: _s seconds, _bytes bytes, _bps bits/s.
 * Ownership: a run_results owns every string and array; results_free()
 * releases all of it. Strings are never NULL (empty string instead).
 * NaN marks "not applicable" (e.g. completion_time_s of an inelastic flow).
 */
#ifndef SRIOV_RESULTS_H
#define SRIOV_RESULTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct flow_result {
    char *name;
    char *kind;                 /* "inelastic" | "elastic" */
    char *from;                 /* "vm.nic" */
    char *to;                   /* "vm.nic" | "external" */
    double offered_bytes;       /* what the source tried to send */
    double delivered_bytes;
    double dropped_bytes;       /* offered - delivered for inelastic flows */
    double offered_packets;
    double delivered_packets;
    double start_s;
    double end_s;               /* when it stopped sending (or completed) */
    double completion_time_s;   /* elastic: end_s - start_s if completed, else NaN */
    double latency_mean_s;      /* one-way, per packet */
    double latency_p50_s;
    double latency_p99_s;
    double latency_p999_s;
} flow_result;

typedef struct vf_result {
    char *host;
    char *adapter;
    int32_t vf;                 /* VF number on the adapter */
    char *bdf;                  /* "0000:3b:02.1" */
    char *vm;                   /* "" when unassigned */
    char *nic;
    double tx_bytes;
    double rx_bytes;
    double tx_packets;
    double rx_packets;
    double drops;               /* packets */
    double iotlb_hits;
    double iotlb_misses;
    double translations;        /* IOTLB lookups (datapath model) */
    double walk_time_mean_s;    /* mean time per page walk, queueing included; NaN: no walk */
    double invalidations;       /* IOTLB invalidations queued for the VF's unmaps */
    double switched_bytes;      /* Tx switched VF<->VF inside the adapter (VEB eSwitch) */
    double forwarded_bytes;     /* Tx sent to the port's wire */
    double drop_vlan_packets;   /* Tx dropped by VLAN isolation (eSwitch) */
    double drop_vlan_bytes;
    double drop_spoof_packets;  /* Tx dropped by the spoof check (eSwitch) */
    double drop_spoof_bytes;
} vf_result;

/* One adapter port's eSwitch counters (src/eswitch/): traffic its VFs sent,
 * by what the eSwitch did with it. */
typedef struct port_result {
    char *name;                 /* "h1.nic0.p0", as its wire link */
    char *host;
    char *adapter;
    int32_t port;
    double switched_bytes;      /* VF<->VF inside the adapter (VEB) */
    double forwarded_bytes;     /* from its VFs to the wire */
    double drop_vlan_packets;
    double drop_vlan_bytes;
    double drop_spoof_packets;
    double drop_spoof_bytes;
} port_result;

typedef struct link_result {
    char *name;                 /* SimGrid link name, e.g. "h1.nic0.pcie_UP" */
    char *kind;                 /* pcie_up pcie_down port_up port_down eswitch tor_up tor_down external_up external_down vf_shaper */
    double capacity_bps;        /* as built (models may change it while running) */
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

/* One live migration (src/migration/): its phases and what it cost. */
typedef struct migration_result {
    char *vm;
    char *from;                 /* host names */
    char *to;
    double start_s;             /* the migrate event */
    double precopy_start_s;     /* after the VF hot-unplug (= start_s without a VF) */
    double precopy_end_s;       /* stop-and-copy begins */
    double downtime_s;          /* VM paused: stop-and-copy + min_downtime */
    double end_s;               /* running on the destination (before any VF re-plug) */
    double replug_end_s;        /* VF back on the destination; NaN when not re-plugged */
    double bytes;               /* memory sent, all rounds */
    int32_t rounds;             /* pre-copy rounds, the first full copy included */
    int32_t vf_replugged;       /* 1 VF plugged on the destination, 0 stayed virtio/none */
    double lost_packets;        /* offered by the VM's inelastic flows while paused */
} migration_result;

/* The PF's view of one VF (src/pf/): every tenant it had, every counter the
 * PF driver keeps. Row key host.adapter.vfN. */
typedef struct pf_vf_result {
    char *host;
    char *adapter;
    int32_t vf;
    char *state;                /* at the end: disabled free assigned flr */
    char *tenants;              /* "vm.nic" of each tenant in order, ' '-separated */
    double tx_bytes;            /* all tenants */
    double rx_bytes;
    double tx_packets;
    double rx_packets;
    double flr_count;
    double flr_lost_packets;    /* in the rings when an FLR hit (docs/pf-control-plane.md) */
    double faults_blocked;      /* IOMMU / ACS / VFIO blocked accesses */
    double mbx_requests;
    double mbx_denied;
    double mbx_timeouts;
} pf_vf_result;

/* What one guest sees of its VF NIC: its own counters only. Row key name. */
typedef struct guest_view_result {
    char *name;                 /* "vm.nic" */
    char *bdf;                  /* its VF, "" when it never had one */
    double tx_bytes;            /* its own flows only */
    double rx_bytes;
    double tx_packets;
    double rx_packets;
    double mbx_requests;        /* it sent */
    double mbx_denied;          /* answers it got */
    double mbx_timeouts;
    double resets_seen;         /* FLRs of its VF while it owned it */
} guest_view_result;

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
    series host_cpu_utilisation;/* n_cols == n_host_names: software datapath
                                 * CPU (vhost, OVS-DPDK PMD), 0..1 of the host */
    char **host_names;          /* [n_host_names] column names of the series above */
    size_t n_host_names;
    migration_result *migrations;
    size_t n_migrations;
    port_result *ports;         /* every adapter port, host by host */
    size_t n_ports;
    pf_vf_result *pf_vfs;       /* /pf_vfs: the PF's per-VF statistics */
    size_t n_pf_vfs;
    guest_view_result *guest_view; /* /guest_view: one row per VF NIC */
    size_t n_guest_view;
    event_record *events;
    size_t n_events;
} run_results;

void results_free(run_results *r);

/* A copy of s for a results string field, "" for NULL (strings in results
 * are never NULL). NULL only when out of memory. */
char *results_strdup(const char *s);

#endif
