/* test_virtio_cost.c -- the software datapath cost arithmetic against
 * closed forms, and the model files' reader. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "virtio/cost.h"
#include "virtio/params.h"

static void one_packet_size_is_exact(void **state)
{
    (void)state;
    virt_cost c = {.cycles_per_packet = 2000, .cycles_per_byte = 0.5};
    double cpb = virt_cycles_per_byte(&c, 64);
    double demand = 1e9;
    /* 2.5 GHz / (2000/64 + 0.5) bytes/s */
    assert_true(fabs(virt_capacity_Bps(2.5e9, &cpb, &demand, 1) - 2.5e9 / 31.75) < 1e-3);
    /* pps = capacity / 64 = 2.5e9 / (2000 + 32) */
    assert_true(fabs(virt_pps_per_core(&c, 2.5e9, 64) - 2.5e9 / 2032.0) < 1e-6);
}

static void mix_is_demand_weighted(void **state)
{
    (void)state;
    double cpb[2] = {10, 2}, demand[2] = {1, 3};
    /* mean = (10 + 6) / 4 = 4 cycles/byte */
    assert_true(fabs(virt_capacity_Bps(4e9, cpb, demand, 2) - 1e9) < 1e-6);
    double zero[2] = {0, 0};
    assert_true(isinf(virt_capacity_Bps(4e9, zero, demand, 2)));
    assert_true(isinf(virt_capacity_Bps(4e9, cpb, demand, 0)));
    assert_true(virt_capacity_Bps(0, cpb, demand, 2) == 0);
}

static void model_files_load(void **state)
{
    (void)state;
    char dir[4096], err[256];
    const char *src = getenv("SRIOV_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/models", src ? src : SRIOV_SOURCE_DIR);
    virt_params p;
    assert_int_equal(virt_params_load(dir, &p, err, sizeof err), 0);
    /* vDPA has a hardware datapath: no host cycles */
    assert_true(p.backend[VB_VDPA].cycles_per_packet == 0 && p.backend[VB_VDPA].cores == 0);
    /* the software backends cost more per packet the more they copy and wake */
    assert_true(p.backend[VB_VHOST_NET].cycles_per_packet > p.backend[VB_VHOST_USER].cycles_per_packet);
    assert_true(p.mig.max_downtime_s > 0 && p.mig.working_set > 0 && p.mig.working_set <= 1);
    assert_int_equal(virt_backend_by_name("vhost-user"), VB_VHOST_USER);
    assert_int_equal(virt_backend_by_name("tap"), -1);
    assert_int_equal(virt_params_load("/nonexistent", &p, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_packet_size_is_exact),
        cmocka_unit_test(mix_is_demand_weighted),
        cmocka_unit_test(model_files_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
