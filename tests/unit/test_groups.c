/* test_groups.c -- groups (docs/scenario.md, "Groups"): generated names,
 * VF numbering, overrides, patterns, errors pointing at the group and
 * naming the instance, limits, and the compact resolved round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/gpattern.h"
#include "scenario/load.h"
#include "scenario/resolved.h"

typedef struct outcome {
    int rc;
    char text[8192];
} outcome;

static outcome load(const char *yaml, scenario_config *cfg)
{
    const char *src = getenv("SRIOV_SOURCE_DIR");
    char models[4096];
    snprintf(models, sizeof models, "%s/models", src ? src : SRIOV_SOURCE_DIR);
    outcome o;
    FILE *f = tmpfile();
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    o.rc = scenario_load_text(yaml, strlen(yaml), "g.yaml", models, cfg, &d);
    rewind(f);
    size_t got = fread(o.text, 1, sizeof o.text - 1, f);
    o.text[got] = '\0';
    fclose(f);
    return o;
}

/* 4 hosts in 2 racks, 3 VMs a host with 2 NICs each, flows by VM group,
 * an override, VLANs from a list. Line numbers matter to the tests
 * (the comments give them from line 6 on, one less than the file). */
static const char *const pod =
    "name: g\n"                                                          /* 1 */
    "simulation: { duration: 1s }\n"                                     /* 2 */
    "fabric:\n"                                                          /* 3 */
    "  racks: [{ group: pod, name: \"r{i}\", host_group: hw, hosts_per_rack: 2 },\n"
    "          { name: rx, hosts: [extra] }]\n"
    "hosts:\n"                                                           /* 5 */
    "  - { name: extra }\n"                                              /* 6 */
    "  - group: hw\n"                                                    /* 7 */
    "    count: 4\n"                                                     /* 8 */
    "    first: 1\n"                                                     /* 9 */
    "    name: \"h{i:2}\"\n"                                             /* 10 */
    "    adapters: [{ name: nic0, model: intel-e810, num_vfs: 8 }]\n"    /* 11 */
    "    overrides: [{ index: 3, cores: 64 }]\n"                         /* 12 */
    "vms:\n"                                                             /* 13 */
    "  - group: t\n"                                                     /* 14 */
    "    name: \"{host}-vm{j}\"\n"                                       /* 15 */
    "    host_group: hw\n"                                               /* 16 */
    "    per_host: 3\n"                                                  /* 17 */
    "    nics:\n"                                                        /* 18 */
    "      - { name: a, adapter: nic0, vlan: { each: [10, 20, 30], by: j } }\n"
    "      - { name: b, adapter: nic0, vlan: \"{100 + i}\" }\n"          /* 20 */
    "traffic:\n"                                                         /* 21 */
    "  - group: f\n"                                                     /* 22 */
    "    name: \"f{i}\"\n"                                               /* 23 */
    "    vm_group: t\n"                                                  /* 24 */
    "    from: \"{vm}.a\"\n"                                             /* 25 */
    "    to: \"h{h % 4 + 1:2}-vm{j}.b\"\n"                         /* 26 */
    "    rate: { each: [1Gbps, 2Gbps] }\n";                              /* 27 */

static void test_expansion(void **state)
{
    (void)state;
    scenario_config cfg;
    outcome o = load(pod, &cfg);
    assert_int_equal(o.rc, 0);
    assert_int_equal(cfg.n_hosts, 5);
    assert_string_equal(cfg.hosts[0].name, "extra");
    assert_string_equal(cfg.hosts[1].name, "h01");   /* first: 1, width 2 */
    assert_string_equal(cfg.hosts[4].name, "h04");
    assert_int_equal(cfg.hosts[1].cores, 32);
    assert_int_equal(cfg.hosts[3].cores, 64);        /* index 3 is h03 */
    assert_int_equal(cfg.hosts[2].cores, 32);
    /* racks from hosts per rack */
    assert_int_equal(cfg.fabric.n_racks, 3);
    assert_string_equal(cfg.fabric.racks[1].name, "r1");
    assert_int_equal(cfg.fabric.racks[1].n_hosts, 2);
    assert_string_equal(cfg.hosts[cfg.fabric.racks[1].host_idx[1]].name, "h04");
    /* VMs: 3 per host, on the group's hosts in order */
    assert_int_equal(cfg.n_vms, 12);
    assert_string_equal(cfg.vms[4].name, "h02-vm1");
    assert_string_equal(cfg.vms[4].host, "h02");
    /* each NIC on the next free VF of its host's adapter: a, b per VM */
    assert_int_equal(cfg.vms[3].nics[0].vf_idx, 0);
    assert_int_equal(cfg.vms[3].nics[1].vf_idx, 1);
    assert_int_equal(cfg.vms[5].nics[0].vf_idx, 4);
    assert_int_equal(cfg.vms[5].nics[1].vf_idx, 5);
    /* VLAN from a list by slot, and from a pattern by index */
    assert_int_equal(cfg.vms[5].nics[0].vlan, 30);
    assert_int_equal(cfg.vms[5].nics[1].vlan, 105);
    /* flows: one per VM, peer by rule */
    assert_int_equal(cfg.n_flows, 12);
    assert_string_equal(cfg.flows[4].name, "f4");
    assert_string_equal(cfg.flows[4].from, "h02-vm1.a");
    assert_string_equal(cfg.flows[4].to, "h03-vm1.b");
    assert_string_equal(cfg.flows[11].to, "h01-vm2.b");  /* wraps */
    assert_true(cfg.flows[4].rate_bps == 1e9);
    assert_true(cfg.flows[5].rate_bps == 2e9);
    /* items remember their group and index */
    assert_int_equal(cfg.hosts[3].mark.group, 1);   /* groups count from 1 */
    assert_int_equal(cfg.hosts[3].mark.index, 3);
    assert_int_equal(cfg.hosts[3].mark.line, 8);
    config_free(&cfg);
}

/* Reloading the resolved text gives the same configuration, and the text
 * holds the groups, not their instances. */
static void test_resolved_round_trip(void **state)
{
    (void)state;
    scenario_config a, b;
    assert_int_equal(load(pod, &a).rc, 0);
    char *text = config_to_yaml(&a);
    assert_non_null(strstr(text, "group: hw"));
    assert_null(strstr(text, "h03-vm2"));           /* not expanded */
    assert_non_null(strstr(text, "total_vfs: 256")); /* a default filled in */
    outcome o = load(text, &b);
    if (o.rc)
        fail_msg("resolved does not load:\n%s\n%s", o.text, text);
    assert_int_equal(a.n_hosts, b.n_hosts);
    assert_int_equal(a.n_vms, b.n_vms);
    assert_int_equal(a.n_flows, b.n_flows);
    for (size_t i = 0; i < a.n_hosts; i++) {
        assert_string_equal(a.hosts[i].name, b.hosts[i].name);
        assert_int_equal(a.hosts[i].cores, b.hosts[i].cores);
        assert_int_equal(a.hosts[i].rack_idx, b.hosts[i].rack_idx);
    }
    for (size_t i = 0; i < a.n_vms; i++)
        for (size_t n = 0; n < a.vms[i].n_nics; n++) {
            assert_int_equal(a.vms[i].nics[n].vf_idx, b.vms[i].nics[n].vf_idx);
            assert_int_equal(a.vms[i].nics[n].vlan, b.vms[i].nics[n].vlan);
        }
    for (size_t i = 0; i < a.n_flows; i++) {
        assert_string_equal(a.flows[i].to, b.flows[i].to);
        assert_true(a.flows[i].rate_bps == b.flows[i].rate_bps);
    }
    char *again = config_to_yaml(&b);
    assert_string_equal(text, again);               /* a fixed point */
    free(again);
    free(text);
    config_free(&a);
    config_free(&b);
}

/* Replaces the first occurrence of from in pod by to. */
static char *pod_with(const char *from, const char *to)
{
    const char *at = strstr(pod, from);
    assert_non_null(at);
    size_t len = strlen(pod) - strlen(from) + strlen(to) + 1;
    char *s = malloc(len);
    snprintf(s, len, "%.*s%s%s", (int)(at - pod), pod, to, at + strlen(from));
    return s;
}

static void expect_error(const char *from, const char *to, const char *where, const char *what)
{
    char *yaml = pod_with(from, to);
    scenario_config cfg;
    outcome o = load(yaml, &cfg);
    free(yaml);
    assert_int_not_equal(o.rc, 0);
    if (!strstr(o.text, where) || !strstr(o.text, what))
        fail_msg("expected '%s' and '%s' in:\n%s", where, what, o.text);
}

static void test_errors_point_at_group(void **state)
{
    (void)state;
    /* the host loader's own check, on an instance: at the group, named */
    expect_error("cores: 64", "cores: 0", "g.yaml:13:",
                 "error: h03 (host group 'hw', index 3): 'cores' must be between");
    /* a pattern with an unknown variable: at the pattern */
    expect_error("\"{100 + i}\"", "\"{100 + k}\"", "g.yaml:21:",
                 "(VM group 't', index 0): pattern '{100 + k}': unknown variable 'k'");
    /* a generated peer that does not exist: the flow's instance is named */
    expect_error("% 4 + 1:2}", "% 4 + 2:2}", "g.yaml:27:",
                 "f6 (traffic group 'f', index 6): unknown VM 'h05-vm0'");
    /* duplicate generated names */
    expect_error("\"h{i:2}\"", "\"h{i % 2}\"", "g.yaml:11:", "duplicate host name 'h1'");
    /* override of an index the group does not have */
    expect_error("index: 3", "index: 9", "g.yaml:13:", "index must be between 1 and 4");
    /* a VM group on a group that is not a host group */
    expect_error("host_group: hw\n    per", "host_group: t\n    per", "g.yaml:17:",
                 "'t' is not a host group");
    /* too many VFs taken: the instance is named */
    expect_error("per_host: 3", "per_host: 5", "g.yaml:20:9:",
                 "h01-vm4 (VM group 't', index 4): no VF left");
}

static void test_limits(void **state)
{
    (void)state;
    expect_error("count: 4", "count: 100001", "g.yaml:9:12: error: 'count' 100001 is above "
                 "the limit of 100000", "fix: use at most 100000");
    expect_error("per_host: 3", "per_host: 65536", "g.yaml:18:", "65535");
    /* 40 hosts x 65,535 VMs: above the VM limit, refused before generating */
    char *yaml = pod_with("count: 4", "count: 40");
    char *big = malloc(strlen(yaml) + 16);
    const char *at = strstr(yaml, "per_host: 3");
    sprintf(big, "%.*sper_host: 65535%s", (int)(at - yaml), yaml, at + strlen("per_host: 3"));
    scenario_config cfg;
    outcome o = load(big, &cfg);
    assert_int_not_equal(o.rc, 0);
    assert_non_null(strstr(o.text, "g.yaml:15:"));
    assert_non_null(strstr(o.text, "above the limit of 2000000"));
    free(big);
    free(yaml);
}

static void test_patterns(void **state)
{
    (void)state;
    gvars v = {.have = GV_I | GV_N, .i = 7, .n = 10};
    char out[64], err[128];
    assert_int_equal(gpat_expand("x{i}", &v, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, "x7");
    assert_int_equal(gpat_expand("{i:3}-{(i - 9) % n}-{i * 2 + 1}-{i / 2}", &v, out, sizeof out,
                                 err, sizeof err), 0);
    assert_string_equal(out, "007-8-15-3");
    assert_int_equal(gpat_expand("{i / (n - 10)}", &v, out, sizeof out, err, sizeof err), -1);
    assert_non_null(strstr(err, "division by zero"));
    assert_int_equal(gpat_expand("{i", &v, out, sizeof out, err, sizeof err), -1);
    assert_int_equal(gpat_expand("{host}", &v, out, sizeof out, err, sizeof err), -1);
    assert_int_equal(gpat_expand("{9223372036854775807 + i}", &v, out, sizeof out, err,
                                 sizeof err), -1);
    assert_non_null(strstr(err, "overflow"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expansion),
        cmocka_unit_test(test_resolved_round_trip),
        cmocka_unit_test(test_errors_point_at_group),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
