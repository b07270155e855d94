/* packet.h -- constants of packet granularity (SimGrid's ns-3 model).
 * The flows run through the burst driver (sim/burst.c) on the star
 * platform of platform/platform_star.h; these numbers keep SimGrid 3.32's
 * ns-3 binding on the path that works and make its goodput comparable with
 * the fluid model's. Here, below the engine, because both the star
 * platform and the burst driver read them.
 */
#ifndef SRIOV_PACKET_H
#define SRIOV_PACKET_H

/* SimGrid 3.32's binding closes the receiver's sockets once the sender
 * has BUFFERED a whole transfer; when the transfer is larger than ns-3's
 * TCP send buffer the receiver's FIN can overtake the unsent tail and
 * SimGrid aborts ("total_bytes is not sent_bytes"). Transfers that fit the
 * buffer are buffered at once and close cleanly. So a packet run gives
 * ns-3 a send buffer of PACKET_NS3_MAX_XFER_BYTES (PACKET_NS3_ATTRIBUTES)
 * and hands it transfers no larger:
 *   - an elastic flow is ONE transfer (one TCP connection, one handshake,
 *     one slow start, as a real flow) up to 64 MiB, and larger ones move
 *     as 64 MiB pieces. With 128 KiB pieces (ns-3's default buffer, before
 *     issue 18) every piece paid a handshake, a slow start and a close:
 *     a 10 MB flow alone on a 10 Gb/s pair took 11.8 % longer than its
 *     line-rate time (docs/granularity.md "Against packet granularity").
 *     64 MiB bounds ns-3's per-flow buffer memory (its packets' metadata);
 *     a piece that large pays one restart per ~50 ms at 10 Gb/s.
 *   - inelastic bursts stay at most PACKET_NS3_MAX_BURST_BYTES, ns-3's
 *     default buffer, as before (a NIC ring's worth). */
#define PACKET_NS3_MAX_XFER_BYTES 67108864.0
#define PACKET_NS3_MAX_BURST_BYTES 131072.0

/* ns-3 attribute defaults of a packet run, in NS_ATTRIBUTE_DEFAULT syntax
 * (";"-separated in ns-3.37; they override the defaults SimGrid sets).
 * ns-3 reads the variable while its libraries initialise, so cli/cmd_run.c
 * restarts a packet run with it set, replacing the user's: the dataset
 * stays a function of the scenario and seed. The settings:
 *   - SndBufSize: holds a whole transfer (above);
 *   - RcvBufSize as large: the receiver's window (ns-3's default 128 KiB)
 *     must not cap a flow below its share once queues lengthen the RTT
 *     (Linux autotunes it to megabytes: tcp_rmem's maximum is 6 MiB);
 *   - MinRto 200 ms, Linux's TCP_RTO_MIN (ns-3's default is 1 s, RFC 6298's
 *     conservative floor, which no Linux host uses). */
#define PACKET_NS3_ATTRIBUTES                                                                  \
    "ns3::TcpSocket::SndBufSize=67108864;ns3::TcpSocket::RcvBufSize=67108864;"                 \
    "ns3::TcpSocketBase::MinRto=200ms"

/* ns-3 carries 1000-byte TCP segments (SimGrid sets SegmentSize) inside
 * 20 B TCP + 20 B IPv4 + 2 B PPP headers. A scenario's rates and packet
 * sizes already include the frame, so the star links are given this much
 * more bandwidth: the goodput ns-3 delivers then matches the capacity the
 * fluid model shares. */
#define PACKET_NS3_WIRE_PER_PAYLOAD (1042.0 / 1000.0)

#endif
