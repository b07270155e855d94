/* maxmin.h -- equal-weight max-min sharing (water filling) of a capacity
 * among claimants that each want at most some amount: every claimant gets
 * the same share, those that want less keep what they want and leave the
 * rest to the others. Used by the QoS model (a port among its VFs, after
 * their guaranteed minimums: qos/alloc.h) and by the burst driver (a VF's
 * Tx shaper among its flows at packet granularity: sim/burst.h).
 *
 * A claimant's want comes from a callback, so callers keep their own
 * records (claims, flows) without building an array of wants; a want of 0
 * takes no part. Pure functions, no state. Units: any rate (bytes per
 * second in sriov-sim).
 */
#ifndef SRIOV_MAXMIN_H
#define SRIOV_MAXMIN_H

#include <stddef.h>

/* What claimant i of items wants (>= 0; INFINITY = no limit). */
typedef double (*maxmin_want_fn)(const void *items, size_t i);

/* The sum of the n claimants' wants. */
double maxmin_total_want(maxmin_want_fn want, const void *items, size_t n);

/* Water filling of left on top of alloc[n]: raises every alloc[i] still
 * below its want by equal steps until left is used up or every claimant
 * has what it wants. */
void maxmin_fill(maxmin_want_fn want, const void *items, size_t n, double left, double *alloc);

/* Plain max-min: when the wants fit in capacity each gets its want (and 0
 * is returned); else alloc is filled from zero (and 1 is returned). */
int maxmin_share(maxmin_want_fn want, const void *items, size_t n, double capacity,
                 double *alloc);

#endif
