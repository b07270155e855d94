/* netagg_int.h -- what netagg.c and netagg_end.c share: class clocks,
 * end heaps, inactive links' bounds. Internal to the rate-class solver
 * (netagg.h); nothing else includes it. */
#ifndef SRIOV_NETAGG_INT_H
#define SRIOV_NETAGG_INT_H

#include "sim/netagg.h"

/* Class c's clock at now_s: the bytes one of its flows moved since the
 * clock's origin. */
static inline double agg_clock(const struct netagg_class *c, double now_s)
{
    if (!(c->rate > 0) || !(c->rate < INFINITY) || !(now_s > c->t_s))
        return c->v;
    return c->v + c->rate * (now_s - c->t_s);
}

/* Flow f (in its class) into / out of its class's end heap. */
int agg_end_insert(netagg *a, size_t f);
void agg_end_remove(netagg *a, size_t f);
/* Flow f joined a class; r the rate it had before (0: new). */
int agg_moved_push(netagg *a, size_t f, double r);
/* Flow f left: if it comes back before the solve, it had no rate. */
void agg_moved_forget(netagg *a, size_t f);
/* After a solve round: the classes' new rates (clocks, ends, bounds). */
int agg_apply_rates(netagg *a, const size_t *changed, size_t n, double now_s);
/* Inactive links whose bound reached capacity, summed again: those over
 * it turn active. The number turned on loudly, or -1 (out of memory). */
int agg_check_links(netagg *a, double now_s);
/* Every inactive link with flows to be summed after the next round. */
int agg_check_all(netagg *a);
/* Inactive link l's bound starts again from load. */
int agg_bound_reset(netagg *a, size_t l, double load);
/* The load of link l at the classes' rates. */
double agg_link_load(const netagg *a, size_t l);
/* Link l turns active; its flows re-keyed loudly. */
int agg_link_on(netagg *a, size_t l, double now_s);
/* The classes whose next end moved get a current entry. */
int agg_ends_refresh(netagg *a, double now_s);

#endif
