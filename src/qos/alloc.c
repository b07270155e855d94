/* alloc.c -- see alloc.h. */
#include "qos/alloc.h"

#include <math.h>

#include "util/maxmin.h"

static double want_of(const qos_claim *c)
{
    return fmin(c->demand_Bps, c->max_Bps);
}

/* maxmin_want_fn over the claims. */
static double claim_want(const void *claims, size_t i)
{
    return want_of(&((const qos_claim *)claims)[i]);
}

int qos_allocate(const qos_claim *claims, size_t n, double capacity_Bps, double *alloc_Bps)
{
    if (maxmin_total_want(claim_want, claims, n) <= capacity_Bps) {
        for (size_t i = 0; i < n; i++)
            alloc_Bps[i] = want_of(&claims[i]);
        return 0;
    }
    double floors = 0;
    for (size_t i = 0; i < n; i++) {
        alloc_Bps[i] = fmin(want_of(&claims[i]), claims[i].min_Bps);
        floors += alloc_Bps[i];
    }
    if (floors >= capacity_Bps) {
        double scale = floors > 0 ? capacity_Bps / floors : 0;
        for (size_t i = 0; i < n; i++)
            alloc_Bps[i] *= scale;
        return 1;
    }
    maxmin_fill(claim_want, claims, n, capacity_Bps - floors, alloc_Bps);
    return 1;
}

/* Whether claim i is charged to a capped host. */
static int in_group(const qos_member *m, size_t n_groups)
{
    return m->group >= 0 && (size_t)m->group < n_groups && m->charge > 0;
}

/* Floors: min(want, min), each host's scaled down in proportion when they
 * exceed its cap (an over-committed host: a live migration can bring a
 * guaranteed NIC onto a capped host at run time). Returns their sum. */
static double grouped_floors(const qos_claim *claims, const qos_member *members, size_t n,
                             qos_group *groups, size_t n_groups, double *alloc_Bps)
{
    for (size_t g = 0; g < n_groups; g++) {
        groups[g].left_Bps = groups[g].cap_Bps;
        groups[g].overcommitted = 0;
    }
    for (size_t i = 0; i < n; i++) {
        alloc_Bps[i] = fmin(want_of(&claims[i]), claims[i].min_Bps);
        if (in_group(&members[i], n_groups))
            groups[members[i].group].left_Bps -= members[i].charge * alloc_Bps[i];
    }
    double floors = 0;
    for (size_t i = 0; i < n; i++) {
        const qos_group *g = in_group(&members[i], n_groups) ? &groups[members[i].group] : NULL;
        if (g && g->left_Bps < 0)
            alloc_Bps[i] *= g->cap_Bps / (g->cap_Bps - g->left_Bps);
        floors += alloc_Bps[i];
    }
    for (size_t g = 0; g < n_groups; g++)
        if (groups[g].left_Bps < 0) {
            groups[g].left_Bps = 0;
            groups[g].overcommitted = 1;
        }
    return floors;
}

/* Claim i can still grow: below its want, its host (if charged) not full. */
static int can_grow(const qos_claim *c, const qos_member *m, const qos_group *groups,
                    size_t n_groups, double alloc, double eps)
{
    if (want_of(c) - alloc <= eps)
        return 0;
    return !in_group(m, n_groups) || groups[m->group].left_Bps > eps;
}

/* One step of progressive filling: every claim that can grow gets the same
 * increment, the largest that fills no claim past its want and no host or
 * the port past its capacity. Returns 0 when nothing could grow. */
static int fill_step(const qos_claim *claims, const qos_member *members, size_t n,
                     double *left, qos_group *groups, size_t n_groups, double *alloc_Bps,
                     double eps)
{
    size_t active = 0;
    double step = INFINITY;
    for (size_t g = 0; g < n_groups; g++)
        groups[g].weight = 0;
    for (size_t i = 0; i < n; i++) {
        if (!can_grow(&claims[i], &members[i], groups, n_groups, alloc_Bps[i], eps))
            continue;
        active++;
        step = fmin(step, want_of(&claims[i]) - alloc_Bps[i]);
        if (in_group(&members[i], n_groups))
            groups[members[i].group].weight += members[i].charge;
    }
    if (active == 0 || *left <= eps)
        return 0;
    step = fmin(step, *left / (double)active);
    for (size_t g = 0; g < n_groups; g++)
        if (groups[g].weight > 0)
            step = fmin(step, groups[g].left_Bps / groups[g].weight);
    for (size_t i = 0; i < n; i++) {
        if (!can_grow(&claims[i], &members[i], groups, n_groups, alloc_Bps[i], eps))
            continue;
        alloc_Bps[i] += step;
        *left -= step;
        if (in_group(&members[i], n_groups))
            groups[members[i].group].left_Bps -= members[i].charge * step;
    }
    return 1;
}

int qos_allocate_grouped(const qos_claim *claims, const qos_member *members, size_t n,
                         double capacity_Bps, qos_group *groups, size_t n_groups,
                         double *alloc_Bps)
{
    double floors = grouped_floors(claims, members, n, groups, n_groups, alloc_Bps);
    if (floors >= capacity_Bps) {
        double scale = floors > 0 ? capacity_Bps / floors : 0;
        for (size_t i = 0; i < n; i++)
            alloc_Bps[i] *= scale;
        return 1;
    }
    /* Relative tolerance: rates are ~1e9 B/s, steps subtract exactly what
     * they add, so only rounding is below it. Each step freezes a claim
     * (its want), a host or the port, so n + n_groups + 1 steps end it. */
    double eps = 1e-12 * capacity_Bps, left = capacity_Bps - floors;
    for (size_t k = 0; k < n + n_groups + 1; k++)
        if (!fill_step(claims, members, n, &left, groups, n_groups, alloc_Bps, eps))
            break;
    for (size_t i = 0; i < n; i++)
        if (want_of(&claims[i]) - alloc_Bps[i] > eps)
            return 1;
    return 0;
}
