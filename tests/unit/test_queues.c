/* test_queues.c -- RSS (rss.h) and the queue / interrupt arithmetic
 * (queues.h) against closed forms and the RSS spec's test vector. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "virtio/queues.h"
#include "virtio/rss.h"

/* Microsoft RSS verification suite, IPv4 with TCP ports, first entry:
 * 66.9.149.187:2794 -> 161.142.100.80:1766 hashes to 0x51ccc178. */
static void toeplitz_matches_the_spec(void **state)
{
    (void)state;
    static const uint8_t key[RSS_KEY_BYTES] = {
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
        0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
        0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};
    const uint8_t in[12] = {66, 9, 149, 187, 161, 142, 100, 80, 2794 >> 8, 2794 & 0xff,
                            1766 >> 8, 1766 & 0xff};
    assert_int_equal(rss_toeplitz(key, in, sizeof in), 0x51ccc178u);
    /* addresses only: 0x323e8fc2 in the same suite */
    assert_int_equal(rss_toeplitz(key, in, 8), 0x323e8fc2u);
}

/* N connections over Q queues: on average Q (1 - (1 - 1/Q)^N) queues are
 * occupied (balls into bins), over many seeds. */
static void occupied_queues_follow_the_hash_law(void **state)
{
    (void)state;
    const int Q = 8, N = 8, runs = 4000;
    double occ = 0;
    for (int r = 0; r < runs; r++) {
        uint8_t key[RSS_KEY_BYTES];
        uint32_t counts[8];
        rss_key((uint64_t)r + 1, key);
        rss_spread(key, 1, 2, 0, N, Q, counts);
        for (int q = 0; q < Q; q++)
            occ += counts[q] > 0;
    }
    double expect = Q * (1 - pow(1 - 1.0 / Q, N));  /* 5.25 */
    /* sd of the mean ~ 0.9 / sqrt(4000) = 0.015: 5 sd */
    assert_true(fabs(occ / runs - expect) < 0.075);
}

/* Many connections spread evenly: each of 8 queues gets 1/8 within 4 %
 * (binomial sd 1 %: the ports are random). */
static void many_connections_spread_evenly(void **state)
{
    (void)state;
    uint8_t key[RSS_KEY_BYTES];
    uint32_t counts[8];
    rss_key(7, key);
    rss_spread(key, 3, 4, 5, 64000, 8, counts);
    for (int q = 0; q < 8; q++)
        assert_true(fabs(counts[q] / 8000.0 - 1) < 0.04);
    /* one connection, one queue, whatever the count of queues */
    rss_spread(key, 3, 4, 5, 1, 8, counts);
    int used = 0;
    for (int q = 0; q < 8; q++)
        used += counts[q] > 0;
    assert_int_equal(used, 1);
}

static void vf_queue_limits(void **state)
{
    (void)state;
    adapter_config a = {.queues_per_vf = 16};
    assert_int_equal(virt_vf_queues(&a), 16);
    a.msix_per_vf = 5;                  /* one misc vector */
    assert_int_equal(virt_vf_queues(&a), 4);
    a.msix_per_vf = 0;
    a.total_queues = 2048;
    a.num_vfs = 256;                    /* 8 per VF */
    assert_int_equal(virt_vf_queues(&a), 8);
}

/* virtio: min(key queues, vCPUs, the backend's limit); default one queue */
static void virtio_queue_limits(void **state)
{
    (void)state;
    nic_config nic = {.attach = ATTACH_VIRTIO, .backend = "vhost-user", .adapter_idx = -1};
    vm_config vm = {.vcpus = 256};
    scenario_config cfg = {0};
    assert_int_equal(virt_nic_queues(&cfg, &vm, &nic), 1);
    nic.queues = 200;
    assert_int_equal(virt_nic_queues(&cfg, &vm, &nic), 128);   /* DPDK vhost */
    nic.backend = "vhost-net";
    assert_int_equal(virt_nic_queues(&cfg, &vm, &nic), 200);
    vm.vcpus = 6;
    assert_int_equal(virt_nic_queues(&cfg, &vm, &nic), 6);
}

static void interrupt_rates(void **state)
{
    (void)state;
    /* Intel ITR 50 us: min(pps, 20k) */
    assert_true(fabs(virt_irq_rate_hz(1e6, 50e-6, 0) - 20000) < 1e-6);
    assert_true(fabs(virt_irq_rate_hz(5000, 50e-6, 0) - 5000) < 1e-9);
    /* mlx5 16 us or 32 packets, whichever first: 4 Mpps -> 125k */
    assert_true(fabs(virt_irq_rate_hz(4e6, 16e-6, 32) - 125000) < 1e-6);
    assert_true(fabs(virt_irq_rate_hz(1e6, 16e-6, 32) - 62500) < 1e-6);
    /* off: one per packet */
    assert_true(fabs(virt_irq_rate_hz(3e5, 0, 0) - 3e5) < 1e-9);
    double pp, fixed;
    virt_irq_cost(1e6, 50e-6, 0, 2000, &pp, &fixed);
    assert_true(pp == 0 && fabs(fixed - 2000 * 20000) < 1e-6);
    virt_irq_cost(1e4, 50e-6, 0, 2000, &pp, &fixed);
    assert_true(pp == 2000 && fixed == 0);
    virt_irq_cost(4e6, 16e-6, 32, 3200, &pp, &fixed);
    assert_true(fabs(pp - 100) < 1e-12 && fixed == 0);
}

/* virtio notifications: pps (1 - busy) / batch (queues.h) */
static void virtio_notification_rates(void **state)
{
    (void)state;
    /* idle consumer, no batching: one per packet */
    assert_true(fabs(virt_notify_rate_hz(5e4, 0, 1) - 5e4) < 1e-9);
    /* batches of 4 posted together: packets / 4 */
    assert_true(fabs(virt_notify_rate_hz(8e5, 0, 4) - 2e5) < 1e-6);
    /* consumer busy 75 %: a quarter of the packets find it idle */
    assert_true(fabs(virt_notify_rate_hz(1e6, 0.75, 1) - 2.5e5) < 1e-6);
    /* saturated (or elastic): suppressed */
    assert_true(virt_notify_rate_hz(1e6, 1.3, 1) == 0);
    assert_true(virt_notify_rate_hz(INFINITY, 0.2, 1) == 0);
    assert_true(virt_notify_rate_hz(0, 0, 1) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(toeplitz_matches_the_spec),
        cmocka_unit_test(occupied_queues_follow_the_hash_law),
        cmocka_unit_test(many_connections_spread_evenly),
        cmocka_unit_test(vf_queue_limits),
        cmocka_unit_test(virtio_queue_limits),
        cmocka_unit_test(interrupt_rates),
        cmocka_unit_test(virtio_notification_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
