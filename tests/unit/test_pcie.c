/* test_pcie.c -- the PCIe model against its closed forms (pcie.h), +-0.5 %. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "pcie/pcie.h"

#define TOL 0.005

static void near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL * fabs(want)))
        fail_msg("%s: got %.6g, want %.6g (+-0.5 %%)", what, got, want);
}

static const pcie_config gen3x8 = {.gen = 3, .lanes = 8, .mps_bytes = 256, .mrrs_bytes = 512};

/* Gen3 x8 MPS 256: Ack and FC limits 203 B (spec tables). */
static double gen3x8_tlp(void)
{
    double raw = 8e9 * 128.0 / 130.0 * 8.0 / 8.0;
    return raw * (1.0 - 8.0 / 203.0 - 8.0 / 203.0 - 4.0 / 1538.0);
}

static void test_raw(void **state)
{
    (void)state;
    near(pcie_raw_Bps(1, 1), 250e6, "gen1 x1");
    near(pcie_raw_Bps(2, 4), 2e9, "gen2 x4");
    near(pcie_raw_Bps(3, 8), 7.876923e9, "gen3 x8");
    near(pcie_raw_Bps(4, 16), 31.507692e9, "gen4 x16");
    near(pcie_raw_Bps(5, 16), 63.015385e9, "gen5 x16");
    assert_true(pcie_raw_Bps(6, 8) == 0.0);
}

static void test_tlp(void **state)
{
    (void)state;
    near(pcie_tlp_Bps(&gen3x8), gen3x8_tlp(), "gen3 x8 tlp");
    /* Gen2 x4 MPS 256: limits 169 B */
    pcie_config g2 = {.gen = 2, .lanes = 4, .mps_bytes = 256, .mrrs_bytes = 512};
    near(pcie_tlp_Bps(&g2), 2e9 * (1 - 16.0 / 169.0 - 4.0 / 1538.0), "gen2 x4 tlp");
    /* Gen4 x16 MPS 512: 182 B */
    pcie_config g4 = {.gen = 4, .lanes = 16, .mps_bytes = 512, .mrrs_bytes = 512};
    near(pcie_tlp_Bps(&g4), pcie_raw_Bps(4, 16) * (1 - 16.0 / 182.0 - 4.0 / 1538.0), "gen4 x16");
}

static void test_write_read_sizes(void **state)
{
    (void)state;
    static const double sizes[] = {64, 128, 256, 257, 512, 1024, 1500, 4096};
    double tlp = gen3x8_tlp();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double sz = sizes[i];
        char what[64];
        snprintf(what, sizeof what, "write %g B", sz);
        near(pcie_write_payload_Bps(&gen3x8, sz), tlp * sz / (ceil(sz / 256) * 24 + sz), what);
        snprintf(what, sizeof what, "read %g B", sz);
        near(pcie_read_payload_Bps(&gen3x8, sz), tlp * sz / (ceil(sz / 256) * 20 + sz), what);
    }
    /* 64 B writes: 64 / 88 of the TLP bandwidth */
    near(pcie_write_payload_Bps(&gen3x8, 64), tlp * 64.0 / 88.0, "write 64 B ratio");
}

/* Per-packet NIC wire bytes, worked by hand from niantic.py (pcie.h). */
static void test_nic_64B(void **state)
{
    (void)state;
    double tlp = gen3x8_tlp();
    /* Tx kernel, UP: tail 28 + desc (3 x 20 + 640) / 40 + data 84 + head req 24 */
    pcie_pkt_wire w = pcie_nic_tx_wire(&gen3x8, PCIE_DRIVER_KERNEL, 64);
    near(w.up_bytes, 28 + 17.5 + 84 + 24, "tx kernel up");
    /* DOWN: desc req 2 x 24 / 40 + data req 24 + wb (24 + 128) / 8 + MSI 28/32 + head cpl 24 */
    near(w.down_bytes, 1.2 + 24 + 19 + 0.875 + 24, "tx kernel down");
    near(pcie_nic_pps(&gen3x8, PCIE_DRIVER_KERNEL, 1, 64), tlp / 153.5, "tx kernel pps");
    /* Tx DPDK, UP: tail 28/32 + desc 17.5 + data 84 */
    near(pcie_nic_pps(&gen3x8, PCIE_DRIVER_DPDK, 1, 64), tlp / (0.875 + 17.5 + 84), "tx dpdk");
    /* Rx kernel, DOWN: desc req 24 + data 88 + wb 40 + MSI 28/32 + head cpl 24/8 */
    near(pcie_nic_pps(&gen3x8, PCIE_DRIVER_KERNEL, 0, 64), tlp / (24 + 88 + 40 + 0.875 + 3),
         "rx kernel");
    near(pcie_nic_pps(&gen3x8, PCIE_DRIVER_DPDK, 0, 64), tlp / (24 + 88 + 40), "rx dpdk");
    /* Small packets are PCIe-bound below 40GbE line rate (59.5 Mpps)... */
    assert_true(pcie_nic_pps(&gen3x8, PCIE_DRIVER_KERNEL, 0, 64) < 59.5e6);
    /* ...and the DPDK driver moves more of them than the kernel one. */
    assert_true(pcie_nic_pps(&gen3x8, PCIE_DRIVER_DPDK, 1, 64) >
                pcie_nic_pps(&gen3x8, PCIE_DRIVER_KERNEL, 1, 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_tlp),
        cmocka_unit_test(test_write_read_sizes),
        cmocka_unit_test(test_nic_64B),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
