/* rcheck.h -- the report's readers on an open HDF5 file, without drawing
 * or writing anything: what `sriov-sim report` reads from a results file
 * (report.c), a sweep's summary.h5 (report_sweep.c) or each compared run
 * (report_compare.c), read and freed.
 * For fuzz/fuzz_report.c, which gives them every input as a file image.
 */
#ifndef SRIOV_REPORT_RCHECK_H
#define SRIOV_REPORT_RCHECK_H

#include <hdf5.h>

/* 0 when the file reads (missing pieces are fine: figures are skipped),
 * -1 when it is damaged (rp_damage() in rh5.h says how). */
int rp_check_results(hid_t file);
int rp_check_summary(hid_t file);
int rp_check_compare(hid_t file);    /* what `report A.h5 B.h5` reads of each */
int rp_check_topology(hid_t file);   /* what `report --topology` reads (rtopo.h) */

#endif
