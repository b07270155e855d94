/* rng.h -- the project's random streams, all derived from simulation.seed:
 * splitmix64 (to seed streams and to draw 64-bit values) and xorshift64*
 * (a fast per-stream uniform). Header-only; the state is the caller's
 * uint64_t, so every stream is reproducible for a seed and independent of
 * the C library. Units: none.
 */
#ifndef SRIOV_UTIL_RNG_H
#define SRIOV_UTIL_RNG_H

#include <stdint.h>

/* splitmix64 (Steele, Lea, Flood, OOPSLA 2014): advances *s, returns 64 bits. */
static inline uint64_t rng_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* xorshift64* (Vigna 2016): uniform in the open interval (0, 1); *x must
 * not be 0 (seed it with rng_splitmix64, which returns 0 once in 2^64). */
static inline double rng_uniform(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    uint64_t r = *x * 0x2545F4914F6CDD1Dull;
    return ((double)(r >> 11) + 0.5) / 9007199254740992.0;
}

#endif
