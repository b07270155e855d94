/* test_pf_load.c -- the PF keys and events in the loader, and the dmesg
 * form of the PF log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/pflog.h"
#include "scenario/load.h"

#define BASE "name: t\nsimulation: { duration: 2s }\n" \
             "hosts:\n  - { name: h1, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2 }] }\n"

static int load(const char *yaml, scenario_config *cfg, char *msgs, size_t len)
{
    char models[4096];
    snprintf(models, sizeof models, "%s/models", getenv("SRIOV_SOURCE_DIR"));
    FILE *err = fmemopen(msgs, len, "w");
    diag d;
    diag_init(&d, err);
    int rc = scenario_load_text(yaml, strlen(yaml), "t.yaml", models, cfg, &d);
    fclose(err);
    return rc;
}

static void test_os_profile_and_overrides(void **state)
{
    (void)state;
    scenario_config cfg;
    char msgs[4096] = "";
    const char *y = "name: t\nsimulation: { duration: 2s }\nhosts:\n"
                    "  - { name: h1, os: hyperv, pf_costs: { mailbox_timeout: 5ms } }\n";
    assert_int_equal(load(y, &cfg, msgs, sizeof msgs), 0);
    assert_true(cfg.hosts[0].os_prof.synthetic_fallback);
    assert_true(cfg.hosts[0].os_prof.mailbox_timeout_s == 5e-3);
    assert_true(cfg.hosts[0].os_prof.flr_s == 0.1);     /* PCIe bound, from the profile */
    config_free(&cfg);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct { const char *yaml, *want; } cases[] = {
        {BASE "vms: [{ name: a, host: h1, nics: [{ name: e, attach: vf, adapter: nic0, vf: 2 }] }]\n",
         "t.yaml:5:35: error: NIC 'a.e' asks for VF 2, but adapter 'nic0' has num_vfs 2"},
        {BASE "vms: [{ name: a, host: h1, nics: [{ name: e, attach: vf, adapter: nic0, vf: 0 }] },"
              " { name: b, host: h1, nics: [{ name: e, attach: vf, adapter: nic0, vf: 0 }] }]\n",
         "VF 0 is plugged into both 'a.e' and 'b.e' at t=0"},
        {BASE "vms: [{ name: a, host: h1, nics: [{ name: e, attach: vf, adapter: nic0 }] }]\n"
              "events: [{ at: 1s, vf_request: { nic: a.e, op: set_mtu, value: 20 } }]\n",
         "t.yaml:6:64: error: 'value' (an MTU in bytes) must be between 68 and 9216"},
        {"name: t\nsimulation: { duration: 2s }\nhosts:\n  - { name: h1, sriov_support: { firmware_iommu: false },"
         " adapters: [{ name: nic0, model: intel-e810, num_vfs: 2 }] }\n"
         "vms: [{ name: a, host: h1, nics: [{ name: e, attach: vf, adapter: nic0 }] }]\n",
         "t.yaml:5:35: error: NIC 'a.e' cannot have a VF: host 'h1' cannot give VFs: the IOMMU is off in firmware"},
        {"name: t\nsimulation: { duration: 2s }\nhosts:\n  - { name: h1, pf_costs: { flr: 200ms } }\n",
         "t.yaml:4:34: error: an FLR takes at most 100 ms"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario_config cfg;
        char msgs[4096] = "";
        if (load(cases[i].yaml, &cfg, msgs, sizeof msgs) == 0)
            fail_msg("case %zu loaded", i);
        if (!strstr(msgs, cases[i].want))
            fail_msg("case %zu: want '%s'\n got: %s", i, cases[i].want, msgs);
    }
}

static void test_dmesg_line(void **state)
{
    (void)state;
    scenario_config cfg;
    char msgs[4096] = "";
    assert_int_equal(load(BASE, &cfg, msgs, sizeof msgs), 0);
    event_record ev = {5.0, "h1", "nic0", 3, "flr_start", "FLR start"};
    char line[256];
    assert_string_equal(pflog_format(&cfg, &ev, line, sizeof line),
                        "[    5.000000] h1 kernel: ice 0000:18:00.0: VF 3: FLR start\n");
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_os_profile_and_overrides),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_dmesg_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
