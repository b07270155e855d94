/* portfifo.h -- the per-packet FIFO reference (simulation.port_queues:
 * fifo, burst granularity): every packet a flow's source emits crosses
 * the flow's queueing hops (sampler_queue_hops: the hops the latency
 * model queues at) through one FIFO queue per directed link, shared by
 * all flows, served in arrival order at the link's capacity,
 * store-and-forward: a packet reaches hop h+1 when its last bit has left
 * hop h plus h's propagation delay. A packet that finds more than the
 * hop's buffer (sampler_hop_buffer_bytes; 0 = the latency model's 1 MiB)
 * of unfinished work ahead of it plus itself is dropped and counted.
 * Its latency, source arrival to arrival after the last hop plus the
 * per-packet fixed costs of the other models in the sample interval it
 * was born in (models_fixed_latency_s at that interval's sample, as the
 * flow model charges them), is what the flow reports, so the figures
 * compare one to one with flow granularity (docs/latency-model.md).
 *
 * Why: SimGrid shares a link between the transfers in flight by max-min
 * (processor sharing), so burst granularity's own latency is per-flow
 * fair queueing, not a FIFO port. This is a shadow of the burst driver's
 * arrivals: throughput, drops and every other column still come from
 * the SimGrid run; only the latency columns change.
 * Packet sizes are drawn per packet from the flow's packet_sizes law
 * (its own stream from the seed), each burst of burst_packets packets
 * arriving at once.
 *
 * Cost: O(log E) per packet and hop, E the events pending (packets in
 * flight); memory O(packets in flight). Events are processed in time
 * order lazily, up to each new arrival, and drained at the end.
 * Ownership: sim_ctx.pfifo, made by portfifo_new, freed by portfifo_free.
 * Units: seconds, bytes, bytes per second.
 */
#ifndef SRIOV_PORTFIFO_H
#define SRIOV_PORTFIFO_H

#include <stddef.h>
#include <stdint.h>

#include "sim/simctx.h"
#include "util/lhist.h"

typedef struct portfifo portfifo;

portfifo *portfifo_new(const sim_ctx *c);
void portfifo_free(portfifo *p);

/* n packets of flow f arrive at its source now. 0, or -1 (no memory). */
int portfifo_arrive(sim_ctx *c, size_t f, double now, int n);
/* At a sample, after the models' (their fixed costs describe the interval
 * closing now): serve up to now and charge the packets born in it. */
int portfifo_sample(sim_ctx *c, double now);
/* Serve everything still queued (at the end of the run). 0 or -1. */
int portfifo_drain(sim_ctx *c);

/* Flow f's packet latencies (util/lhist.h: percentiles within 1 %), NULL
 * when none arrived or one could not be recorded (out of memory). */
const lhist *portfifo_latency_hist(const portfifo *p, size_t f);
/* Flow f's packets dropped at full buffers, and delivered. */
uint64_t portfifo_dropped(const portfifo *p, size_t f);
uint64_t portfifo_delivered(const portfifo *p, size_t f);

#endif
