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

/* Time lost to window growth by a flow of size bytes at rate_Bps on a
 * path of round-trip rtt_s, starting with w0_bytes; 0 when w0 or rtt is 0
 * or the first window already covers rate x RTT. */
double wl_startup_s(double size_bytes, double rate_Bps, double rtt_s, double w0_bytes);

/* FCT of the flow alone on the empty network: size / rate_Bps (the
 * narrowest link of its route, or its cap) + one-way propagation + the
 * start-up term at that rate. */
double wl_ideal_fct_s(double size_bytes, double rate_Bps, double one_way_s, double rtt_s,
                      double w0_bytes);

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
 * term at its mean share size / transfer_s with that round trip. */
double wl_fct_s(double size_bytes, double transfer_s, double one_way_s, double rtt_s,
                double w0_bytes, double queue_s);

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
