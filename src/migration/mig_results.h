/* mig_results.h -- one live migration as a row of /migrations: its phases
 * and what it cost. The migration model fills one per migrate event while
 * it runs and registers the table at collect (metrics/results_table.h);
 * the schema (column names and units) is migration_results_schema.
 * Times in seconds of simulated time; NaN: the phase was not reached. */
#ifndef SRIOV_MIG_RESULTS_H
#define SRIOV_MIG_RESULTS_H

#include <stdint.h>

#include "metrics/results_table.h"

typedef struct migration_result {
    char *vm;
    char *from;                 /* host names */
    char *to;
    double start_s;             /* the migrate event */
    double precopy_start_s;     /* after the VF hot-unplug (= start_s without a VF) */
    double precopy_end_s;       /* stop-and-copy begins */
    double downtime_s;          /* VM paused: stop-and-copy + min_downtime */
    double end_s;               /* running on the destination (before any VF re-plug) */
    double replug_end_s;        /* VF back on the destination; NaN when not re-plugged */
    double bytes;               /* memory sent, all rounds */
    int32_t rounds;             /* pre-copy rounds, the first full copy included */
    int32_t vf_replugged;       /* 1 VF plugged on the destination, 0 stayed virtio/none */
    double lost_packets;        /* offered by the VM's inelastic flows while paused */
    double gpu_state_bytes;     /* vGPU state sent at stop-and-copy (0: no vGPU) */
    double gpu_state_s;         /* its part of the downtime, after the RAM left: save
                                   over PCIe + state stream + restore over PCIe +
                                   the driver's fixed cost (NaN: not reached) */
} migration_result;

/* /migrations: the columns of migration_result, in file order. */
extern const results_schema migration_results_schema;

#endif
