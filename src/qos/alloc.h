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
 *
 * Multi-host adapters (docs/multi-host.md): a host with `host_max_rate`
 * is a group whose members' port-bound bytes are capped together; the
 * port is then shared by progressive filling under both limits
 * (qos_allocate_grouped below).
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

/* A claim's host on a multi-host adapter: group < 0 = a host without a
 * cap; charge = the part of the VF's allocation that crosses its host's
 * cap, in [0, 1] (its flows to the port count, those the shared eSwitch
 * switches to another host's VF do not: they never reach the port). */
typedef struct qos_member {
    int group;
    double charge;
} qos_member;

/* A host's cap (host_max_rate) on its VFs' port-bound bytes. */
typedef struct qos_group {
    double cap_Bps;
    double left_Bps;            /* scratch */
    double weight;              /* scratch: charges of its members still growing */
    int overcommitted;          /* out: its members' floors exceeded the cap
                                   and were scaled down in proportion */
} qos_group;

/* qos_allocate with host caps: floors first, each host's floors scaled
 * down in proportion if they exceed its cap (refused at load for the
 * configuration at time 0, see docs/multi-host.md) and then the port's if
 * they exceed the port; then the rest by equal steps on top of the floors
 * to every claim still below its want whose host (if capped and charged)
 * and port are not full: max-min with floors under the port and each
 * host's cap (progressive filling). With no member in any group this is
 * qos_allocate's result. Returns 1 when some claim ends below its want (a
 * limit binds), 0 when every claim gets its want. */
int qos_allocate_grouped(const qos_claim *claims, const qos_member *members, size_t n,
                         double capacity_Bps, qos_group *groups, size_t n_groups,
                         double *alloc_Bps);

#endif
