/* total.h -- an adapter's total forwarding capacity: what the whole card
 * (all ports and its eSwitch together) moves per direction, as a rate
 * (catalogue total_rate) and as packets per second (total_packet_rate_pps).
 *
 * Where the catalogue states a limit, the platform gives the adapter one
 * split-duplex link, H.A.total (topo.h, LK_ADAPTER), crossed by every byte
 * between the adapter's PCIe side and its ports or eSwitch: _UP host to
 * wire or eSwitch, _DOWN wire or eSwitch to host. VF-to-VF traffic
 * switched inside the adapter crosses it both ways. Max-min sharing on that
 * link gives every flow its share of the card.
 *
 * This model sizes the link at every re-plan from the flows crossing it
 * (demand-weighted, like the PCIe link in datapath.c):
 *   - total_rate counts wire bytes: each frame plus its preamble, SFD and
 *     inter-frame gap (20 B, IEEE 802.3 clause 4.4.2), because a vendor's
 *     "100 Gb/s total" is one 100GbE port's line rate, which carries
 *     100e9 / 8 / (size + 20) frames per second;
 *   - total_packet_rate_pps caps packets per second;
 * the link's capacity in frame bytes per second is the lower of the two for
 * the flows' mix of packet sizes. Units: bytes/s (SimGrid), packets/s.
 * Owns no memory beyond its state (freed in fini).
 */
#ifndef SRIOV_ADAPTER_TOTAL_H
#define SRIOV_ADAPTER_TOTAL_H

#include "sim/models.h"

/* The link's capacity in frame bytes/s for one packet size: the closed
 * form the model applies to a mix (exposed for tests). rate_bps or pps 0
 * means no such limit; both 0 returns INFINITY. */
double adapter_total_Bps(double rate_bps, double pps, double packet_bytes);

extern const sim_model_ops adapter_total_model;

#endif
