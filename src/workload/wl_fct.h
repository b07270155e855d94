/* wl_fct.h -- flow completion time arithmetic of workloads: the start-up
 * term a fluid model leaves out (TCP's window growth), the ideal FCT of a
 * flow alone on the empty network, and the slowdown statistics by
 * flow-size bucket. Pure functions and plain structs: no engine state.
 *
 * Start-up term (docs/granularity.md "Short flows"): a window-based sender
 * starts with w0 bytes (initial_window x MSS) and doubles its window every
 * RTT until it covers its share of the path, rate x RTT. Before that each
 * round sends a window and waits an RTT for its acknowledgements; the
 * fluid model moves those bytes at the full share from the first instant.
 * With k = ceil(log2(rate x RTT / w0)) rounds to reach the share,
 * S = w0 (2^k - 1) bytes go out during them, and a flow of size
 *   size > S   loses  k RTT - S / rate;
 *   size <= S  ends in round j (w0 (2^j - 1) >= size), at
 *              (j-1) RTT + (size - w0 (2^(j-1) - 1)) / rate, losing that
 *              minus size / rate.
 * With a workload's `slow_start: hystart`, under a 2 ms RTT slow start
 * ends early (CUBIC's HyStart, below) and the window then grows 5 % a
 * round: the same sums over those windows.
 * The term is added to the fluid FCT after the fact: the flow's share in
 * the max-min solve is not reduced while it ramps up (the limit is in
 * docs/granularity.md).
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_WL_FCT_H
#define SRIOV_WL_FCT_H

#include <stddef.h>
#include <stdint.h>

/* Bytes on the wire per TCP segment besides its payload: TCP 20 + IPv4 20
 * + Ethernet header 14 + FCS 4 (an MSS of 1460 B makes the 1518-byte
 * frame of a 1500-byte MTU). Options (TCP timestamps, 12 B on Linux) are
 * the user's to take out of `mss` (1448B). */
#define WL_SEG_HEADER_BYTES 58.0

/* The frame bytes (docs/scenario.md: a flow's bytes are Ethernet frames)
 * that carry payload_bytes of a flow in segments of at most mss_bytes:
 * payload + ceil(payload / mss) x WL_SEG_HEADER_BYTES. At 10 Gb/s with
 * 20 B of preamble and gap per frame, that is a goodput of 1460/1538 =
 * 94.9 % of the line rate for large flows (the fluid model moved the
 * payload as frames, 98.7 %, before issue 18). */
double wl_wire_bytes(double payload_bytes, double mss_bytes);

/* Slow start's early end (docs/granularity.md "Slow start's early
 * exit"; Ha and Rhee, "Taming the elephants: new TCP slow start",
 * Computer Networks 2011). ns-3.37's default TCP is CUBIC with HyStart
 * (TcpCubic's attributes: HyStartLowWindow 16, HyStartAckDelta 2 ms,
 * CntClamp 20; Linux's default is CUBIC with HyStart too). HyStart's
 * ACK-train test ends slow start at an ACK that comes within
 * HyStartAckDelta of the previous one and more than the smallest RTT
 * sample after the round's start, once cwnd >= HyStartLowWindow
 * segments. Under a 2 ms RTT every round's ACKs pass the first test,
 * and the next round's first ACK comes an RTT after the round's start,
 * more than the smallest RTT whenever queues vary: slow start ends at the
 * first round at or above 16 segments (20 from 10). Then, with no loss
 * yet, CUBIC clamps its ACK count per segment to CntClamp = 20: the window
 * grows 5 % a round trip (the cubic term, 0.4 segment/s^3, is nothing at
 * these time scales). Measured against ns-3: docs/granularity.md. */
#define WL_HYSTART_LOW_WINDOW 16.0
#define WL_HYSTART_ACK_DELTA_S 2e-3
#define WL_CUBIC_CLAMP_GROWTH (1.0 + 1.0 / 20.0)

/* The window (bytes) at which HyStart ends slow start on a path of round
 * trip rtt_s with segments of seg_bytes: 16 segments under a 2 ms RTT,
 * else 0 (slow start runs until the window covers rate x RTT); 0 when
 * seg_bytes is 0 (a workload's `slow_start: classic`). */
double wl_ss_exit_bytes(double rtt_s, double seg_bytes);

/* Time lost to window growth by a flow of size bytes at rate_Bps on a
 * path of round-trip rtt_s, starting with w0_bytes: round j sends window
 * w_j and waits an RTT until a window covers rate x RTT. Windows double;
 * from the first round after the first at or above exit_bytes (0: never)
 * they grow by WL_CUBIC_CLAMP_GROWTH. With S the bytes of the rounds
 * below rate x RTT, k their count: a flow larger than S loses
 * k RTT - S / rate; a smaller one ending in round j loses
 * j RTT - (w_0 + .. + w_(j-1)) / rate. 0 when w0 or rtt is 0 or the first
 * window already covers rate x RTT. */
double wl_startup_s(double size_bytes, double rate_Bps, double rtt_s, double w0_bytes,
                    double exit_bytes);

/* FCT of the flow alone on the empty network: size / rate_Bps (the
 * narrowest link of its route, or its cap) + one-way propagation + the
 * start-up term at that rate; hystart_seg_bytes: the segment of
 * HyStart's early exit (wl_ss_exit_bytes), 0 for slow start to rate x RTT. */
double wl_ideal_fct_s(double size_bytes, double rate_Bps, double one_way_s, double rtt_s,
                      double w0_bytes, double hystart_seg_bytes);

/* Standing queue (bytes) at a drop-tail port of buffer_bytes that
 * n_others long TCP (AIMD, halving) flows keep backlogged, on a path whose
 * bandwidth-delay product (port rate x base RTT) is bdp_bytes; the mean of
 * the sawtooth (docs/granularity.md "Queueing delay"; Appenzeller,
 * Keslassy, McKeown, "Sizing router buffers", SIGCOMM 2004, sec. 2-3). The
 * flows' windows sum to BDP + queue while the port is busy; a loss comes
 * when the queue reaches B and halves one flow's window, of about
 * (BDP + B) / n: the queue falls to max(0, B - (BDP + B) / (2 n)) and grows
 * back to B. One flow (or n in lockstep): from (B - BDP) / 2 to B. 0 when
 * n_others < 1: a flow alone on a port waits behind nobody. */
double wl_standing_queue_bytes(double buffer_bytes, double bdp_bytes, double n_others);

/* The reported FCT of a flow the fluid model moved in transfer_s seconds
 * (its last byte's arrival is transfer_s + one_way_s after its start).
 * queue_s is the drain time of the standing queues other flows keep on
 * its route when it starts: its first byte waits them, which delays its
 * whole pipeline once (then it is served at its share: the queue ahead of
 * it is others' bytes the fluid model serves alongside), and every
 * start-up round trip is rtt_s + queue_s. Added: queue_s and the start-up
 * term at its mean share size / transfer_s with that round trip
 * (hystart_seg_bytes as in wl_ideal_fct_s). */
double wl_fct_s(double size_bytes, double transfer_s, double one_way_s, double rtt_s,
                double w0_bytes, double hystart_seg_bytes, double queue_s);

/* Flow-size buckets: half-decades from 100 B to 10 GB, plus one below and
 * one above. Bucket b holds sizes in [wl_bucket_lo(b), wl_bucket_hi(b)). */
#define WL_N_BUCKETS 18
int wl_bucket_of(double size_bytes);
double wl_bucket_lo(int b);
double wl_bucket_hi(int b); /* INFINITY for the last */

/* Slowdowns (>= 1) in log-spaced bins 0.5 % wide from 1 to 10^6 (a
 * quantile is reported to within 0.25 % relative; above 10^6 the last bin,
 * and the exact maximum is kept): memory fixed, whatever the count. */
#define WL_HIST_BINS 2772
typedef struct wl_hist {
    uint64_t n;
    double sum;
    double max;
    uint32_t *bins;             /* [WL_HIST_BINS], allocated at the first add */
} wl_hist;

/* 0, or -1 when out of memory. */
int wl_hist_add(wl_hist *h, double v);
/* The q-quantile (0 < q <= 1): the geometric middle of the bin holding
 * the ceil(q n)-th smallest value, never above the maximum. NaN when empty. */
double wl_hist_quantile(const wl_hist *h, double q);
void wl_hist_free(wl_hist *h);

#endif
