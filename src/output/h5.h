/* h5.h -- writing a run_results as one self-describing HDF5 file.
 *
 * Layout (docs/results.md describes every dataset and column):
 *   /meta                      group; scalar attributes
 *                                tool_version, simgrid_version, scenario_name,
 *                                granularity, scenario (full text)   strings
 *                                seed                                 uint64
 *                                duration_s, wall_time_s              float64, s
 *   /meta/resolved             scalar string dataset: resolved scenario (YAML)
 *   /flows /vfs /links /events 1-D compound datasets, one row per item, in
 *                              run_results order (possibly 0 rows)
 *   /<table>                   every table a model registered
 *                              (results_table.h: /migrations, /pf_vfs,
 *                              /guest_view, /ports), from its schema, when
 *                              it has rows
 *   /timeseries/time_s         1-D float64 [n_samples], units "s"
 *   /timeseries/flow_throughput_bps, vf_throughput_bps, link_utilisation
 *                              2-D float64 [n_samples x n_cols], row-major
 *                              as in results.h; attributes
 *                                units    scalar string ("bit/s", "1")
 *                                columns  1-D string array [n_cols]: flow
 *                                         names, VF names "host.adapter.vfN",
 *                                         link names; same order as the table
 *                              chunked + shuffle + deflate when non-empty;
 *                              contiguous with a 0-sized dimension when empty
 *                              (rank is always 2).
 *   /timeseries/<series>       every series a model registered
 *                              (host_cpu_utilisation), the same way, when it
 *                              has columns
 *
 * Types. Every string (attribute, dataset or compound field) is a
 * variable-length, NUL-terminated, UTF-8 C string: h5py returns str for
 * attributes and bytes inside compound rows, h5dump prints them plainly.
 * Floats are IEEE float64 little-endian; compound integer fields are
 * int32, int64 or uint64 little-endian as the schema says (every table
 * today uses int32); the seed attribute is uint64 little-endian.
 *
 * Units. Each numeric compound field F carries one string attribute named
 * "units.F" on its table dataset, e.g. /flows@units.delivered_bytes = "bytes".
 * Unit strings: "s", "bytes", "bit/s", "packets", "count" (event counts),
 * "1" (dimensionless ratio 0..1), "index" (a number such as a VF number).
 * String fields carry no units attribute.
 *
 * Determinism: the same run_results gives the same bytes in every dataset
 * and attribute except /meta@wall_time_s (object timestamps are disabled,
 * file format bounds are pinned), so two runs can be compared by digest.
 *
 * Format bounds: HDF5 1.8 object format (H5F_LIBVER_V18 low and high), so
 * any HDF5 >= 1.8 (h5py, pandas, MATLAB, h5dump) reads the file, while
 * attributes larger than 64 KiB (big scenario texts) still fit in dense
 * attribute storage.
 */
#ifndef SRIOV_H5_H
#define SRIOV_H5_H

#include <stddef.h>

#include "metrics/results.h"

/* Write r to path atomically: the file is built as "<path>.tmp.<pid>" in the
 * same directory, closed, fsync'd and renamed over path, so a reader sees
 * either the old file or the complete new one. Missing parent directories
 * are created (mode 0777 & ~umask). r is only read; nothing is retained.
 * Returns 0 on success. On failure returns -1, writes a one-line message
 * into err (errlen bytes, always NUL-terminated when errlen > 0), leaves no
 * temporary file behind and leaves any existing file at path untouched. */
int h5_write_results(const run_results *r, const char *path, char *err,
                     size_t errlen);

/* Check, before a long run, that h5_write_results(path) can create its
 * temporary file: creates missing parent directories and creates/removes
 * a probe file next to path. Fails if path names a directory, device,
 * FIFO or socket (util/safefile.h).
 * Returns 0 if writable, else -1 with a message in err. */
int h5_check_writable(const char *path, char *err, size_t errlen);

#endif
