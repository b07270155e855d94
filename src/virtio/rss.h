/* rss.h -- receive-side scaling: which queue of a NIC a flow's packets
 * land on. A flow aggregates `connections` 5-tuples (flow key connections,
 * default 1); each 5-tuple is hashed with the Toeplitz hash (Microsoft
 * "Receive-Side Scaling" spec; Intel and NVIDIA NICs, virtio-net RSS) under
 * a 40-byte key drawn from the run's seed, and the hash's low bits index
 * an indirection table of RSS_RETA_SIZE entries filled round robin over the
 * queues (ethtool's default: entry i -> queue i mod queues). So one
 * connection always stays on one queue, and N connections over Q queues
 * occupy on average Q (1 - (1 - 1/Q)^N) of them (balls into bins), for
 * Q dividing RSS_RETA_SIZE.
 *
 * The 5-tuple is synthesised (the scenario has no addresses): IPv4
 * 10.0.0.0/8 addresses from the two endpoints' indices, destination port
 * from the flow's index, and a pseudo-random source port per connection
 * (Linux randomises ephemeral ports, RFC 6056), drawn from the seed.
 * Deterministic: same seed, same spread.
 *
 * Units: none (queue indices, counts). Pure functions, no state.
 */
#ifndef SRIOV_VIRTIO_RSS_H
#define SRIOV_VIRTIO_RSS_H

#include <stddef.h>
#include <stdint.h>

/* Indirection table entries: 64 as the Intel VF RSS LUT (iavf; i40e
 * I40E_VFQF_HLUT_MAX_INDEX 15 = 16 registers x 4 entries). */
#define RSS_RETA_SIZE 64
#define RSS_KEY_BYTES 40

/* The run's RSS key from its seed. */
void rss_key(uint64_t seed, uint8_t key[RSS_KEY_BYTES]);

/* Toeplitz hash of in[0..n) under key (n <= RSS_KEY_BYTES - 4). */
uint32_t rss_toeplitz(const uint8_t key[RSS_KEY_BYTES], const uint8_t *in, size_t n);

/* The queue (0..queues-1) of connection conn of flow `flow` between
 * endpoints src and dst (any small integers naming them). */
int rss_queue(const uint8_t key[RSS_KEY_BYTES], uint32_t src, uint32_t dst, uint32_t flow,
              uint32_t conn, int queues);

/* Counts per queue (counts[0..queues), zeroed first) of the connections
 * 0..connections-1 of a flow. */
void rss_spread(const uint8_t key[RSS_KEY_BYTES], uint32_t src, uint32_t dst, uint32_t flow,
                int connections, int queues, uint32_t *counts);

#endif
