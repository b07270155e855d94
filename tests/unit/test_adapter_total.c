/* test_adapter_total.c -- the adapter total link's capacity for one frame
 * size (src/adapter/total.h) against the IEEE 802.3 line-rate closed form
 * and the packet-rate limit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "adapter/total.h"

static void line_rate_counts_preamble_and_gap(void **state)
{
    (void)state;
    /* 100 Gb/s carries 100e9 / 8 / (64 + 20) = 148.81 M frames of 64 B:
     * 148.81e6 x 64 bytes/s of frames */
    double Bps = adapter_total_Bps(100e9, 0, 64);
    assert_true(fabs(Bps / 64 - 100e9 / 8 / 84) < 1e-3);
    assert_true(fabs(adapter_total_Bps(100e9, 0, 1518) - 100e9 / 8 * 1518 / 1538) < 1e-3);
}

static void packet_rate_binds_small_frames_only(void **state)
{
    (void)state;
    /* 100 Mpps under 100 Gb/s: 64 B frames are held at 100 Mpps x 64 B,
     * 1500 B frames by the line rate (8.1 Mpps) */
    assert_true(fabs(adapter_total_Bps(100e9, 100e6, 64) - 100e6 * 64) < 1e-3);
    assert_true(fabs(adapter_total_Bps(100e9, 100e6, 1500) - 100e9 / 8 * 1500 / 1520) < 1e-3);
    assert_true(fabs(adapter_total_Bps(0, 10e6, 64) - 640e6) < 1e-6);
}

static void no_limit_is_infinite(void **state)
{
    (void)state;
    assert_true(isinf(adapter_total_Bps(0, 0, 64)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_rate_counts_preamble_and_gap),
        cmocka_unit_test(packet_rate_binds_small_frames_only),
        cmocka_unit_test(no_limit_is_infinite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
