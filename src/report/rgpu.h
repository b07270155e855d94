/* rgpu.h -- internal to src/report: the GPU figure's data, from /gpus,
 * /gpu_instances and /gpu_jobs (docs/gpu.md, docs/results.md): per GPU
 * instance, the p50 and p99 of its finished jobs' completion time and
 * slowdown (completion / the job alone on its share), and its utilisation,
 * so partitions and time-sliced vGPUs of one tenant mix sit side by side.
 * The file is untrusted: rows naming a GPU or instance that does not exist
 * are skipped and counted.
 * Ownership: gpu_fig_data owns its arrays. Units: seconds, slowdown 1,
 * utilisation 1.
 */
#ifndef SRIOV_REPORT_RGPU_H
#define SRIOV_REPORT_RGPU_H

#include <hdf5.h>
#include <stddef.h>

#include "report/rplot.h"

/* Instances drawn at most (the first ones in file order, GPU by GPU). */
#define RP_GPU_MAX_INSTANCES 40

typedef struct gpu_fig_data {
    size_t n;                   /* instances (rows of /gpu_instances) */
    char **label;               /* [n] "gpu/instance" */
    double *c50, *c99;          /* completion time of its finished jobs, s; NaN: none */
    double *s50, *s99;          /* slowdown of the same jobs; NaN: none */
    double *util;               /* /gpu_instances utilisation */
    size_t *done;               /* finished jobs counted */
    size_t skipped;             /* /gpu_jobs rows with an unknown gpu or instance */
} gpu_fig_data;

/* 0, or -1 when the file has no readable GPU tables (no figure). */
int rp_read_gpu(hid_t file, gpu_fig_data *out);
void rp_gpu_free(gpu_fig_data *d);
/* gpu_jobs.dat: a comment line, then per instance (at most
 * RP_GPU_MAX_INSTANCES): label, c50, c99, s50, s99, utilisation, jobs done
 * (NaN for percentiles without a finished job). *n_drawn the lines. */
int rp_export_gpu(const char *dir, const gpu_fig_data *d, size_t *n_drawn, errbuf *e);

#endif
