/* pcie.h -- PCIe link bandwidth model (pcie-bench model: Neugebauer et al.,
 * "Understanding PCIe performance for end host networking", SIGCOMM 2018;
 * code pcie-bench/pcie-model, model/pcie.py and model/niantic.py).
 *
 *   raw_Bps      = GT/s x encoding x lanes / 8
 *                  Gen1/2: 2.5/5 GT/s, 8b/10b; Gen3/4/5: 8/16/32 GT/s, 128b/130b
 *   tlp_Bps      = raw_Bps x (1 - 8/AckLimit - 8/FCLimit - 4/1538)
 *                  8 B per ACK and per flow-control DLLP, limits by generation,
 *                  width and MPS from PCIe Base Spec r5.0 Tables 2-46..48 and
 *                  3-7..9 (Gen3 x8 MPS 256: both 203 B); one 4 B SKIP ordered
 *                  set per 1538 B.
 *   TLP overheads (8 B framing/DLL + 4 B generic header + type header, 64-bit
 *   addresses, no ECRC): memory write / read request 24 B, completion with
 *   data 20 B.
 *   write(sz)    = ceil(sz / MPS) x 24 + sz           device -> host
 *   read(sz)     = ceil(sz / MRRS) x 24               requests, device -> host
 *                + ceil(sz / MPS) x 20 + sz           completions, host -> device
 *
 * Directions are named as the topology names them: UP = host -> device
 * (the adapter's pcie_UP link: Tx payload arrives as read completions),
 * DOWN = device -> host (Rx payload as memory writes, read requests).
 *
 * NIC per-packet cost (niantic.py, the 82599 "Niantic" model): descriptors
 * are 16 B, pointers 4 B, MSI-X writes 4 B. Per packet, amortised over batches:
 *   Tx: host tail-pointer write (every h_tx pkts), descriptor read (40 at a
 *       time), data read, descriptor write-back (8 at a time), MSI-X (kernel:
 *       every 32 pkts), head-pointer read (kernel: every h_tx pkts);
 *   Rx: host tail write (free list, 32 buffers at a time), descriptor read
 *       (per packet), data write, descriptor write-back (per packet), MSI-X
 *       (kernel: every 32), head-pointer read (kernel: every 8 pkts).
 *   kernel driver: h_tx = 1;  DPDK poll-mode driver: h_tx = 32, no MSI-X and
 *   no head-pointer reads.
 * (niantic.py assigns instead of adds the Rx data write, dropping the Rx
 * descriptor read request; we add it, as its comment describes.)
 *
 * Units: bytes and bytes per second. Pure functions, no state.
 */
#ifndef SRIOV_PCIE_H
#define SRIOV_PCIE_H

#include "scenario/config.h"

#define PCIE_MWR_OVERHEAD_BYTES 24.0   /* memory write, 64-bit address */
#define PCIE_MRD_OVERHEAD_BYTES 24.0   /* memory read request, 64-bit address */
#define PCIE_CPLD_OVERHEAD_BYTES 20.0  /* completion with data */

/* Raw bit-level bandwidth after line encoding, one direction, bytes/s.
 * Returns 0 for an unknown generation. */
double pcie_raw_Bps(int gen, int lanes);

/* Bandwidth left for TLPs after DLLP (ACK, flow control) and SKIP overhead. */
double pcie_tlp_Bps(const pcie_config *p);



/* Payload bandwidth of back-to-back DMA writes of sz bytes, bytes/s. */
double pcie_write_payload_Bps(const pcie_config *p, double sz);
/* Payload bandwidth of back-to-back DMA reads of sz bytes, bytes/s: the
 * completions direction bounds it (requests are far smaller). */
double pcie_read_payload_Bps(const pcie_config *p, double sz);

typedef enum { PCIE_DRIVER_KERNEL = 0, PCIE_DRIVER_DPDK } pcie_driver_t;

/* Bytes one packet of sz bytes puts on each direction of the link,
 * descriptor, pointer and interrupt traffic included (amortised). */
typedef struct pcie_pkt_wire {
    double up_bytes;    /* host -> device */
    double down_bytes;  /* device -> host */
} pcie_pkt_wire;

pcie_pkt_wire pcie_nic_tx_wire(const pcie_config *p, pcie_driver_t drv, double sz);
pcie_pkt_wire pcie_nic_rx_wire(const pcie_config *p, pcie_driver_t drv, double sz);

/* Packet rate a NIC sustains over PCIe with packets of sz bytes in one
 * direction only (tx: 1, rx: 0): tlp_Bps / max(up, down) wire bytes. */
double pcie_nic_pps(const pcie_config *p, pcie_driver_t drv, int tx, double sz);

#endif
