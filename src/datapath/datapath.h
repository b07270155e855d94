/* datapath.h -- the PCIe + IOMMU datapath model (docs/pcie-iommu.md): sets
 * every adapter's PCIe link, every Ethernet link (ports, host NICs, ToR,
 * uplinks, external: frame bytes after preamble, SFD and gap,
 * scenario/ether.h) and every host's IOMMU link capacity (frame bytes/s)
 * from the mix of flows crossing it, and accounts per-VF translations,
 * IOTLB hits/misses, page-walk time and invalidations.
 *
 * Fluid mapping: a link's SimGrid capacity is in payload bytes/s; for a link
 * whose true capacity is in wire bytes (PCIe TLP bandwidth) or walker time,
 *   capacity = raw x sum_i(w_i) / sum_i(w_i x cost_i)
 * where cost_i is flow i's wire bytes (or walker seconds) per payload byte on
 * that link and w_i its demand (offered rate; elastic flows weigh 1e12, so
 * they share equally among themselves). Exact for one flow or flows with one
 * cost; an approximation for mixes (each flow is charged the mix's mean
 * cost). PCIe traffic a flow makes on the direction its payload does not
 * cross (Tx read requests and descriptor write-backs on DOWN, Rx descriptor
 * completions on UP) is reserved there at the flow's estimated rate: the
 * least of its demand and its parts of the PCIe and Ethernet rooms on its
 * route, solved for both directions of every link together (a fixed
 * point, plan_links in datapath.c). PCIe and IOMMU costs are those of the
 * DMA length, the frame less its FCS unless the adapter keeps the CRC.
 *
 * Ownership: the model's state is its sim_model_state; fini frees it.
 */
#ifndef SRIOV_DATAPATH_H
#define SRIOV_DATAPATH_H

#include <stddef.h>

#include "sim/models.h"

extern const sim_model_ops datapath_model;

#endif
