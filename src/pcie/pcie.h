/* pcie.h -- PCIe link bandwidth model (pcie-bench model: Neugebauer et al.,
 * "Understanding PCIe performance for end host networking", SIGCOMM 2018).
 *
 *   raw_Bps      = GT/s x encoding x lanes / 8
 *                  Gen1/2: 2.5/5 GT/s, 8b/10b; Gen3/4/5: 8/16/32 GT/s, 128b/130b
 *   tlp_Bps      = raw_Bps x (1 - 8/ack_limit - 8/fc_limit - 4/1538)
 *                  8 B per ACK and per flow-control DLLP, one 4 B SKIP ordered
 *                  set per 1538 B (PCIe Base Spec r5.0 Tables 2-46..48, 3-7..9:
 *                  for MPS 256 both limits are ~203 B).
 *   write(sz)    = ceil(sz / MPS) x 24 + sz bytes on the link
 *                  (24 B = 8 B framing/DLL + 4 B header + 12 B 64-bit MWr)
 *
 * Units: bytes and bytes per second. Pure functions, no state.
 */
#ifndef SRIOV_PCIE_H
#define SRIOV_PCIE_H

#include "scenario/config.h"

/* Raw bit-level bandwidth after line encoding, one direction, bytes/s.
 * Returns 0 for an unknown generation. */
double pcie_raw_Bps(int gen, int lanes);

/* Bandwidth left for TLPs after DLLP (ACK, flow control) and SKIP overhead. */
double pcie_tlp_Bps(const pcie_config *p);

/* Bytes on the link to DMA-write sz payload bytes with max payload mps. */
double pcie_write_wire_bytes(double sz, double mps);

/* Payload bandwidth of back-to-back DMA writes of sz bytes, bytes/s. */
double pcie_write_payload_Bps(const pcie_config *p, double sz);

#endif
