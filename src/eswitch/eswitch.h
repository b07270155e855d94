/* eswitch.h -- the adapter's embedded switch as the PF programs it: per-VF
 * MAC / VLAN / spoof check / trust rules (rules.h), and the counters of
 * what it did with each VF's traffic.
 *
 * Forwarding itself is in the platform (platform/platform.c): VF<->VF on one
 * port crosses PCIe up, the eSwitch link (capacity eswitch_capacity) and
 * PCIe down in VEB mode; in VEPA mode, or between ports, it hairpins
 * through the wire. This model:
 *   - blocks a flow the rules drop, at its start and whenever set_vf
 *     changes the rules (flow_pause: an inelastic flow's offer is then
 *     dropped), and resumes it when the rules let it pass again;
 *   - counts per VF and per port: bytes switched inside the adapter,
 *     forwarded to the wire, and dropped by reason (VLAN, spoof), in bytes
 *     and packets (bytes / the flow's mean packet size). A drop is counted
 *     at the sending VF (at the receiving VF when the sender is not a VF).
 * Dropping at the source is the fluid approximation of "dropped at the
 * first eSwitch": nothing of a blocked flow loads any link.
 * Plays set_vf events. A flow the rules drop is blocked the moment it
 * starts (the flow_started hook).
 */
#ifndef SRIOV_ESWITCH_H
#define SRIOV_ESWITCH_H

#include "sim/models.h"

extern const sim_model_ops eswitch_model;

#endif
