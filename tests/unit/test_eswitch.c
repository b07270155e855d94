/* test_eswitch.c -- the PF's forwarding rules (eswitch/rules.h): VLAN
 * isolation, spoof check, trust, MAC parsing. Exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "eswitch/rules.h"

static void test_mac(void **state)
{
    (void)state;
    uint64_t m;
    assert_int_equal(esw_parse_mac("02:00:00:00:0a:FF", &m), 0);
    assert_true(m == 0x020000000affULL);
    char s[18];
    esw_format_mac(m, s);
    assert_string_equal(s, "02:00:00:00:0a:ff");
    assert_int_equal(esw_parse_mac("02:00:00:00:0a", &m), -1);
    assert_int_equal(esw_parse_mac("02-00-00-00-0a-ff", &m), -1);
    assert_int_equal(esw_parse_mac("02:00:00:00:0a:fg", &m), -1);
    assert_true(esw_assigned_mac(1, 0) != esw_assigned_mac(0, 1));
    assert_true((esw_assigned_mac(3, 2) >> 40) == 0x02);    /* locally administered */
}

static void test_vlan(void **state)
{
    (void)state;
    vf_rules a = {0x020000000001ULL, 100, false, true};
    vf_rules b = {0x020000000002ULL, 200, false, true};
    vf_rules c = {0x020000000003ULL, 100, false, true};
    assert_int_equal(esw_check(&a, true, &b, false, 0), ESW_DROP_VLAN);
    assert_int_equal(esw_check(&a, true, &c, false, 0), ESW_PASS);
    /* to or from the world: not checked */
    assert_int_equal(esw_check(&a, true, NULL, false, 0), ESW_PASS);
    assert_int_equal(esw_check(NULL, false, &b, false, 0), ESW_PASS);
}

static void test_spoof_and_trust(void **state)
{
    (void)state;
    vf_rules a = {0x020000000001ULL, 0, false, true};
    vf_rules b = {0x020000000002ULL, 0, false, true};
    assert_int_equal(esw_check(&a, true, &b, true, 0x020000000009ULL), ESW_DROP_SPOOF);
    assert_int_equal(esw_check(&a, true, &b, true, a.mac), ESW_PASS);
    assert_int_equal(esw_check(&a, true, &b, false, 0), ESW_PASS);
    /* spoof check off, or a trusted VF (it may set its own MAC): passes */
    a.spoofchk = false;
    assert_int_equal(esw_check(&a, true, &b, true, 0x020000000009ULL), ESW_PASS);
    a.spoofchk = true;
    a.trust = true;
    assert_int_equal(esw_check(&a, true, &b, true, 0x020000000009ULL), ESW_PASS);
    /* a software (virtio) sender has no VF spoof check */
    a.trust = false;
    assert_int_equal(esw_check(&a, false, &b, true, 0x020000000009ULL), ESW_PASS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_spoof_and_trust),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
