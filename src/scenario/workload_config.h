/* workload_config.h -- the typed `workloads:` section (docs/scenario.md,
 * "workloads[]"): flows generated during the run, never materialised in
 * the YAML. The loader resolves each selector into the VM NICs it names
 * and reads the flow-size law (a fixed size, a shipped published
 * distribution under models/workloads/, or the user's CDF file) into
 * points; src/workload/ generates the flows from these.
 *
 * Ownership: owned by the scenario_config; config_free releases it.
 * Units: bytes, bits per second (_bps), seconds, hertz.
 */
#ifndef SRIOV_WORKLOAD_CONFIG_H
#define SRIOV_WORKLOAD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { WL_UNIFORM = 0, WL_PERMUTATION, WL_ALL_TO_ALL, WL_INCAST } wl_pattern_t;
/* What a selector's names are matched against. */
typedef enum { WL_SEL_RACKS = 0, WL_SEL_HOSTS, WL_SEL_VMS, WL_SEL_NICS } wl_sel_kind_t;
/* Where the flow sizes come from. */
typedef enum { WL_SIZE_FIXED = 0, WL_SIZE_DIST, WL_SIZE_FILE } wl_size_kind_t;

/* A selector as written: glob patterns (fnmatch) on one kind of name,
 * optionally kept to the hosts (racks, hosts) or VMs (vms, nics) that carry
 * a tag. */
typedef struct wl_selector {
    wl_sel_kind_t kind;
    char **patterns;
    size_t n_patterns;
    char *tag;                  /* NULL = any */
} wl_selector;

/* A flow-size law as a piecewise-linear CDF: size_bytes[i] increasing,
 * p[i] non-decreasing in [0, 1], p[n-1] == 1; P(size <= size_bytes[0]) =
 * p[0] (a point mass), linear in size between points. */
typedef struct wl_cdf {
    double *size_bytes;
    double *p;
    size_t n;
    double mean_bytes;          /* of the piecewise-linear law */
} wl_cdf;

/* One endpoint of a generated flow: a VM NIC (config.h endpoint_ref). */
typedef struct wl_nic {
    int vm_idx;
    int nic_idx;
} wl_nic;

/* The start-up term's window growth (docs/granularity.md "Slow start's
 * early exit"): doubling until it covers rate x RTT, or CUBIC's HyStart
 * (ns-3.37's TcpCubic): doubling to 16 segments, then 5 % a round trip,
 * under a 2 ms RTT. */
typedef enum { WL_SS_CLASSIC = 0, WL_SS_HYSTART = 1 } wl_slow_start_t;

typedef struct workload_config {
    char *name;
    wl_selector from, to;       /* as written (for /meta/resolved) */
    wl_nic *senders;            /* resolved, in VM then NIC order */
    size_t n_senders;
    wl_nic *receivers;
    size_t n_receivers;
    wl_pattern_t pattern;
    double rack_local;          /* uniform: fraction of flows kept in the
                                   sender's rack; < 0 = not given (receivers
                                   drawn uniformly) */
    int fan_in;                 /* incast: senders per event */
    wl_size_kind_t size_kind;
    char *size_source;          /* dist name or file as written; NULL fixed */
    double size_bytes;          /* fixed size */
    wl_cdf cdf;                 /* dist or file */
    double load;                /* fraction of the senders' port capacity;
                                   0 = flow_rate_hz is given instead */
    double flow_rate_hz;        /* arrival events per second; 0 = load */
    double start_s, stop_s;     /* arrivals in [start, stop) */
    double rate_cap_bps;        /* per-flow cap, 0 = elastic uncapped */
    int initial_window;         /* segments; 0 = no start-up term */
    wl_slow_start_t slow_start; /* how the start-up term's window grows */
    double mss_bytes;
    uint64_t max_flows;         /* generation stops after this many */
    bool record_flows;          /* per-flow table /workloads/<name>/flows */
    int line, col;              /* where the workload is written */
} workload_config;

/* Limits, enforced at load (docs/scenario.md "workloads[]"). */
enum {
    WL_MAX_WORKLOADS = 64,
    WL_MAX_CDF_POINTS = 100000,
    WL_MAX_CDF_FILE_BYTES = 4 * 1024 * 1024,
    WL_MAX_FAN_IN = 65536,
};
#define WL_MAX_FLOWS 1000000000ull      /* max_flows upper bound (and default 1e8) */
#define WL_DEFAULT_MAX_FLOWS 100000000ull
#define WL_MAX_RACK_PAIRS 4000000ull    /* same-rack sender x receiver routes */

void workload_config_free(workload_config *w);

/* A size drawn from the law for u uniform in (0, 1): bytes, >= 1, whole. */
double wl_cdf_sample(const wl_cdf *c, double u);
/* The law's CDF at x bytes (for tests: the Kolmogorov-Smirnov statistic). */
double wl_cdf_at(const wl_cdf *c, double x);
/* The mean flow size of a workload's law (bytes). */
double wl_mean_size_bytes(const workload_config *w);
/* A size for u uniform in (0, 1) from the workload's law. */
double wl_draw_size_bytes(const workload_config *w, double u);

#endif
