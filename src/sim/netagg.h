/* netagg.h -- max-min rates of many flows, solved per rate class, with the
 * bytes each flow moved kept by per-class virtual clocks, so that one flow
 * starting or ending costs the classes it changes, not the flows.
 *
 * Why: on a congested pod (bench/run pod-1kc) one completion moves the
 * rate of a fixed fraction of the running flows (the spine's full links
 * are coupled), so any solver that stores a rate per flow touches them
 * all at every event, and a run of a million flows costs hours
 * (docs/architecture.md, "Rate classes"). But the flows that cross the
 * same *binding* links have the same max-min rate, and few links bind: a
 * pod's uplinks and downlinks, and the host ports a rack-local flow
 * fills. So:
 *
 *  - Links are active (in the solve) or inactive (proven not to bind).
 *    A flow's class is its cap and the sequence of its active hops;
 *    netsolve_set solves the classes, each weighing its flow count.
 *    Exact: dropping a link whose load is below its capacity from a
 *    max-min problem leaves the solution as it was (every flow keeps a
 *    bottleneck elsewhere), and the solve re-checks an inactive link
 *    before its load can reach its capacity.
 *  - An inactive link's load is bounded without summing its flows at each
 *    solve: its load when last summed, plus the rates of the flows that
 *    joined or changed class since (exact), plus its flow count times P,
 *    the sum over solves of the largest rate rise of any large class
 *    (small classes add their rises to their links directly). When the
 *    bound reaches the capacity the link's load is summed again; when that
 *    exceeds the capacity the link turns active and the solve runs again.
 *    Active links with room (load under 1 - NETAGG_ROOM of capacity) turn
 *    inactive every NETAGG_SWEEP solves.
 *  - Bytes: a class's clock V is the integral of its rate; a flow moved
 *    V(now) - its tag since it joined the class (plus what it moved in the
 *    classes before). Its end is the time V reaches tag + bytes left: a
 *    heap of those per class, and a heap of the classes' next ends.
 *
 * Checked against netsolve_run on every flow (tests/unit/test_netagg.c,
 * random instances and event sequences, 1e-9 relative) and, through the
 * fluid driver, against SimGrid's solver (tests/e2e/test_fast_path.sh,
 * test_solver_random.sh).
 *
 * Ownership: the netagg owns every array; the caller keeps each flow's
 * hops alive while it is in. Units: rates in bytes per second (any unit
 * works if bytes and capacities agree), times in seconds. */
#ifndef SRIOV_NETAGG_H
#define SRIOV_NETAGG_H

#include <math.h>
#include <stddef.h>

#include "sim/netsolve.h"

#define NETAGG_ROOM 1e-3 /* an active link with this much room turns inactive */
#define NETAGG_SWEEP 64  /* solves between sweeps for such links */

struct netagg_flow {
    const int *hops;     /* the caller's */
    size_t n_hops;
    double cap;          /* INFINITY: none */
    size_t cls;          /* SIZE_MAX: out */
    size_t cslot;        /* its place in its class's members */
    size_t *lslot;       /* [hop] its place in that link's flows */
    size_t lslot_cap;
    double base;         /* bytes moved in classes before this one */
    double tag;          /* its class's clock when it joined it */
    double left;         /* bytes it had to move when it joined (INFINITY: no end) */
    double done_key;     /* its class's clock at its end: tag + left - base (INFINITY: none) */
    size_t hpos;         /* its place in its class's end heap (SIZE_MAX: none) */
    unsigned char moved; /* listed in moved: its links' bounds take its rise alone */
};

struct netagg_class {
    int *key;            /* its active hops (netsolve_set reads them) */
    size_t n_key, key_cap;
    double cap;
    size_t hash;
    size_t *members;     /* its flows */
    size_t n, m_cap;
    size_t *heap;        /* members with an end, by done_key */
    size_t n_heap, heap_cap;
    double v, t_s, rate; /* clock at t_s, and its rate since */
    size_t version;      /* bumped when its next end moves */
    unsigned char dirty;  /* listed in dirty */
    unsigned char loud;   /* its change may move rates: solve it */
    unsigned char in_set; /* an entry of set */
    unsigned char listed; /* listed in ends_dirty */
    unsigned char born;   /* made since the last solve: its flows' rates
                             are bounded one by one (moved) */
    unsigned char live;
};

struct netagg_link {
    size_t *f;           /* every flow crossing it (a flow per hop) */
    size_t *h;           /* which hop of that flow */
    size_t n, cap;
    unsigned char active;
    double bound;        /* inactive: its load is at most bound + n x (P - p0) */
    double p0;
    double thr;          /* the P at which the bound reaches capacity */
    double hkey;         /* key of its current entry in lheap (<= thr; INFINITY: none) */
};

struct netagg_end { double t_s; size_t cls, version; };
struct netagg_lkey { double thr; size_t l; };

typedef struct netagg {
    netsolve_set set;    /* over classes */
    size_t n_links, n_flows;
    struct netagg_link *links;
    const double *link_cap; /* the last solve's */
    struct netagg_flow *flow;
    struct netagg_class *cls;
    size_t n_cls, cls_cap;
    size_t *free_cls; size_t n_free;
    size_t *table; size_t table_cap; /* open addressing: class + 1, 0 empty */
    size_t *dirty; size_t n_dirty, dirty_cap;   /* classes whose weight changed */
    size_t *check; size_t n_check, check_cap;   /* inactive links to sum again */
    size_t *onl; size_t n_onl, onl_cap;         /* links to turn on this round */
    struct netagg_lkey *lheap; size_t n_lheap, lheap_cap; /* inactive links by thr */
    struct netagg_end *ends; size_t n_ends, ends_cap;
    size_t *ends_dirty; size_t n_ends_dirty, ends_dirty_cap; /* classes whose next end moved */
    struct netagg_moved { size_t f; double r; } *moved; /* flows that joined a class, and */
    size_t n_moved, moved_cap;                           /* the rate they had before */
    int *scratch; size_t scratch_cap;
    double P, P_round;   /* see above; the largest rise of this round */
    size_t n_solves, n_versions;
    int full;
    /* Counters for profiles: solves, inner rounds, links turned on and
     * off, inactive links summed. */
    size_t n_rounds, n_on, n_off, n_sums;
} netagg;

int netagg_init(netagg *a, size_t n_links, size_t n_flows);
/* Room for flows 0..n_flows-1. 0, or -1 when out of memory. */
int netagg_reserve(netagg *a, size_t n_flows);
void netagg_free(netagg *a);
/* Capacities (or caps) changed: the next solve solves every class. */
void netagg_invalidate(netagg *a);

/* Flow f joins at now_s over hops (a link listed twice counts twice) with
 * cap (INFINITY: none) and bytes_left to move (INFINITY: it never ends by
 * itself). Solve before time moves on: until then f and every flow share
 * their classes' rates from before the change (a flow joining a class
 * that has a rate has that one). 0, or -1 when out of memory (then f is
 * out). */
int netagg_add(netagg *a, size_t f, const int *hops, size_t n_hops, double cap,
               double bytes_left, double now_s);
/* Flow f leaves at now_s: the bytes it moved since it joined (0 if out). */
double netagg_remove(netagg *a, size_t f, double now_s);
int netagg_has(const netagg *a, size_t f);
/* Bytes flow f moved since it joined, at now_s (no later than the next
 * change of its class's rate, i.e. the next solve). */
double netagg_moved(const netagg *a, size_t f, double now_s);
/* Flow f's rate from the last solve (INFINITY: no link, no cap). */
double netagg_rate(const netagg *a, size_t f);

/* Max-min rates at now_s over links of capacity link_cap (kept by the
 * caller until the next solve). 0, or -1 when out of memory (then the
 * next solve solves everything). */
int netagg_solve(netagg *a, const double *link_cap, double now_s);

/* The earliest end of a flow in (INFINITY: none). */
double netagg_next_done(netagg *a);
/* Flows whose end is at or before t_s, into out (room for every flow in);
 * each is listed once: it stays in until removed. */
size_t netagg_due(netagg *a, double t_s, size_t *out);

#endif
