/* h5_write.h -- private to src/output: the parts of the file, each written
 * into an open HDF5 file by its own source (h5_tables.c, h5_series.c);
 * h5.c builds the file around them. Each returns 0, or -1 with a message
 * in e. See h5.h for the layout. */
#ifndef SRIOV_H5_WRITE_H
#define SRIOV_H5_WRITE_H

#include "metrics/results.h"
#include "output/h5_util.h"

/* /meta: its attributes and /meta/resolved. */
int h5_write_meta(hid_t file, const run_meta *m, errbuf *e);

/* /flows /vfs /links /events, then every registered table with rows. */
int h5_write_tables(hid_t file, const run_results *r, errbuf *e);

/* /timeseries: time_s, the core series, then every registered series. */
int h5_write_timeseries(hid_t file, const run_results *r, errbuf *e);

#endif
