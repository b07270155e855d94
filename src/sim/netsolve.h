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
    long long *growing;  /* [link] flows crossing it still growing (weights) */
    size_t *first;       /* [link + 1] CSR offsets of the flows on a link */
    size_t *members;     /* [elem] flow of each (link, flow) pair */
    unsigned char *frozen; /* [flow] */
    void *by_cap;        /* [flow] capped flows (cap, flow), by increasing cap */
    struct netsolve_key { double level; size_t link; } *heap;
    size_t n_heap;
} netsolve;

/* One flow: its links (indices < n_links, a link listed twice counts
 * twice) and its cap (INFINITY: none). weight: how many identical flows
 * it stands for (a rate class, netagg.h); 0 counts as 1. Identical flows
 * have the same max-min rate, so a class solves as one entry whose share
 * of each link is weight x its rate. */
typedef struct netsolve_flow {
    const int *hops;
    size_t n_hops;
    double cap;
    size_t weight;
} netsolve_flow;

static inline double netsolve_weight(const netsolve_flow *fl)
{
    return fl->weight ? (double)fl->weight : 1.0;
}

/* Fills rate[i] with flow i's max-min rate over links of capacity
 * link_cap[l] (>= 0). A flow that crosses no link and has no cap gets
 * INFINITY. 0, or -1 when out of memory (rate untouched). */
int netsolve_run(netsolve *ns, size_t n_links, const double *link_cap, size_t n,
                 const netsolve_flow *flows, double *rate);

void netsolve_free(netsolve *ns);

/* Grows the array *pp (of items of sz bytes, room for *cap) to room for
 * at least need items, doubling. 0, or -1 when out of memory (*pp kept). */
int netsolve_grow(void *pp, size_t *cap, size_t need, size_t sz);

/* The running flows between solves, so that a solve after flows arrive or
 * leave re-solves only what they can change. Two max-min facts it rests
 * on (docs/architecture.md, "Incremental max-min"):
 *
 *  1. A threshold level below which nothing changes. Progressive filling
 *     of the new system is the old one's up to the first level at which
 *     they can differ: the lowest rate of the flows that left (below it
 *     they were growing, so without them no link saturates earlier, and
 *     no link that saturated below it carried one of them), or the first
 *     level at which a link of an arriving flow saturates with it,
 *     solving cap = sum over the link's old flows of min(rate, y) + (the
 *     arriving flows on it) x y, or an arriving flow's cap. Every flow
 *     whose rate is below that level keeps it.
 *  2. Independence above it. From that level on, the flows at or above it
 *     fill the capacity the others leave; groups of them that share no
 *     link fill independently. A group that holds no arriving flow and
 *     crosses no link of a departed one has the same flows and the same
 *     capacity as before, so keeps its rates.
 *
 * So a solve walks from the changed flows' links through the flows at or
 * above the threshold (and the links they cross) and re-solves only that
 * connected group, on each of its links' capacity less the rates of the
 * flows kept there (summed afresh: no running load to drift). Any other
 * change (a cap, a capacity: netsolve_set_invalidate) solves everything. */
struct netsolve_member { size_t f; size_t h; }; /* flow f's h-th hop */
typedef struct netsolve_link {
    struct netsolve_member *m; /* the flows crossing it (a hop each) */
    size_t n, cap;
} netsolve_link;

typedef struct netsolve_set {
    netsolve ws;
    size_t n_links, n_flows;
    netsolve_flow *flow;  /* [flow] its hops and cap while in */
    double *rate;         /* [flow] its rate from the last solve */
    size_t *pos;          /* [flow] its place in act; SIZE_MAX when out */
    size_t *act;          /* the flows in (n_act) */
    size_t n_act;
    size_t **slot;        /* [flow][hop] its place in that link's members */
    size_t *slot_cap;     /* [flow] room in slot[flow] */
    unsigned char *is_new; /* [flow] in, not solved yet */
    unsigned char *seen;  /* [flow] scratch: in the group being solved */
    unsigned char *lseed; /* [link] listed in seeds */
    netsolve_link *links; /* [link] who crosses it */
    size_t *lmap;         /* [link] scratch: its index in the group, or SIZE_MAX */
    size_t *glinks;       /* scratch: the group's links (n_glinks) */
    double *cap_left;     /* [group link] capacity for the flows solved */
    netsolve_flow *sub;   /* [flow] scratch: the flows solved */
    int *sub_hops;        /* scratch: their hops in group link indices */
    size_t sub_hops_cap;
    double *sub_rate;     /* [flow] scratch: their rates */
    size_t *changed;      /* [flow] the flows the last solve set */
    size_t *arrived;      /* flows added since the last solve (n_arrived) */
    size_t n_arrived;
    size_t *seeds;        /* links of flows gone since the last solve */
    size_t n_seeds;
    int full;             /* solve everything next time */
    double min_gone;      /* lowest rate of the flows gone since */
    /* Counters since init, for profiles (bench/run, docs): solves of
     * everything, partial solves, and the flows the partial ones solved. */
    size_t n_full_solves, n_part_solves, n_part_flows;
} netsolve_set;

/* For flows 0..n_flows-1 over links 0..n_links-1. 0, or -1 when out of
 * memory. */
int netsolve_set_init(netsolve_set *s, size_t n_links, size_t n_flows);
/* Room for flows 0..n_flows-1 (flows made during the run, spawn.h); the
 * new ones are out. 0, or -1 when out of memory. */
int netsolve_set_reserve(netsolve_set *s, size_t n_flows);
void netsolve_set_free(netsolve_set *s);
/* A capacity or a cap changed: the next solve solves everything. */
void netsolve_set_invalidate(netsolve_set *s);
/* Flow f runs over hops (kept by the caller while f is in) with cap
 * (INFINITY: none); a flow already in is taken out first. 0, or -1 when
 * out of memory (then f is out and the next solve solves everything). */
int netsolve_set_add(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap);
/* The same for an entry standing for weight identical flows. */
int netsolve_set_add_w(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap,
                       size_t weight);
/* Entry f in (or out) without changing anyone's rate: for a caller that
 * knows the rates stay the max-min ones (netagg merging classes of one
 * rate when a link that binds nobody leaves the solve). put gives f the
 * rate; a later solve does not revisit it. */
int netsolve_set_put(netsolve_set *s, size_t f, const int *hops, size_t n_hops, double cap,
                     size_t weight, double rate);
void netsolve_set_drop(netsolve_set *s, size_t f);
/* Flow f (in or not) stops. */
void netsolve_set_remove(netsolve_set *s, size_t f);
/* Max-min rates of the flows in over links of capacity link_cap[l] (the
 * same as at the last solve unless netsolve_set_invalidate was called).
 * s->changed[0..*n_changed) are the flows whose rate it set (s->rate[f]);
 * the others keep theirs. 0, or -1 when out of memory. */
int netsolve_set_solve(netsolve_set *s, const double *link_cap, size_t *n_changed);

#endif
