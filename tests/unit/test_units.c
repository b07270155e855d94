/* test_units.c -- every suffix family of units.h, and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "scenario/units.h"

static double ok(const char *text, unit_kind kind)
{
    char err[256] = "";
    double v = -1;
    int rc = units_parse(text, kind, &v, err, sizeof err);
    if (rc != 0)
        fail_msg("'%s' rejected: %s", text, err);
    return v;
}

static void bad(const char *text, unit_kind kind, const char *want)
{
    char err[256] = "";
    double v = -7;
    assert_int_equal(units_parse(text, kind, &v, err, sizeof err), -1);
    assert_true(v == -7);
    if (!strstr(err, want))
        fail_msg("'%s': message '%s' lacks '%s'", text, err, want);
}

static void test_sizes(void **state)
{
    (void)state;
    assert_true(ok("1500B", UNIT_SIZE) == 1500.0);
    assert_true(ok("4KiB", UNIT_SIZE) == 4096.0);
    assert_true(ok("2MiB", UNIT_SIZE) == 2097152.0);
    assert_true(ok("16GiB", UNIT_SIZE) == 16.0 * 1073741824.0);
    assert_true(ok("1TiB", UNIT_SIZE) == 1099511627776.0);
    assert_true(ok("1GB", UNIT_SIZE) == 1e9);
    assert_true(ok("1kB", UNIT_SIZE) == 1e3);
    assert_true(ok("1KB", UNIT_SIZE) == 1e3);
    assert_true(ok("2MB", UNIT_SIZE) == 2e6);
    assert_true(ok("3TB", UNIT_SIZE) == 3e12);
    assert_true(ok("8b", UNIT_SIZE) == 1.0);
    assert_true(ok("1Kib", UNIT_SIZE) == 128.0);
    assert_true(ok("1Gb", UNIT_SIZE) == 1.25e8);
    assert_true(ok("0B", UNIT_SIZE) == 0.0);
    assert_true(ok("1.5e3B", UNIT_SIZE) == 1500.0);
    assert_true(ok(".5KiB", UNIT_SIZE) == 512.0);
}

static void test_rates(void **state)
{
    (void)state;
    assert_true(ok("25Gbps", UNIT_RATE) == 25e9);
    assert_true(ok("3.125GBps", UNIT_RATE) == 25e9);
    assert_true(ok("100MBps", UNIT_RATE) == 8e8);
    assert_true(ok("10kbps", UNIT_RATE) == 1e4);
    assert_true(ok("1Tbps", UNIT_RATE) == 1e12);
    assert_true(ok("1bps", UNIT_RATE) == 1.0);
    assert_true(ok("1Bps", UNIT_RATE) == 8.0);
    assert_true(ok("1Mibps", UNIT_RATE) == 1048576.0);
}

static void test_times(void **state)
{
    (void)state;
    assert_true(ok("10s", UNIT_TIME) == 10.0);
    assert_true(ok("100ms", UNIT_TIME) == 0.1);
    assert_true(ok("1us", UNIT_TIME) == 1e-6);
    assert_true(ok("10us", UNIT_TIME) == 1e-5);
    assert_true(ok("100ns", UNIT_TIME) == 1e-7);
    assert_true(ok("5ns", UNIT_TIME) == 5e-9);
    assert_true(ok("2min", UNIT_TIME) == 120.0);
    assert_true(ok("1h", UNIT_TIME) == 3600.0);
    assert_true(ok("0s", UNIT_TIME) == 0.0);
}

static void test_freqs(void **state)
{
    (void)state;
    assert_true(ok("2.5GHz", UNIT_FREQ) == 2.5e9);
    assert_true(ok("100MHz", UNIT_FREQ) == 1e8);
    assert_true(ok("3kHz", UNIT_FREQ) == 3e3);
    assert_true(ok("50Hz", UNIT_FREQ) == 50.0);
    assert_true(ok("1THz", UNIT_FREQ) == 1e12);
}

static void test_errors(void **state)
{
    (void)state;
    bad("25", UNIT_RATE, "expected a rate such as 25Gbps, got '25'");
    bad("25", UNIT_RATE, "bare number");
    bad("10", UNIT_TIME, "expected a time");
    bad("4096", UNIT_SIZE, "expected a size");
    bad("2.5", UNIT_FREQ, "expected a frequency");
    bad("", UNIT_SIZE, "got ''");
    bad("abc", UNIT_SIZE, "got 'abc'");
    bad("nan", UNIT_TIME, "got 'nan'");
    bad("inf", UNIT_RATE, "got 'inf'");
    bad("infs", UNIT_TIME, "got 'infs'");
    bad("-1s", UNIT_TIME, "negative");
    bad("+1s", UNIT_TIME, "got '+1s'");
    bad(" 1s", UNIT_TIME, "got ' 1s'");
    bad("1 s", UNIT_TIME, "unknown unit ' s'");
    bad("1s ", UNIT_TIME, "unknown unit 's '");
    bad("0x10B", UNIT_SIZE, "unknown unit 'x10B'");
    bad("10Gbpsx", UNIT_RATE, "unknown unit 'Gbpsx'");
    bad("10Gb", UNIT_RATE, "unknown unit 'Gb'");     /* a size, not a rate */
    bad("10Gbps", UNIT_SIZE, "unknown unit");        /* a rate, not a size */
    bad("10sec", UNIT_TIME, "unknown unit 'sec'");
    bad("1KiHz", UNIT_FREQ, "unknown unit");
    bad("1GHz", UNIT_TIME, "unknown unit");
    bad("1e400B", UNIT_SIZE, "too large");
    bad("1e308TB", UNIT_SIZE, "too large");
    bad("1.2.3s", UNIT_TIME, "unknown unit '.3s'");
    bad("1e", UNIT_TIME, "unknown unit 'e'");
    bad("B", UNIT_SIZE, "got 'B'");
    bad("1M", UNIT_SIZE, "unknown unit 'M'");
}

static void test_format_round_trips(void **state)
{
    (void)state;
    const double values[] = {25e9, 0.1, 1e-9, 1.0 / 3.0, 123456789.123, 1e300, 0};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[64], text[80], err[128];
        units_format_double(values[i], buf, sizeof buf);
        snprintf(text, sizeof text, "%ss", buf);
        double back;
        assert_int_equal(units_parse_time(text, &back, err, sizeof err), 0);
        assert_true(back == values[i]);
    }
    char buf[64];
    units_format_double(25e9, buf, sizeof buf);
    assert_string_equal(buf, "25000000000");
    units_format_double(0.1, buf, sizeof buf);
    assert_string_equal(buf, "0.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_freqs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_format_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
