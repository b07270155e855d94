/* rmig.h -- internal to src/report: the phases of each live migration, as
 * intervals to shade over the throughput figure.
 *
 * Source: the /migrations table (src/migration/mig_results.h migration_result,
 * times in s) and, for what the table cannot say, the mig_* rows of
 * /events. Per migration, in time order (a phase is omitted when it did
 * not happen):
 *   vf_unplug  [start_s, precopy_start_s]   VF hot-unplug (VM on a VF only)
 *   precopy    [precopy_start_s, precopy_end_s]
 *   stopcopy   [precopy_end_s, end_s]       VM paused: the downtime
 *   virtio     [end_s, replug_end_s]        resumed on the destination on
 *              the standby virtio NIC; up to the end of the run (or the
 *              VM's next migration) when no VF came back (a
 *              mig_vf_unavailable event) after an unplug
 *   vf_replug  [replug_end_s, replug_end_s] the instant the VF is back
 * A phase still running at the end of the run (its end time never set:
 * 0 or NaN in the table) ends at run_end_s and later phases are omitted.
 */
#ifndef SRIOV_REPORT_RMIG_H
#define SRIOV_REPORT_RMIG_H

#include <hdf5.h>
#include <stddef.h>

#include "report/rplot.h"

typedef struct mig_phase {
    size_t mig;             /* row of /migrations */
    const char *phase;      /* static: one of the names above */
    double start_s, end_s;
} mig_phase;

typedef struct mig_phases {
    size_t n_mig;
    char **vm, **from, **to;    /* [n_mig], owned */
    size_t n;
    mig_phase *rows;            /* [n], owned, by migration then time */
} mig_phases;

/* Reads the phases; run_end_s is the time of the last sample. Returns 0
 * (out->n_mig may be 0 for an empty table), or -1 when the file has no
 * readable /migrations table (the figure is then skipped). */
int rp_read_mig_phases(hid_t file, double run_end_s, mig_phases *out);
void rp_mig_phases_free(mig_phases *p);

/* name (e.g. "migration_phases.dat"): a '#' comment, then one line per
 * phase: "vm from to phase start_s end_s". */
int rp_export_mig_phases(const char *dir, const char *name,
                         const mig_phases *p, errbuf *e);

/* At most this many zoomed panels under the migration timeline: one per
 * migration with a stop-and-copy phase, the first in time order. */
#define RP_MIG_ZOOMS 4

/* The gnuplot assignments of the migration figure (owned, NULL when out of
 * memory): phasefile='NAME'; nzoom=K; zooms='lo hi start end ...' -- per
 * zoomed migration the window (s) and its stop-and-copy interval. The
 * window is the downtime widened by max(2 x downtime, 0.25 s) on each side
 * (clamped at 0), so that a 0.11 s downtime on a 30 s run fills a third of
 * its panel and a few samples either side show the throughput around it. */
char *rp_mig_zoom_extra(const mig_phases *p, const char *phasefile);

#endif
