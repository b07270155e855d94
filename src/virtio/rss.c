/* rss.c -- see rss.h. */
#include "virtio/rss.h"

#include <string.h>

#include "util/rng.h"

void rss_key(uint64_t seed, uint8_t key[RSS_KEY_BYTES])
{
    uint64_t s = seed ^ 0x5253535f4b455921ull;  /* its own stream of the seed */
    for (size_t i = 0; i < RSS_KEY_BYTES; i += 8) {
        uint64_t v = rng_splitmix64(&s);
        for (size_t j = 0; j < 8 && i + j < RSS_KEY_BYTES; j++)
            key[i + j] = (uint8_t)(v >> (8 * j));
    }
}

/* For every set bit of the input (most significant first), XOR in the 32
 * key bits starting at that bit's position. */
uint32_t rss_toeplitz(const uint8_t key[RSS_KEY_BYTES], const uint8_t *in, size_t n)
{
    uint32_t hash = 0;
    uint32_t window = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 |
                      (uint32_t)key[2] << 8 | key[3];
    for (size_t i = 0; i < n; i++) {
        for (int b = 7; b >= 0; b--) {
            if (in[i] >> b & 1)
                hash ^= window;
            uint32_t next = (uint32_t)key[i + 4] >> b & 1;
            window = window << 1 | next;
        }
    }
    return hash;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int rss_queue(const uint8_t key[RSS_KEY_BYTES], uint32_t src, uint32_t dst, uint32_t flow,
              uint32_t conn, int queues)
{
    if (queues <= 1)
        return 0;
    /* IPv4 source, destination, source port, destination port (the order
     * the RSS spec hashes them) */
    uint8_t in[12];
    put32(in, 0x0a000000u | (src & 0xffffffu));
    put32(in + 4, 0x0a000000u | (dst & 0xffffffu));
    /* the source port as Linux picks an ephemeral one: pseudo-random
     * (RFC 6056), here from the key's stream, per flow and connection */
    uint64_t st = ((uint64_t)key[0] << 32 | (uint64_t)key[1] << 40 | key[2]) ^
                  ((uint64_t)flow << 24) ^ ((uint64_t)conn * 0x9E3779B97F4A7C15ull);
    uint16_t sport = (uint16_t)(1024 + rng_splitmix64(&st) % 64512u);
    uint16_t dport = (uint16_t)(1024 + flow % 64512u);
    in[8] = (uint8_t)(sport >> 8);
    in[9] = (uint8_t)sport;
    in[10] = (uint8_t)(dport >> 8);
    in[11] = (uint8_t)dport;
    uint32_t entry = rss_toeplitz(key, in, sizeof in) % RSS_RETA_SIZE;
    return (int)(entry % (uint32_t)queues);
}

void rss_spread(const uint8_t key[RSS_KEY_BYTES], uint32_t src, uint32_t dst, uint32_t flow,
                int connections, int queues, uint32_t *counts)
{
    memset(counts, 0, (size_t)(queues > 0 ? queues : 1) * sizeof *counts);
    for (int k = 0; k < (connections > 0 ? connections : 1); k++)
        counts[rss_queue(key, src, dst, flow, (uint32_t)k, queues)]++;
}
