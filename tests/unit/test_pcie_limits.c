/* test_pcie_limits.c -- the PCIe model's table edges (pcie.h): the two
 * x32 cells where the flow-control update limit differs from the Ack limit,
 * widths and payload sizes beyond the tables, and empty transfers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "pcie/pcie.h"

static void near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= 1e-12 * fabs(want)))
        fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

/* Share of the raw rate left for TLPs: one 8 B Ack DLLP per ack B, one 8 B
 * UpdateFC per fc B, a 4 B SKIP per 1538 B. */
static double share(double ack, double fc)
{
    return 1.0 - 8.0 / ack - 8.0 / fc - 4.0 / 1538.0;
}

static void test_fc_cells(void **state)
{
    (void)state;
    /* Gen1 x32 MPS 2048: Ack 148 B, UpdateFC 248 B (PCIe r5.0 Tables 3-7, 2-46) */
    pcie_config g1 = {.gen = 1, .lanes = 32, .mps_bytes = 2048, .mrrs_bytes = 512};
    near(pcie_tlp_Bps(&g1), 8e9 * share(148, 248), "gen1 x32 mps 2048");
    /* Gen2 x32 MPS 4096: Ack 237 B, UpdateFC 327 B (Tables 3-8, 2-47) */
    pcie_config g2 = {.gen = 2, .lanes = 32, .mps_bytes = 4096, .mrrs_bytes = 512};
    near(pcie_tlp_Bps(&g2), 16e9 * share(237, 327), "gen2 x32 mps 4096");
    /* a neighbouring cell uses the Ack limit for both: Gen1 x32 MPS 4096, 276 B */
    g1.mps_bytes = 4096;
    near(pcie_tlp_Bps(&g1), 8e9 * share(276, 276), "gen1 x32 mps 4096");
}

/* Beyond the tables' x32 and 4096 B, the last column and row apply. */
static void test_beyond_tables(void **state)
{
    (void)state;
    pcie_config p = {.gen = 3, .lanes = 64, .mps_bytes = 8192, .mrrs_bytes = 512};
    near(pcie_tlp_Bps(&p), pcie_raw_Bps(3, 64) * share(372, 372), "gen3 x64 mps 8192");
    assert_true(pcie_raw_Bps(3, 0) == 0.0);
    assert_true(pcie_raw_Bps(0, 8) == 0.0);
}

static void test_empty_transfers(void **state)
{
    (void)state;
    pcie_config p = {.gen = 3, .lanes = 8, .mps_bytes = 256, .mrrs_bytes = 512};
    assert_true(pcie_write_payload_Bps(&p, 0) == 0.0);
    assert_true(pcie_read_payload_Bps(&p, 0) == 0.0);
    assert_true(pcie_read_payload_Bps(&p, -1) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fc_cells),
        cmocka_unit_test(test_beyond_tables),
        cmocka_unit_test(test_empty_transfers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
