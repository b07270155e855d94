/* report.h -- figures from a results file, drawn by gnuplot.
 *
 * Reads the HDF5 file with the HDF5 C API only (never our structs), so it
 * works on any results file of the docs/results.md layout, including files
 * from older runs, and skips a figure whose data is missing or empty.
 *
 * Files written into out_dir (created if missing):
 *   flow_throughput.dat   "# ..." comment, then a header line "time_s <flow
 *                         names>", then one line per sample; bit/s
 *   link_utilisation.dat  same for the links with the highest peak
 *                         utilisation (at most REPORT_TOP_LINKS, highest
 *                         first); values are fractions 0..1
 *   flow_delivery.dat     "# flow offered_bytes delivered_bytes", one line
 *                         per flow; bytes
 *   vf_throughput.dat     same for the VFs (tx + rx, bit/s) with the highest
 *                         peak (at most REPORT_TOP_VFS)
 *   latency_percentiles.dat  "# ..." then per flow with latencies:
 *                         name p50_s p99_s p999_s (s)
 *   latency_cdf.dat       one block per flow (blank-line separated):
 *                         "latency_s <flow>" then (latency s, fraction)
 *                         at 0.5, 0.99, 0.999
 *   <figure>.png, <figure>.svg for figure in flow_throughput (Gbit/s over
 *                         time), vf_throughput (Gbit/s over time),
 *                         link_utilisation (% over time), flow_delivery
 *                         (offered vs delivered, GB bars),
 *                         latency_percentiles (us bars), latency_cdf (us)
 *   pcie_utilisation.dat  like link_utilisation.dat, only the links whose
 *                         /links kind is pcie_up or pcie_down (drawn with
 *                         the link_utilisation.gp template)
 *   host_cpu_utilisation.dat  same from /timeseries/host_cpu_utilisation
 *                         (fraction 0..1 of the host's cores; at most
 *                         REPORT_TOP_HOSTS hosts), when the file has it
 *   vm_vcpu_network.dat   same from /timeseries/vm_vcpu_network (fraction
 *                         0..1 of each VM's vCPUs; at most REPORT_TOP_HOSTS
 *                         VMs), drawn as vm_vcpu_network .png/.svg (%)
 *   migration_timeline.dat   = flow_throughput.dat, and
 *   migration_phases.dat  the phases of each migration (see rmig.h), when
 *                         the file has /migrations; migration_timeline.gp
 *                         also takes phasefile
 *   pcie_utilisation, host_cpu_utilisation, migration_timeline .png/.svg:
 *                         % over time, % over time, Gbit/s over time with
 *                         the phases shaded
 *   gpu_jobs.dat          per GPU instance (at most RP_GPU_MAX_INSTANCES,
 *                         file order), from /gpu_jobs and /gpu_instances:
 *                         gpu/instance, completion p50 p99 (s), slowdown
 *                         p50 p99, utilisation, jobs done (rgpu.h); drawn
 *                         as gpu_jobs .png/.svg (ms, slowdown, % panels)
 *   index.md              the figures (those without data listed as not
 *                         drawn, with the reason), their data and the gnuplot command
 *                         that redraws each one
 *   gnuplot.log           gnuplot's stdout and stderr
 * Names in .dat files have whitespace replaced by '_' so gnuplot reads
 * each as one column header.
 *
 * Templates: <dir>/<figure>.gp
 * where <dir> is $SRIOV_SCRIPTS_DIR if set (the directory holding the .gp
 * files), else the installed P/share/sriov-sim/report next to the binary
 * (util/datadir.h), else SRIOV_SOURCE_DIR "/scripts/report".
 * They take datafile, outfile, fmt (png|svg) and title through gnuplot -e.
 *
 * gnuplot is looked up on $PATH and run with fork/exec (no shell), with its
 * working directory set to out_dir.
 */
#ifndef SRIOV_REPORT_H
#define SRIOV_REPORT_H

#include <stddef.h>

#define REPORT_TOP_LINKS 8
#define REPORT_TOP_VFS 12
#define REPORT_TOP_HOSTS 12

/* Write the report for the results file h5_path into out_dir.
 * Returns 0 on success; on failure -1 and a one-line message in err
 * (errlen bytes, NUL-terminated when errlen > 0), e.g. when the file is not
 * readable HDF5, gnuplot is not on PATH, or gnuplot fails (the message then
 * names gnuplot.log). Files written before the failure are left in place. */
int report_write(const char *h5_path, const char *out_dir, char *err,
                 size_t errlen);

/* The report of a sweep directory (made by `sriov-sim sweep`): reads
 * sweep_dir/summary.h5 (layout: src/sweep/summary.h) and writes into out_dir
 *   sweep_p99, sweep_throughput, sweep_min_flow, sweep_drops  .dat/.png/.svg
 *       headline metric vs the first swept parameter or o->x (sorted when
 *       numeric), one column/line per combination of the other parameters
 *       (or of o->series),
 *       mean over the ok repetitions, NaN where no point is ok; units in
 *       the column-1 comment; the p99 figure draws the sweep's p99 target
 *   index.md, gnuplot.log
 * All four figures use the template sweep_metric.gp with extra variables
 * xlabel, ylabel, xcat, target, targetlabel.
 * Returns 0, or -1 with a message in err. */
typedef struct report_sweep_opts {
    const char *x;          /* parameter on the x axis (path or $label); NULL: the first */
    const char *series;     /* comma-separated parameters naming the lines; NULL: every
                             * parameter that varies independently of x */
} report_sweep_opts;

/* Returns 0; -2 when o names a parameter the sweep does not have (bad
 * input: err lists the sweep's parameters); -1 on other failures. */
int report_write_sweep(const char *sweep_dir, const char *out_dir, const report_sweep_opts *o,
                       char *err, size_t errlen);

#define REPORT_MAX_COMPARE 8

/* The comparison of 2..REPORT_MAX_COMPARE results files (report_compare.c):
 * flows and links matched by name, one series per run, into out_dir:
 *   compare_rate.dat     "flow <run labels>", mean delivered rate per flow
 *                        over its active time, bit/s (NaN: the run lacks it)
 *   compare_p99.dat      the same for the p99 latency, s (when any run has one)
 *   compare_links.dat    "link <run labels>", peak utilisation (fraction) of
 *                        the REPORT_TOP_LINKS links busiest in any run
 *   compare_throughput.dat  blocks "time_s flow@run" + samples (bit/s), per
 *                        flow and run, for the flows of highest rate
 *   .png/.svg of each (templates compare_bars.gp, compare_series.gp)
 *   index.md             the runs, a table of differences against the
 *                        first run (rate, drops, p99 per flow), the figures
 * Run labels are the file names without .h5 (with the parent folder when two
 * are equal). Returns 0, or -1 with a message in err. */
int report_compare(char *const *h5_paths, size_t n, const char *out_dir, char *err,
                   size_t errlen);

/* The platform picture of a results file (report_topology.c, rtopo.h):
 * out_dir/topology.dot (Graphviz), topology.png, topology.svg, topology.md
 * and dot.log. models_dir: the model files the scenario needs (NULL: the
 * default, scenario_models_dir). Returns 0; -1 with a message in err; -2
 * when dot (Graphviz) is not on PATH (topology.dot and topology.md are
 * written, err says how to install it). */
int report_topology(const char *h5_path, const char *out_dir, const char *models_dir, char *err,
                    size_t errlen);

#endif
