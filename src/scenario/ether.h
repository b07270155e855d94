/* ether.h -- what a scenario's packet size means on the wire and over DMA
 * (IEEE 802.3 framing). The one place these lengths are derived.
 *
 * A scenario's `packet_size` (and every size of `packet_sizes`, imix
 * included) is the Ethernet frame from destination MAC to FCS inclusive:
 * 64B .. 9216B, the size RFC 2544 and every traffic generator quote. Flow
 * rates, delivered bytes and link bytes count these frame bytes.
 *
 *   on the wire  frame + 8 B preamble/SFD + 12 B minimum inter-frame gap
 *                (IEEE 802.3 clause 3.1.1 and 4.4.2): 64 B frames on
 *                10GbE = 10e9 / ((64 + 20) x 8) = 14.88 Mpps;
 *   over DMA     frame - 4 B FCS: the MAC checks and strips the CRC on Rx
 *                and appends it on Tx, so the host moves frame - 4 bytes,
 *                unless the adapter keeps the CRC in host memory (catalogue
 *                key keeps_crc, default false; Linux "rx-fcs on").
 *
 * Units: bytes. Pure inline functions, no state.
 */
#ifndef SRIOV_ETHER_H
#define SRIOV_ETHER_H

#include <stdbool.h>

#define ETH_PREAMBLE_SFD_BYTES 8.0
#define ETH_IFG_BYTES 12.0
#define ETH_FCS_BYTES 4.0
/* Preamble + SFD + inter-frame gap: what a frame costs beyond itself. */
#define ETH_WIRE_OVERHEAD_BYTES (ETH_PREAMBLE_SFD_BYTES + ETH_IFG_BYTES)
#define ETH_MIN_FRAME_BYTES 64.0
#define ETH_MAX_FRAME_BYTES 9216.0

/* Bytes of line time one frame of frame_bytes occupies. */
static inline double eth_wire_bytes(double frame_bytes)
{
    return frame_bytes + ETH_WIRE_OVERHEAD_BYTES;
}

/* Bytes the adapter DMAs for one frame (the packet buffer's length). */
static inline double eth_dma_bytes(double frame_bytes, bool keeps_crc)
{
    return keeps_crc ? frame_bytes : frame_bytes - ETH_FCS_BYTES;
}

/* Frames per second a line of rate_bps carries back to back. */
static inline double eth_line_pps(double rate_bps, double frame_bytes)
{
    return rate_bps / (8.0 * eth_wire_bytes(frame_bytes));
}

#endif
