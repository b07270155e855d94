/* latency_feed.h -- where a queue can form: the feeders of each link.
 *
 * A FIFO hop builds a queue only when work can reach it faster than it
 * drains. A hop fed only by links whose capacities add up to no more than
 * its own cannot: the receiver's port after the sender's port at the same
 * rate, carrying the same packets, passes each packet on as it arrives
 * (a tandem queue's second server at an equal or higher rate adds no
 * wait; Kleinrock, Queueing Systems Vol. 2, 1976, sec. 5.10 on tandem
 * networks; Reich, "Waiting times when queues are in tandem", Ann. Math.
 * Stat. 28, 1957). A source is a feeder too: a constant-rate (CBR) source
 * of rate r feeds like a link of capacity r (a periodic stream alone never
 * waits: D/D/1); a Poisson or on/off source feeds like a link of infinite
 * capacity (it can always queue).
 *
 * What a link passes on is bounded by its capacity AND by what feeds it:
 * out(l) = min(capacity(l), sum of its distinct feeders' out). A link
 * that cannot queue passes its input's spacing on (a constant-rate flow
 * crossing a fast PCIe link still reaches the port spaced at its rate);
 * one that can queue sends bursts at its line rate. These bounds depend on
 * each other along routes, so they are found in passes: per sample
 * interval the engine calls lat_feed_reset, then per pass lat_feed_pass,
 * declares each flow that moved bytes with its route's queueing links (in
 * order, page walkers left out, switch fabrics marked transparent: a
 * packet's feeder at a ToR's output port is the port it came in on, not
 * the crossbar) and its source's feed capacity, and calls
 * lat_feed_settle, until it returns 0 (each pass can only lower the
 * bounds; a route of n hops settles within n passes). Then it asks
 * lat_feed_can_queue per hop.
 * A link with more than LAT_FEED_MAX distinct feeders always can queue
 * (many superposed sources tend to Poisson: the Palm-Khintchine theorem,
 * the basis of the M/G/1 hop model).
 *
 * Units: bytes per second. Ownership: lat_feed_new allocates, the caller
 * frees with lat_feed_free. Not thread safe.
 */
#ifndef SRIOV_LATENCY_FEED_H
#define SRIOV_LATENCY_FEED_H

#include <stddef.h>

#define LAT_FEED_MAX 4      /* distinct feeders tracked per link */

typedef struct lat_feed lat_feed;

lat_feed *lat_feed_new(size_t n_links);
void lat_feed_free(lat_feed *f);
/* Forget everything (at the start of each sample interval). */
void lat_feed_reset(lat_feed *f);
/* Forget the feeders declared, keep the bounds of the last pass. */
void lat_feed_pass(lat_feed *f);
/* Update the bounds from this pass's declarations; 1 when one moved (run
 * another pass), 0 when settled. */
int lat_feed_settle(lat_feed *f);

/* One flow: links[0..n) its hops in order (link indices < n_links),
 * transparent[i] nonzero for a switch fabric (it is skipped as a
 * feeder: the hop after it is fed by the hop before it), cap_Bps[i] each
 * link's capacity, src_Bps the source's feed capacity (its rate for a
 * constant-rate source, INFINITY otherwise) and flow an id distinct per
 * flow (its source is a feeder of its own). */
void lat_feed_flow(lat_feed *f, const int *links, const unsigned char *transparent,
                   const double *cap_Bps, size_t n, double src_Bps, size_t flow);

/* 1 when the declared feeders of link can together exceed cap_Bps (or
 * are more than LAT_FEED_MAX), 0 when they cannot build a queue there. */
int lat_feed_can_queue(const lat_feed *f, int link, double cap_Bps);
/* The one link feeding link, or -1 when it has none, several, or a
 * source among them (tandem.h: an equal-rate hop behind one hop). */
int lat_feed_sole_feeder(const lat_feed *f, int link);

#endif
