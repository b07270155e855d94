/* metrics.h -- the headline numbers of one sweep point, read back from its
 * results file with the HDF5 C API (layout: output/h5.h), for the index and
 * summary.h5.
 *
 * Aggregates over the /flows table. Latencies are one-way per packet; NaN
 * latencies (flows that sent nothing) are left out of means and maxima.
 * A value that cannot be computed (no flows) is NaN.
 */
#ifndef SRIOV_SWEEP_METRICS_H
#define SRIOV_SWEEP_METRICS_H

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
} point_metrics;

/* Every field NaN (n_flows 0). */
void sweep_metrics_clear(point_metrics *m);

/* Reads h5_path. Returns 0, or -1 with a message in err. */
int sweep_metrics_read(const char *h5_path, point_metrics *m, char *err,
                       size_t errlen);

#endif
