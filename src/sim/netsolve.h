/* netsolve.h -- max-min fair rates of flows over shared links, the sharing
 * SimGrid's CM02 model computes (equal weights, every flow bounded by its
 * optional cap), solved in our own code for the fluid driver (fluid.h).
 *
 * Why our own: SimGrid 3.32's MaxMin::do_solve rescans every constraint of
 * the system at each saturation step, O(links x bottleneck levels) per
 * solve, and re-solves the whole connected system at every transfer start
 * or end. A congested pod (bench/run pod-64c) spent 50 % of its wall time
 * there, and wall time grew as flows^2.7 (docs/architecture.md, "Own
 * max-min solver"). This is progressive filling with a heap of link
 * levels: O(E log L) per solve for E (flow, link) pairs on L links.
 *
 * Exact max-min: the rate of every flow is the level at which the first of
 * its links saturates, or its cap when that comes first. A link saturates
 * when its capacity is used up by its flows (frozen ones at their rates,
 * growing ones at the common level). Checked against SimGrid's solver on
 * every example scenario (tests/e2e/test_fast_path.sh) and on random pods
 * (tests/e2e/test_solver_random.sh), and against a textbook O(n^2)
 * progressive filling on random instances (tests/unit/test_netsolve.c).
 *
 * Ownership: a netsolve workspace holds scratch arrays grown on demand;
 * netsolve_free releases them. Units: any rate (bytes per second here).
 */
#ifndef SRIOV_NETSOLVE_H
#define SRIOV_NETSOLVE_H

#include <stddef.h>

typedef struct netsolve {
    size_t n_links_cap, n_flows_cap, n_elems_cap, heap_cap;
    double *rem;         /* [link] capacity not yet given out */
    int *growing;        /* [link] flows crossing it still growing */
    size_t *first;       /* [link + 1] CSR offsets of the flows on a link */
    size_t *members;     /* [elem] flow of each (link, flow) pair */
    unsigned char *frozen; /* [flow] */
    void *by_cap;        /* [flow] capped flows (cap, flow), by increasing cap */
    struct netsolve_key { double level; size_t link; } *heap;
    size_t n_heap;
} netsolve;

/* One flow: its links (indices < n_links, a link listed twice counts
 * twice) and its cap (INFINITY: none). */
typedef struct netsolve_flow {
    const int *hops;
    size_t n_hops;
    double cap;
} netsolve_flow;

/* Fills rate[i] with flow i's max-min rate over links of capacity
 * link_cap[l] (>= 0). A flow that crosses no link and has no cap gets
 * INFINITY. 0, or -1 when out of memory (rate untouched). */
int netsolve_run(netsolve *ns, size_t n_links, const double *link_cap, size_t n,
                 const netsolve_flow *flows, double *rate);

void netsolve_free(netsolve *ns);

/* The running flows between solves, so that a solve after departures only
 * re-solves what they can change. Max-min fact it rests on: when flows
 * leave, every flow whose rate was below the lowest rate of those that
 * left keeps its rate. (Progressive filling below that level sees the same
 * frozen flows and, on the leavers' links, less load: no link saturates
 * earlier and every saturation below it happens as before.) So only the
 * flows at or above that rate are solved again, on the capacity the others
 * leave (link capacity minus the load of the flows kept). Any other
 * change (a flow in, a cap, a capacity) solves everything, which also
 * re-adds the per-link loads from scratch so rounding cannot pile up. */
typedef struct netsolve_set {
    netsolve ws;
    size_t n_links, n_flows;
    netsolve_flow *flow;  /* [flow] its hops and cap while in */
    double *rate;         /* [flow] its rate from the last solve */
    size_t *pos;          /* [flow] its place in act; SIZE_MAX when out */
    size_t *act;          /* the flows in (n_act) */
    size_t n_act;
    double *load;         /* [link] sum of the rates of the flows in */
    double *cap_left;     /* [link] scratch: capacity for the flows solved */
    netsolve_flow *sub;   /* [flow] scratch: the flows solved */
    double *sub_rate;     /* [flow] scratch: their rates */
    size_t *changed;      /* [flow] the flows the last solve set */
    int full;             /* solve everything next time */
    double min_gone;      /* lowest rate of the flows gone since */
} netsolve_set;

/* For flows 0..n_flows-1 over links 0..n_links-1. 0, or -1 when out of
 * memory. */
int netsolve_set_init(netsolve_set *s, size_t n_links, size_t n_flows);
/* Room for flows 0..n_flows-1 (flows made during the run, spawn.h); the
 * new ones are out. 0, or -1 when out of memory. */
int netsolve_set_reserve(netsolve_set *s, size_t n_flows);
void netsolve_set_free(netsolve_set *s);
/* Takes every flow out; the next solve solves everything. */
void netsolve_set_clear(netsolve_set *s);
/* Flow f (not in) runs over hops (kept by the caller while f is in) with
 * cap (INFINITY: none). */
void netsolve_set_add(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap);
/* Flow f (in or not) stops. */
void netsolve_set_remove(netsolve_set *s, size_t f);
/* Max-min rates of the flows in over links of capacity link_cap[l].
 * s->changed[0..*n_changed) are the flows whose rate it set (s->rate[f]);
 * the others keep theirs. 0, or -1 when out of memory. */
int netsolve_set_solve(netsolve_set *s, const double *link_cap, size_t *n_changed);

#endif
