/* metrics.h -- the headline numbers of one sweep point, read back from its
 * results file with the HDF5 C API (layout: output/h5.h), for the index and
 * summary.h5.
 *
 * Aggregates over the /flows table. Latencies are one-way per packet; NaN
 * latencies (flows that sent nothing) are left out of means and maxima.
 * A value that cannot be computed (no flows) is NaN. Generated workload
 * flows are not in /flows: their headline is p99_slowdown, from /workloads.
 */
#ifndef SRIOV_SWEEP_METRICS_H
#define SRIOV_SWEEP_METRICS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct point_metrics {
    double delivered_bps;   /* all flows' delivered bits / simulated duration */
    double min_flow_bps;    /* lowest per-flow rate: delivered bits / (end - start) */
    double p50_mean_s;      /* mean over flows of the per-flow median latency */
    double p99_mean_s;      /* mean over flows of the per-flow p99 */
    double p99_max_s;       /* worst per-flow p99 */
    double p999_max_s;      /* worst per-flow p99.9 */
    double drop_fraction;   /* dropped / offered bytes, all flows, 0..1 */
    double n_flows;
    double p99_slowdown;    /* workloads: the worst workload's p99 FCT slowdown
                             * (/workloads.p99_slowdown); NaN without workloads.
                             * Not narrowed by the flow selection. */
} point_metrics;

/* Which flows the metrics aggregate (the sweep file's report: flows,
 * exclude_flows, vms): shell globs (fnmatch) on the flow's name, and on the
 * VM of its source or destination ("vm" of "vm.nic"). A flow counts when it
 * matches some `flows` glob (or there are none), no `exclude_flows` glob,
 * and its source or destination VM matches some `vms` glob (or there are
 * none). The noisy tenant of a cap sweep is then left out of p99_max. */
typedef struct flow_select {
    char **flows, **exclude, **vms;     /* owned by the spec */
    size_t n_flows, n_exclude, n_vms;
} flow_select;

/* Whether sel (NULL: everything) keeps the flow named name from src to dst. */
bool sweep_flow_selected(const flow_select *sel, const char *name, const char *src,
                         const char *dst);

/* Every field NaN (n_flows 0). */
void sweep_metrics_clear(point_metrics *m);

/* Reads h5_path, aggregating the flows sel keeps (NULL: all; n_flows
 * counts the kept ones). Returns 0, or -1 with a message in err. */
int sweep_metrics_read(const char *h5_path, const flow_select *sel, point_metrics *m,
                       char *err, size_t errlen);

#endif
