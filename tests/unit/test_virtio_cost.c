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
#include "scenario/virtio_params.h"

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

/* SimGrid's fair CPU sharing: C cores, K busy threads + 1 vhost thread. */
static void fair_share_closed_form(void **state)
{
    (void)state;
    double s = 2.5e9, bound[8], rate[8];
    for (int i = 0; i < 8; i++)
        bound[i] = s;
    virt_fair_share(4 * s, bound, rate, 8);             /* K = 7: 4/8 of a core */
    for (int i = 0; i < 8; i++)
        assert_true(fabs(rate[i] - 0.5 * s) < 1e-3);
    virt_fair_share(16 * s, bound, rate, 8);            /* room: one core each */
    assert_true(fabs(rate[7] - s) < 1e-3);
}

/* A thread capped below the equal share leaves the rest to the others. */
static void fair_share_capped_threads_yield(void **state)
{
    (void)state;
    double s = 1e9;
    /* 4 cores: five uncapped, one at 0.5 core -> (4 - 0.5) / 5 = 0.7 core */
    double bound[6] = {s, s, s, s, s, 0.5 * s}, rate[6];
    virt_fair_share(4 * s, bound, rate, 6);
    assert_true(fabs(rate[0] - 0.7 * s) < 1e-3 && fabs(rate[5] - 0.5 * s) < 1e-3);
    /* a stopped thread (cap 0) gets nothing and takes nothing */
    double b2[3] = {s, 0, s}, r2[3];
    virt_fair_share(1 * s, b2, r2, 3);
    assert_true(r2[1] == 0 && fabs(r2[0] - 0.5 * s) < 1e-3 && fabs(r2[2] - 0.5 * s) < 1e-3);
    /* 6 x 0.5 + 1 on 4 cores: everyone gets its cap */
    double b3[7] = {s, 0.5 * s, 0.5 * s, 0.5 * s, 0.5 * s, 0.5 * s, 0.5 * s}, r3[7];
    virt_fair_share(4 * s, b3, r3, 7);
    assert_true(fabs(r3[0] - s) < 1e-3 && fabs(r3[6] - 0.5 * s) < 1e-3);
}

static void model_files_load(void **state)
{
    (void)state;
    char dir[4096];
    diag d;
    /* the missing file's message is not of interest here */
    FILE *sink = fopen("/dev/null", "w");
    diag_init(&d, sink);
    const char *src = getenv("SRIOV_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/models", src ? src : SRIOV_SOURCE_DIR);
    virt_params p;
    assert_int_equal(virt_params_load(dir, &p, &d), 0);
    /* vDPA has a hardware datapath: no host cycles */
    assert_true(p.backend[VB_VDPA].cycles_per_packet == 0 && p.backend[VB_VDPA].cores == 0);
    assert_true(p.guest[VG_DPDK].cores >= 1 && p.guest[VG_KERNEL].cores >= 1);
    /* the software backends cost more per packet the more they copy and wake */
    assert_true(p.backend[VB_VHOST_NET].cycles_per_packet > p.backend[VB_VHOST_USER].cycles_per_packet);
    assert_true(p.mig.max_downtime_s > 0 && p.mig.working_set > 0 && p.mig.working_set <= 1);
    assert_int_equal(virt_backend_by_name("vhost-user"), VB_VHOST_USER);
    assert_int_equal(virt_backend_by_name("tap"), -1);
    assert_int_equal(virt_params_load("/nonexistent", &p, &d), -1);
    assert_int_equal(d.n_errors, 1);
    fclose(sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_packet_size_is_exact),
        cmocka_unit_test(mix_is_demand_weighted),
        cmocka_unit_test(fair_share_closed_form),
        cmocka_unit_test(fair_share_capped_threads_yield),
        cmocka_unit_test(model_files_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
