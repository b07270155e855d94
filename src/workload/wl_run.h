/* wl_run.h -- the workload model's run state, shared by its files
 * (private to src/workload): wl_model.c (arrivals, endpoints, the model's
 * hooks) and wl_results.c (what a finished flow records, the tables).
 * Ownership: one wl_state per run, the model's (sim_model_state).
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_WL_RUN_H
#define SRIOV_WL_RUN_H

#include <stdint.h>

#include "metrics/results_table.h"
#include "sim/models.h"
#include "workload/wl_fct.h"

/* What a live flow needs when it ends, by flow index (spawn.h). */
typedef struct wl_live {
    uint32_t workload;
    uint64_t id;                /* the workload's flow number, from 0 */
    double ideal_s;             /* alone on the empty network (wl_fct.h) */
    double one_way_s, rtt_s;
    double q_start_s;           /* standing queues met at its start (wl_queue_s) */
    double q_ack_s;             /* and by its acknowledgements on the way back */
    int counted;                /* in wl_state.on_dlink (from the end of its arrival) */
    double payload_bytes;       /* the flow's size drawn; it moves as frames (wl_wire_bytes) */
} wl_live;

typedef struct wl_run {
    const workload_config *w;
    size_t idx;
    uint64_t rng;
    double event_rate_hz;       /* arrival events per second */
    double flows_per_event;
    double port_capacity_bps;   /* the senders' distinct ports, summed */
    double w0_bytes;            /* initial window in frame bytes: initial_window x (MSS + headers) */
    pkt_size pkt;               /* a full segment's frame, MSS + WL_SEG_HEADER_BYTES */
    double hystart_seg_bytes;   /* slow_start: hystart: that frame; classic: 0 (wl_fct.h) */
    uint64_t made, completed, unfinished, skipped;
    int truncated;              /* max_flows reached */
    /* receivers grouped by rack: recv_by_rack[rack_off[r] .. rack_off[r+1]) */
    size_t *rack_off;
    wl_nic *recv_by_rack;
    wl_nic *perm;               /* permutation: sender i -> perm[i] */
    size_t *pick;               /* incast: a permutation of the senders */
    wl_hist all;
    wl_hist bucket[WL_N_BUCKETS];
    uint64_t bucket_unfinished[WL_N_BUCKETS];
    double fct_sum_s[WL_N_BUCKETS];
    double all_fct_sum_s;
} wl_run;

typedef struct wl_state {
    wl_run *runs;
    size_t n_runs;
    wl_live *live;              /* [flow index], grown with the flows */
    size_t live_cap;
    uint32_t *on_dlink;         /* [dlink] live workload flows crossing it */
    double *bytes_on_dlink;     /* [dlink] and their sizes, summed (frame bytes) */
    size_t *batch;              /* flows of the arrival being made: counted after
                                   it, so flows starting together (incast,
                                   all-to-all) meet no queue of each other's */
    size_t n_batch, batch_cap;
    results_stream *flows;      /* /workload_flows, NULL when none recorded */
} wl_state;

extern const sim_model_ops workload_model;

/* Drain time (s) of the standing queues flow f's data waits behind on
 * its route, with the live flows counted in s->on_dlink (f not among
 * them): at each hop of f's bottleneck share (capacity over the flows
 * crossing it, f included; the smallest on its route) that others cross,
 * wl_standing_queue_bytes of the hop's buffer over its capacity, at most
 * the bytes those others move (a queue holds only what was sent:
 * short flows cannot fill a deep buffer; docs/granularity.md "Queueing
 * delay"). *ack_s gets the same for its
 * acknowledgements, on the other direction of its links (at the hops of
 * the narrowest share of the flows there). wl_model.c. */
double wl_queue_s(const sim_ctx *c, const wl_state *s, size_t f, double rtt_s, double *ack_s);

/* spawn.h's on_end: records flow f of run arg (wl_results.c). */
void wl_flow_ended(sim_ctx *c, size_t f, void *arg);
/* The tables, at collect (wl_results.c). 0 or -1. */
int wl_collect(const sim_ctx *c, run_results *r);
/* /workload_flows, at init when a workload records its flows. 0 or -1. */
int wl_open_flow_table(sim_ctx *c, wl_state *s);

#endif
