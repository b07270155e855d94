/* shaper.h -- the per-VF QoS model: `ip link set DEV vf N max_tx_rate R
 * min_tx_rate M`, with a token bucket of `burst` bytes on the max rate.
 *
 * Every VF with QoS has a shaper link on its transmit path (topo.c); this
 * model sets its capacity, and SimGrid shares it among the VF's flows:
 *   - max rate: the shaper at max_rate. Token bucket: tokens fill at
 *     max_rate up to `burst` bytes; when the VF wants more than its rate
 *     and holds tokens (e.g. after an idle period) the shaper opens to the
 *     peak, min(line rate, demand), for tokens / (peak - rate) seconds (a
 *     timer), then the bucket is settled from the bytes really sent and
 *     the shaper goes back to the rate. So over any window the VF sends at
 *     most rate * t + burst.
 *   - min rate: per port, when the VFs' wants exceed the port's line rate,
 *     each VF's shaper is set to its share from qos_allocate (alloc.h):
 *     min first, the rest equally, idle capacity reused. Uncontended, the
 *     shaper stays at the max (or open). On a multi-host adapter with
 *     host caps (host_max_rate) the shares are planned under each host's
 *     cap too (qos_allocate_grouped; docs/multi-host.md).
 * Only the transmit direction is shaped (like max_tx_rate/min_tx_rate),
 * and the port's capacity counts every Tx flow of the VF, also those the
 * eSwitch switches locally (the adapter's Tx scheduler sits before it).
 * Shares follow flow starts/stops through the replan hook (coalesced on
 * simulation.rate_epoch). Plays set_qos events (max_rate, min_rate, burst).
 * Only granularity flow exists today; burst/packet granularities must give
 * the same long-run rates (the bucket bounds any window the same way).
 */
#ifndef SRIOV_QOS_SHAPER_H
#define SRIOV_QOS_SHAPER_H

#include "sim/models.h"

extern const sim_model_ops qos_shaper_model;

#endif
