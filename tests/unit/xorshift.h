/* xorshift.h -- the seeded xorshift64 generator the random-instance unit
 * tests share (test_netsolve, test_netagg_random): uniform doubles in
 * [0, 1) and indices below n. One state per test file (static). */
#ifndef SRIOV_TEST_XORSHIFT_H
#define SRIOV_TEST_XORSHIFT_H

#include <stddef.h>
#include <stdint.h>

static uint64_t rng = 88172645463325252ull;

static inline double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static inline size_t pick(size_t n)
{
    return (size_t)(unif() * (double)n) % n;
}

#endif
