/* summary.h -- SWEEP_DIR/summary.h5: one row per point with its parameters
 * and headline metrics, for plotting (sriov-sim report SWEEP_DIR) and for
 * h5py/pandas users.
 *
 * /points   1-D compound dataset, one row per point in id order:
 *   id, rep, exit_code, runs      int32
 *   seed                          uint64
 *   status, file, error           variable-length UTF-8 strings
 *   wall_s, n_flows, delivered_bps, min_flow_bps, p50_mean_s, p99_mean_s,
 *   p99_max_s, p999_max_s, drop_fraction      float64 (metrics.h; NaN unknown)
 *   "<path>"        string: the parameter's value as written
 *   "<path>.value"  float64: the same in base units (bit/s, bytes, s, Hz,
 *                   or a bare number), NaN when it is not a number
 * attributes of /points:
 *   params          1-D string array: the parameter paths, in column order
 *   param_units     1-D string array: "bit/s", "bytes", "s", "Hz", "1"
 *                   (bare numbers) or "" (not numeric: a category)
 *   p99_target_s    float64, NaN when the sweep file gives none
 *   sweep           string: the sweep file
 *   units.F         string: unit of each float field F
 * Written atomically (temporary file + rename).
 */
#ifndef SRIOV_SWEEP_SUMMARY_H
#define SRIOV_SWEEP_SUMMARY_H

#include <stddef.h>

#include "sweep/index.h"
#include "sweep/plan.h"


int sweep_summary_write(const char *dir, const char *sweep_file,
                        const sweep_plan *p, const point_state *st,
                        double p99_target_s, char *err, size_t errlen);

#endif
