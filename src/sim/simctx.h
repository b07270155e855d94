/* simctx.h -- the simulation context: the one struct that holds a run's
 * state while SimGrid executes it. Internal to src/sim/; the public entry
 * point is run.h.
 *
 * The fluid design (docs/architecture.md, "Fluid traffic"):
 *   - each active flow is ONE SimGrid transfer between its two endpoints,
 *     capped at the flow's offered rate (sgshim.h); SimGrid's max-min
 *     solver shares every link on the route;
 *   - a transfer is re-planned (cancelled and restarted) only when the flow
 *     itself changes: start, stop, pause; link capacity changes (QoS) go
 *     to SimGrid as sg_link_set_bandwidth and need no re-plan;
 *   - with simulation.rate_epoch > 0 every rate-changing action is moved to
 *     the next epoch boundary, so the solver runs at most once per epoch
 *     plus once per natural completion; 0 keeps exact times;
 *   - nothing costs work per packet: samples read each transfer's remaining
 *     bytes (O(flows) per sample interval);
 *   - a capped flow whose every link has room for all the caps crossing it
 *     is "free": no transfer, it moves its cap x time (fluid.h), so the
 *     solver sees only the congested part of the platform.
 *
 * Only the types live here; each engine file declares its functions in its
 * own header (engine.h lists the ones models use; docs/architecture.md,
 * "Engine layering", says who calls whom).
 * Units: bytes, bytes per second (SimGrid's), seconds.
 */
#ifndef SRIOV_SIMCTX_H
#define SRIOV_SIMCTX_H

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/routes.h"
#include "platform/topo.h"
#include "metrics/latency.h"
#include "metrics/latency_feed.h"
#include "metrics/results.h"
#include "scenario/config.h"
#include "sim/netagg.h"
#include "sim/sgshim.h"

/* One direction of a topology link, as SimGrid names it. */
typedef struct dlink {
    sg_link_t sg;
    char *name;                 /* "h1.nic0.p0_UP" */
    int topo_link;
    int up;                     /* 1 UP, 0 DOWN, -1 not split */
    double bytes;               /* total carried */
    double peak_utilisation;
    double total_cap_bytes;     /* capacity x time over the sampled run */
    int uncapped_for_a_while;   /* ran at TOPO_UNCAPPED_Bps for some time:
                                   it has no capacity in effect to report */
} dlink;

/* What the per-sample and per-step loops read of a dlink, for every hop of
 * every flow: kept apart (32 bytes, sim_ctx.load) so that a pod's links fit
 * in a core's L2 cache, which the whole dlink (with names and totals) does
 * not at pod-1k. */
typedef struct dlink_load {
    double interval_bytes;      /* carried in the current sample interval */
    double utilisation;         /* of the last completed interval, 0..1 */
    double capacity_Bps;        /* SimGrid's now: set only through
                                   sim_set_dlink_Bps, which keeps it */
    double latency_s;           /* the topology link's propagation delay */
    double cap_bytes;           /* capacity x time in the interval up to
                                   cap_since_s: utilisation is against what
                                   the link could carry, also when a model
                                   changed its capacity mid-interval */
    double cap_since_s;
} dlink_load;

typedef enum { FLOW_PENDING = 0, FLOW_ACTIVE, FLOW_PAUSED, FLOW_DONE } flow_phase_t;

typedef struct flow_rt {
    const flow_config *cfg;
    int src_ep, dst_ep;
    sg_host_t src, dst;
    int *hops;                  /* dlink indices of the route, in order */
    size_t n_hops;
    uint32_t walker_hops;       /* bit h: hop h is the IOMMU page walker or an
                                   adapter's total link, not a packet queue
                                   (no queueing delay; flows.c) */
    uint32_t fabric_hops;       /* bit h: hop h is a switch fabric (ToR,
                                   eswitch), transparent to the latency
                                   feeders; kept with walker_hops so the
                                   sampler reads no topology per sample */
    double prop_latency_s;      /* sum of the route's propagation latencies */
    double offered_Bps;         /* what the source offers (the scenario's rate;
                                   elastic: its optional cap); 0 = none */
    double rate_cap_Bps;        /* cap of its transfer now: offered_Bps, or
                                   lower when a model limits it (flow_set_cap) */
    double mean_pkt_bytes;
    double size_m1, size_m2;    /* moments of its packet size law (bytes,
                                   bytes^2; lat_size_moments), kept for the
                                   latency accumulator at every sample */
    flow_phase_t phase;
    shim_xfer *xfer;            /* the running transfer, NULL otherwise */
    unsigned char inelastic;    /* cfg->kind == FLOW_INELASTIC, kept here for
                                   the per-step loops (one cache line less) */
    int free_running;           /* active without a transfer (fluid.h): it
                                   moves free_Bps since free_since_s, or
                                   what agg says when in our solver */
    const netagg *agg;          /* our solver while it is in it, else NULL */
    size_t agg_f;               /* its index there (its flow index) */
    double free_since_s;
    double free_Bps;            /* its max-min rate while free: its cap, or
                                   less on a link it has to itself */
    double xfer_bytes;          /* its size */
    double delivered_bytes;     /* by finished or cancelled transfers */
    double sampled_bytes;       /* delivered at the previous sample */
    double start_s;             /* when it started offering (after epoch) */
    double stop_s;              /* planned end of offering (inelastic) */
    double offered_bytes;       /* inelastic: offered rate x time offering */
    double end_s;               /* NaN until it ends */
    double completion_s;        /* elastic: time to move size_bytes, else NaN */
    struct burst_rt *burst;     /* burst/packet granularity state (burst.h);
                                 * NULL in flow mode; freed by free_ctx */
} flow_rt;

typedef enum {
    ACT_SAMPLE = 0,             /* ordered: sample first at equal times */
    ACT_FLOW_STOP,
    ACT_EVENT,
    ACT_FLOW_START,
    ACT_END,
} action_kind_t;

typedef struct action {
    double time_s;
    action_kind_t kind;
    size_t index;               /* flow, event or sample number */
} action;

/* A callback at a simulated time, scheduled by a model (FLR end, a
 * mailbox timeout, a migration phase...). */
typedef struct sim_ctx sim_ctx;
typedef void (*timer_fn)(sim_ctx *c, void *arg);

typedef struct sim_timer {
    double time_s;
    uint64_t seq;               /* insertion order: ties run first-in first-out */
    timer_fn fn;
    void *arg;
} sim_timer;

/* How flows move (driver.h): fluid transfers or bursts, chosen once. */
struct flow_driver;
struct sim_model_list;

typedef struct run_options {
    bool quiet;
    bool progress;              /* print a progress line on stderr */
    /* Called at every sample with the simulated time (the CLI records it
     * so an interrupted run can say where it stopped); NULL = none. */
    void (*on_sample)(double sim_time_s);
} run_options;

/* A flow made during the run (spawn.h): its own config (endpoints, size,
 * cap) and who to tell when it ends. */
typedef void (*flow_end_fn)(sim_ctx *c, size_t f, void *arg);
typedef struct spawned_flow {
    flow_config cfg;            /* borrowed strings and packet sizes */
    flow_end_fn on_end;
    void *arg;
    bool dma_stream;            /* flow_spawn_req.dma_stream */
} spawned_flow;

struct sim_ctx {
    const scenario_config *cfg;
    const topo *topo;
    plat_routes routes;         /* the flow-level zone's routes (zone.h) */
    run_options opt;
    sg_host_t *ep_hosts;        /* [topo endpoint] */
    /* The endpoint each VM NIC holds now: topo's binding, then what live
     * migrations report (sim_nic_moved). nic_now[nic_first[vm] + nic]. */
    size_t *nic_first;
    int *nic_now;
    dlink *dlinks;
    size_t n_dlinks;
    dlink_load *load;           /* [dlink] */
    int *dlink_of_topo;         /* [topo link] first dlink (UP, or the link) */
    flow_rt *flows;
    size_t n_flows;             /* the scenario's, then spawned slots */
    size_t n_cfg_flows;         /* the scenario's flows: [0, n_cfg_flows) */
    struct spawn_state {        /* flows made during the run (spawn.h) */
        spawned_flow *slots;    /* [f - n_cfg_flows] */
        size_t *free;           /* released slots, reused first */
        size_t n_free;
        size_t cap;             /* flows allocated (all per-flow arrays);
                                   their bytes: carried.h */
    } spawn;
    lat_acc *lat;               /* [flow] latency accumulators, apart from
                                   flows: their clusters would push the hot
                                   flow fields out of cache at pod scale */
    lat_feed *lat_feed;         /* where queues can form (sampler.c) */
    double *onoff_agg;          /* [dlink][4] on/off sources this interval:
                                   mean bps, peak bps, rate-weighted on and
                                   off periods (sampler.c); NULL: none */
    struct tandem_mix *tandem_mix; /* size mixes of tandem upstream links
                                   (tandem_mix.h); NULL until needed */
    struct hop_mix *hop_mix;    /* size moments per queueing hop
                                   (hop_mix.h); NULL until needed */
    struct portfifo *pfifo;     /* per-port FIFO reference (portfifo.h),
                                   NULL unless simulation.port_queues: fifo */
    size_t *active;             /* indices of the flows moving now: with a
                                   running transfer, or free (fluid.h) */
    size_t n_active;            /* how many flows are active now */
    size_t n_stored;            /* how many active[] holds: less or more
                                   than n_active while changes are
                                   journalled (ledger.c); read active[]
                                   through query.h or after sim_active_sync */
    unsigned char *listing;     /* [flow] journal state bits (ledger.c) */
    size_t *pend;               /* flows whose listing changed since the
                                   last sync, each once */
    size_t n_pend;
    int check_incremental;      /* SRIOV_CHECK_INCREMENTAL=1 (query.h) */
    struct model_wait {         /* other models' transfers the controller
                                   waits on with the flows' (sim_wait_xfer) */
        shim_xfer *xfer;
        timer_fn on_done;
        void *arg;
    } *model_waits;
    size_t n_model_waits, model_waits_cap;
    shim_xfer **all_waits;      /* scratch: flows' then models' transfers */
    size_t all_waits_cap;
    shim_xfer **orphans;        /* packet mode: transfers left to finish
                                   unwatched (ledger.c release_xfer) */
    size_t n_orphans, orphans_cap;
    size_t n_bound;             /* active flows with a transfer */
    size_t n_waitable;          /* of them, those that can finish alone */
    size_t peak_active, peak_bound; /* most at one time (run_meta) */
    size_t *wait_flows;         /* flows whose transfer may finish */
    shim_xfer **wait_xfers;     /* their transfers, for wait_any */
    size_t n_wait;
    int waitable_stale;         /* the active list or a transfer changed
                                   since wait_flows was built */
    action *actions;
    size_t n_actions;
    size_t n_samples;           /* taken so far */
    size_t max_samples;
    double last_sample_s;
    run_results *res;           /* time series and event log grow here */
    size_t events_cap;
    double wall_start_s;
    double next_progress_wall_s;
    sim_timer *timers;          /* min-heap on (time_s, seq) */
    size_t n_timers;
    size_t timers_cap;
    uint64_t timer_seq;
    /* Installed by run.c before the models' init: what the engine asks of
     * the layer above it without calling up (models.h's loops). */
    struct sim_hooks {
        void (*replan)(sim_ctx *c);             /* every model re-plans */
        void (*flow_started)(sim_ctx *c, size_t f);
    } hooks;
    const struct flow_driver *drv; /* chosen by flows_init (driver.h) */
    int xfers_finish_alone;     /* every flow transfer can finish on its own
                                   (the burst driver), not only elastic ones */
    unsigned char *cap_raised;  /* [dlink] raised since the last
                                   sim_capacity_restart_raised (capacity.h) */
    double *share_scratch;      /* [flow] the burst driver's shaper shares */
    int replan_pending;         /* a replan timer is queued (rate_epoch > 0) */
    int replan_dirty;           /* a replan is due at the end of this time */
    struct fluid_state {        /* the uncongested fast path (fluid.h) */
        int enabled;
        int dirty;              /* demand or capacity changed since classify */
        double *demand_Bps;     /* [dlink] scratch of fluid_classify */
        int *n_on;              /* [dlink] scratch: running flows crossing */
        double *rate_Bps;       /* [active slot] scratch: rate if free */
        unsigned char *congested; /* [dlink] scratch of fluid_classify */
        int *pinned;            /* [dlink] other models' uncapped transfers */
        double *pinned_Bps;     /* [dlink] their capped transfers' caps */
        int n_pins;             /* other models' transfers running (routes) */
        netagg solver;          /* our max-min solver (netagg.h): it holds
                                   the free flows' rates, bytes and ends */
        int solver_stale;       /* the active flows must join it again */
        int caps_stale;         /* link_Bps must be read again */
        double *link_Bps;       /* [dlink] its input: capacities */
        size_t *due;            /* [flow] scratch: flows finishing now */
    } fluid;
    struct carried_state {      /* what flows and model transfers carried
                                   where (carried.h) */
        struct carried_flow {
            double seg_start_bytes;   /* delivered when its segment began */
            double hop_sampled_bytes; /* delivered when last put on its links */
            int segment;              /* route segment number, from 0 */
        } *flow;                /* [flow] */
        double *vf_interval_bytes; /* [vf row] settled into this interval */
        double *vf_bytes[2];    /* [vf row] tx, rx over the run */
        int64_t *vf_packets[2]; /* [vf row] tx, rx */
        int *vf_user_vm, *vf_user_nic; /* [vf row] last VM NIC that sent or
                                   received through it, -1 none */
        double *nic_bytes[2];   /* [flow] tx end, rx end: carried on a VF */
        int64_t *nic_packets[2];
        struct carried_row {
            int32_t link, flow, segment;
            double bytes;
        } *rows;                /* /link_flows: the scenario's flows */
        double *spawned_nic_bytes[2]; /* [VM NIC (vm-major)] tx, rx of flows
                                   made during the run, while on a VF */
        int64_t *spawned_nic_packets[2];
        size_t *nic_base;       /* [vm] first VM NIC index of each VM */
        double *spawned_link_bytes; /* [dlink] what flows made during the
                                   run carried, summed (one /link_transfers
                                   row per link: a row per generated flow
                                   would grow with the flows made) */
        size_t n_rows, rows_cap;
        struct carried_xfer {
            const shim_xfer *x; /* NULL once finished */
            int *hops;
            size_t n_hops;
            double bytes, sampled;
            char *model, *owner, *round;
            int stream;         /* its column in stream_names */
        } *xfers;
        size_t n_xfers, xfers_cap;
        char **stream_names;    /* "migration nfv": one per model and owner */
        double **stream_bytes;  /* [stream][sample] moved in the interval */
        size_t n_streams;
    } carried;
    const struct sim_model_list *models; /* the run's models (models.h) */
    void **model_state;         /* [model] its opaque state, owned by the
                                   model (sim_model_state) */
    int failed;                 /* set by the controller on a run error */
    char error[256];
};

#endif
