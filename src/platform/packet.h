/* packet.h -- constants of packet granularity (SimGrid's ns-3 model).
 * The flows run through the burst driver (sim/burst.c) on the star
 * platform of platform/platform_star.h; these numbers keep SimGrid 3.32's
 * ns-3 binding on the path that works and make its goodput comparable with
 * the fluid model's. Here, below the engine, because both the star
 * platform and the burst driver read them.
 */
#ifndef SRIOV_PACKET_H
#define SRIOV_PACKET_H

/* Largest transfer handed to ns-3, bytes: its default TCP send buffer
 * (128 KiB). SimGrid 3.32's binding closes the receiver's sockets once the
 * sender has BUFFERED a whole transfer; when the transfer is larger than
 * the buffer the receiver's FIN can overtake the unsent tail and SimGrid
 * aborts ("total_bytes is not sent_bytes"). Transfers that fit are
 * buffered at once and close cleanly, so at packet granularity every flow
 * (elastic ones too) moves as bursts no larger than this. */
#define PACKET_NS3_MAX_XFER_BYTES 131072.0

/* ns-3 carries 1000-byte TCP segments (SimGrid sets SegmentSize) inside
 * 20 B TCP + 20 B IPv4 + 2 B PPP headers. A scenario's rates and packet
 * sizes already include the frame, so the star links are given this much
 * more bandwidth: the goodput ns-3 delivers then matches the capacity the
 * fluid model shares. */
#define PACKET_NS3_WIRE_PER_PAYLOAD (1042.0 / 1000.0)

#endif
