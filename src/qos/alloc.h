/* alloc.h -- per-port sharing of transmit capacity among VFs with a
 * guaranteed minimum (min_tx_rate) and a maximum (max_tx_rate).
 *
 * SimGrid's max-min sharing has no floor, so the QoS model computes each
 * VF's share itself and sets the VF's shaper link to it; SimGrid's sharing
 * then lands exactly on these shares. The rule, per port:
 *   - no contention (the VFs' wants fit): each VF gets what it wants,
 *     min(demand, max);
 *   - contention: each VF first gets min(want, min); the capacity left is
 *     shared max-min with EQUAL weights among the VFs still wanting more,
 *     each up to its want (water filling: util/maxmin.h, which the burst
 *     driver's packet-mode shaper shares). Idle VFs want nothing, so their
 *     guarantee is reused by the others;
 *   - minimums that together exceed the port (an over-committed
 *     configuration) are scaled down in proportion.
 * Pure functions, no state. Units: bytes per second.
 */
#ifndef SRIOV_QOS_ALLOC_H
#define SRIOV_QOS_ALLOC_H

#include <stddef.h>

typedef struct qos_claim {
    double demand_Bps;          /* what the VF offers now; INFINITY = elastic */
    double min_Bps;             /* guaranteed floor, 0 = none */
    double max_Bps;             /* cap (rate, or burst peak); INFINITY = none */
} qos_claim;

/* Fills alloc_Bps[n] with each VF's share of capacity_Bps. Returns 1 when
 * the port is contended (the wants exceed the capacity), 0 otherwise. */
int qos_allocate(const qos_claim *claims, size_t n, double capacity_Bps, double *alloc_Bps);

#endif
