/* test_load.c -- the scenario loader: every error class at its exact
 * line:column, defaults, the resolved round trip, and a full scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load.h"
#include "scenario/resolved.h"
#include "scenario/ynode.h"

/* ---- harness ------------------------------------------------------------------ */

static const char *source_dir(void)
{
    const char *env = getenv("SRIOV_SOURCE_DIR");
    return env ? env : SRIOV_SOURCE_DIR;
}

static void path_in(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", source_dir(), rel);
}

static void models_dir(char *buf, size_t len) { path_in(buf, len, "models"); }

/* Everything the loader printed, captured through diag's stream. */
typedef struct outcome {
    int rc;
    int n_errors;
    char text[4096];
} outcome;

static void capture(FILE *f, outcome *o)
{
    rewind(f);
    size_t got = fread(o->text, 1, sizeof o->text - 1, f);
    o->text[got] = '\0';
    fclose(f);
}

static outcome load_text_with(const char *yaml, const char *models, scenario_config *cfg)
{
    outcome o;
    FILE *f = tmpfile();
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    o.rc = scenario_load_text(yaml, strlen(yaml), "t.yaml", models, cfg, &d);
    o.n_errors = d.n_errors;
    capture(f, &o);
    return o;
}

static outcome load_text(const char *yaml, scenario_config *cfg)
{
    char models[4096];
    models_dir(models, sizeof models);
    return load_text_with(yaml, models, cfg);
}

static outcome load_file(const char *path, scenario_config *cfg)
{
    char models[4096];
    models_dir(models, sizeof models);
    outcome o;
    FILE *f = tmpfile();
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    o.rc = scenario_load(path, models, cfg, &d);
    o.n_errors = d.n_errors;
    capture(f, &o);
    return o;
}

static void assert_zeroed(const scenario_config *cfg)
{
    static const scenario_config zero;
    assert_memory_equal(cfg, &zero, sizeof zero);
}

/* The first line printed must start with where (e.g. "t.yaml:2:14: error: ")
 * and contain message; hint, when given, must appear in a "  fix:" line. */
static void expect_error_with(const char *yaml, const char *models, const char *where,
                              const char *message, const char *hint)
{
    scenario_config cfg;
    outcome o = load_text_with(yaml, models, &cfg);
    if (o.rc == 0)
        fail_msg("loaded, but expected: %s%s", where, message);
    assert_true(o.n_errors >= 1);
    assert_zeroed(&cfg);
    char *eol = strchr(o.text, '\n');
    size_t first_len = eol ? (size_t)(eol - o.text) : strlen(o.text);
    char first[1024];
    snprintf(first, sizeof first, "%.*s", (int)first_len, o.text);
    if (strncmp(first, where, strlen(where)) != 0 || !strstr(first, message))
        fail_msg("want '%s...%s'\n got: %s", where, message, o.text);
    if (hint) {
        char fix[512];
        snprintf(fix, sizeof fix, "  fix: %s", hint);
        if (!strstr(o.text, fix))
            fail_msg("want hint '%s'\n got: %s", hint, o.text);
    }
}

static void expect_error(const char *yaml, const char *where, const char *message)
{
    char models[4096];
    models_dir(models, sizeof models);
    expect_error_with(yaml, models, where, message, NULL);
}

static void expect_error_hint(const char *yaml, const char *where, const char *message,
                              const char *hint)
{
    char models[4096];
    models_dir(models, sizeof models);
    expect_error_with(yaml, models, where, message, hint);
}

/* A small valid scenario; tests append to it or change one line. Lines:
 *  1 name  2 simulation  3 hosts  4 - name: h1  5 adapters  6 - {nic0}
 *  7 vms  8 - name: vm1  9 host  10 nics  11 - name: vm2  12 host  13 nics */
#define BASE_HEAD "name: t\nsimulation: { duration: 10s }\n"
#define BASE_HOSTS \
    "hosts:\n" \
    "  - name: h1\n" \
    "    adapters:\n" \
    "      - { name: nic0, model: intel-x710, num_vfs: 2 }\n"
#define BASE_VMS \
    "vms:\n" \
    "  - name: vm1\n" \
    "    host: h1\n" \
    "    nics: [{ name: eth0, adapter: nic0 }]\n" \
    "  - name: vm2\n" \
    "    host: h1\n" \
    "    nics: [{ name: eth0, adapter: nic0 }]\n"
#define BASE BASE_HEAD BASE_HOSTS BASE_VMS

/* ---- YAML-level errors ---------------------------------------------------------- */

static void test_yaml_errors(void **state)
{
    (void)state;
    expect_error("", "t.yaml:1:1: error: ", "the scenario is empty");
    expect_error("# only a comment\n", "t.yaml:1:1: error: ", "the scenario is empty");
    expect_error(BASE "name: u\n", "t.yaml:14:1: error: ",
                 "duplicate key 'name' (first at line 1, column 1)");
    expect_error("a: &x [1]\nb: *x\n", "t.yaml:1:4: error: ", "anchors and aliases");
    expect_error("name: t\n---\nname: u\n", "t.yaml:2:1: error: ",
                 "exactly one YAML document");
    expect_error("name: [1, 2\n", "t.yaml:2:1: error: ", "did not find expected");
    expect_error("{a: 1}: 2\n", "t.yaml:1:1: error: ", "mapping keys must be scalars");
    expect_error("- 1\n", "t.yaml:1:1: error: ", "expected a mapping for the scenario, got a list");
    /* depth: 70 nested lists */
    char deep[256] = "";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    expect_error(deep, "t.yaml:1:65: error: ", "nesting deeper than 64 levels");
}

static void test_file_errors(void **state)
{
    (void)state;
    scenario_config cfg;
    char path[4096];
    path_in(path, sizeof path, "tests/unit/fixtures");
    outcome o = load_file(path, &cfg);
    assert_int_not_equal(o.rc, 0);
    assert_zeroed(&cfg);
    assert_non_null(strstr(o.text, ": error: is a directory"));

    path_in(path, sizeof path, "tests/unit/fixtures/no-such-file.yaml");
    o = load_file(path, &cfg);
    assert_int_not_equal(o.rc, 0);
    assert_non_null(strstr(o.text, "error: cannot open"));

    path_in(path, sizeof path, "tests/unit/fixtures/non_utf8.yaml");
    o = load_file(path, &cfg);
    assert_int_not_equal(o.rc, 0);
    char want[4200];
    snprintf(want, sizeof want, "%s:3:17: error: ", path);
    if (strncmp(o.text, want, strlen(want)) != 0)
        fail_msg("want %s, got %s", want, o.text);
    assert_non_null(strstr(o.text, "UTF-8"));
}

/* ---- schema errors ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
    (void)state;
    expect_error("name: t\nsimulation: { duraton: 10s }\n" BASE_HOSTS,
                 "t.yaml:2:15: error: ",
                 "unknown key 'duraton' in simulation; did you mean 'duration'?");
    expect_error(BASE "outptu: { file: x.h5 }\n", "t.yaml:14:1: error: ",
                 "unknown key 'outptu' in the scenario; did you mean 'output'?");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    coers: 4\n", "t.yaml:5:5: error: ",
                 "unknown key 'coers' in a host; did you mean 'cores'?");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    zzzzzzzz: 4\n", "t.yaml:5:5: error: ",
                 "unknown key 'zzzzzzzz' in a host");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_error("name: { a: 1 }\n", "t.yaml:1:7: error: ",
                 "expected a scalar for 'name', got a mapping");
    expect_error("name: t\nsimulation: { duration: 10 }\n" BASE_HOSTS,
                 "t.yaml:2:25: error: ", "expected a time such as 10ms, got '10'");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    cores: abc\n", "t.yaml:5:12: error: ",
                 "expected an integer for 'cores', got 'abc'");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    cores: 0\n", "t.yaml:5:12: error: ",
                 "'cores' must be between 1 and");
    expect_error(BASE_HEAD "hosts: { name: h1 }\n", "t.yaml:3:8: error: ",
                 "expected a list for 'hosts', got a mapping");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    iommu: { enabled: yes }\n",
                 "t.yaml:5:23: error: ", "expected true or false for 'enabled', got 'yes'");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    os: linux\n", "t.yaml:5:9: error: ",
                 "invalid value 'linux' for 'os'");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    memory: 16GiBs\n", "t.yaml:5:13: error: ",
                 "unknown unit 'GiBs'");
    expect_error(BASE_HEAD "hosts:\n  - name: h.1\n", "t.yaml:4:11: error: ",
                 "invalid host name 'h.1'");
}

static void test_missing_required(void **state)
{
    (void)state;
    expect_error("simulation: { duration: 10s }\n" BASE_HOSTS, "t.yaml:1:1: error: ",
                 "missing required key 'name'");
    expect_error("name: t\n" BASE_HOSTS, "t.yaml:1:1: error: ",
                 "missing required key 'simulation'");
    expect_error("name: t\nsimulation: { seed: 3 }\n" BASE_HOSTS, "t.yaml:2:13: error: ",
                 "missing required key 'duration' in simulation");
    expect_error(BASE_HEAD, "t.yaml:1:1: error: ", "the scenario has no hosts");
    expect_error(BASE_HEAD "hosts:\n  - { cores: 4 }\n", "t.yaml:4:5: error: ",
                 "host has no 'name'");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    adapters: [{ name: nic0 }]\n",
                 "t.yaml:5:16: error: ", "missing required key 'model' in an adapter");
    expect_error(BASE_HEAD BASE_HOSTS "vms: [{ name: vm1 }]\n", "t.yaml:7:7: error: ",
                 "missing required key 'host' in a VM");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0 }]\n",
                 "t.yaml:14:11: error: ", "missing required key 'rate' in an inelastic flow");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0, kind: elastic }]\n",
                 "t.yaml:14:11: error: ", "missing required key 'size' in an elastic flow");
}

static void test_impossible_values(void **state)
{
    (void)state;
    expect_error_hint(BASE_HEAD "hosts:\n  - name: h1\n    adapters:\n"
                      "      - { name: nic0, model: intel-x710, num_vfs: 200 }\n",
                      "t.yaml:6:51: error: ",
                      "num_vfs 200 exceeds total_vfs 128 of adapter 'nic0' (model intel-x710) "
                      "on host 'h1'",
                      "set num_vfs to at most 128, or override total_vfs if the firmware is "
                      "configured for more");
    /* an override raises the limit */
    scenario_config cfg;
    outcome o = load_text(BASE_HEAD "hosts:\n  - name: h1\n    adapters:\n"
                          "      - { name: nic0, model: intel-x710, total_vfs: 256, num_vfs: 200 }\n",
                          &cfg);
    assert_int_equal(o.rc, 0);
    assert_int_equal(cfg.hosts[0].adapters[0].total_vfs, 256);
    config_free(&cfg);

    expect_error("name: t\nsimulation: { duration: 0s }\n" BASE_HOSTS, "t.yaml:2:25: error: ",
                 "'duration' must be greater than zero");
    expect_error("name: t\nsimulation: { duration: -1s }\n" BASE_HOSTS, "t.yaml:2:25: error: ",
                 "must not be negative");
    expect_error(BASE "output: { sample_interval: 20s }\n", "t.yaml:14:28: error: ",
                 "sample_interval 20s is longer than the simulation (10s)");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    adapters:\n"
                 "      - { name: nic0, model: intel-x710, pcie: { lanes: 3 } }\n",
                 "t.yaml:6:57: error: ", "pcie lanes must be a link width, got 3");
    expect_error(BASE_HEAD "hosts:\n  - name: h1\n    iommu: { page_size: 8KiB }\n",
                 "t.yaml:5:25: error: ", "IOMMU page size must be an x86 page size");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0, rate: 1Gbps,"
                 " start: 4s, duration: 7s }]\n",
                 "t.yaml:14:86: error: ", "flow 'f' would end at 11s, after the simulation ends (10s)");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0, rate: 1Gbps,"
                 " packet_size: 20B }]\n",
                 "t.yaml:14:78: error: ", "packet size '20B' is not an Ethernet frame size");
}

static void test_references(void **state)
{
    (void)state;
    expect_error(BASE_HEAD BASE_HOSTS "vms: [{ name: vm1, host: h9 }]\n", "t.yaml:7:26: error: ",
                 "unknown host 'h9'; did you mean 'h1'?");
    expect_error(BASE_HEAD BASE_HOSTS "vms: [{ name: vm1, host: h1, nics: [{ name: e, adapter: nic1 }] }]\n",
                 "t.yaml:7:57: error: ", "unknown adapter 'nic1'; did you mean 'nic0'?");
    expect_error_hint(BASE_HEAD BASE_HOSTS
                      "vms: [{ name: vm1, host: h1, nics: [{ name: e, adapter: nic0, port: 2 }] }]\n",
                      "t.yaml:7:69: error: ",
                      "port 2 does not exist on adapter 'nic0' of host 'h1', which has 2 ports",
                      "use a port from 0 to 1");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm3.eth0, rate: 1Gbps }]\n",
                 "t.yaml:14:42: error: ", "unknown VM 'vm3'; did you mean 'vm1'?");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth1, to: vm2.eth0, rate: 1Gbps }]\n",
                 "t.yaml:14:28: error: ", "VM 'vm1' has no NIC 'eth1'; did you mean 'vm1.eth0'?");
    expect_error(BASE "traffic: [{ name: f, from: vm1, to: vm2.eth0, rate: 1Gbps }]\n",
                 "t.yaml:14:28: error: ", "expected VM.NIC, got 'vm1'");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm1.eth0, rate: 1Gbps }]\n",
                 "t.yaml:14:42: error: ", "goes from 'vm1.eth0' to itself");
    expect_error(BASE "events: [{ at: 1s, migrate: { vm: vm7, to: h1 } }]\n",
                 "t.yaml:14:35: error: ", "unknown VM 'vm7'");
    expect_error(BASE "events: [{ at: 1s, set_num_vfs: { host: h1, adapter: nic9, num_vfs: 1 } }]\n",
                 "t.yaml:14:54: error: ", "unknown adapter 'nic9'");
    /* above total_vfs is the PF's run-time -ERANGE (src/pf/); only the
     * 16-bit field bounds it at load time */
    expect_error(BASE "events: [{ at: 1s, set_num_vfs: { host: h1, adapter: nic0, num_vfs: 65536 } }]\n",
                 "t.yaml:14:69: error: ", "'num_vfs' must be between 0 and 65535");
    expect_error(BASE "events: [{ at: 1s, flr: { host: h1, adapter: nic0, vf: 128 } }]\n",
                 "t.yaml:14:56: error: ", "'vf' (on an adapter with total_vfs 128) must be between 0 and 127");
    expect_error(BASE "events: [{ at: 1s, migrate: { vm: vm1, to: h1 } }]\n",
                 "t.yaml:14:10: error: ", "VM 'vm1' is already on host 'h1' at 1s");
    expect_error(BASE "events: [{ at: 11s, fault: { vm: vm1, kind: dma_out_of_domain } }]\n",
                 "t.yaml:14:16: error: ", "event at 11s is after the simulation ends (10s)");
    expect_error(BASE "events: [{ at: 1s, fault: { vm: vm1, kind: dma_out_of_domian } }]\n",
                 "t.yaml:14:44: error: ", "invalid value 'dma_out_of_domian' for 'kind'");
    expect_error(BASE "events: [{ at: 1s }]\n", "t.yaml:14:10: error: ", "event has no action");
    expect_error(BASE "events: [{ at: 1s, flr: { nic: vm1.eth0 }, fault: { vm: vm1, kind: dma_out_of_domain } }]\n",
                 "t.yaml:14:51: error: ", "an event has one action");
    expect_error_hint(BASE_HEAD "hosts:\n  - name: h1\n    adapters: [{ name: n, model: intel-e8100 }]\n",
                      "t.yaml:5:34: error: ", "unknown adapter model 'intel-e8100'",
                      "did you mean 'intel-e810'?");
}

static void test_duplicates(void **state)
{
    (void)state;
    expect_error(BASE_HEAD "hosts: [{ name: h1 }, { name: h1 }]\n", "t.yaml:3:31: error: ",
                 "duplicate host name 'h1'");
    expect_error(BASE_HEAD BASE_HOSTS "vms: [{ name: a, host: h1 }, { name: a, host: h1 }]\n",
                 "t.yaml:7:38: error: ", "duplicate VM name 'a'");
    expect_error(BASE_HEAD BASE_HOSTS
                 "vms: [{ name: a, host: h1, nics: [{ name: e, attach: virtio }, { name: e, attach: virtio }] }]\n",
                 "t.yaml:7:72: error: ", "duplicate NIC name 'e'");
    expect_error(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0, rate: 1Gbps },"
                 " { name: f, from: vm1.eth0, to: vm2.eth0, rate: 1Gbps }]\n",
                 "t.yaml:14:75: error: ", "duplicate flow name 'f'");
}

static void test_racks(void **state)
{
    (void)state;
    const char *hosts = "hosts: [{ name: h1 }, { name: h2 }]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, BASE_HEAD "%sfabric: { racks: [{ name: r1, hosts: [h1] }] }\n", hosts);
    expect_error(yaml, "t.yaml:4:18: error: ", "host 'h2' is in no rack");
    snprintf(yaml, sizeof yaml, BASE_HEAD "%sfabric: { racks: [{ name: r1, hosts: [h1, h2] },"
             " { name: r2, hosts: [h1] }] }\n", hosts);
    expect_error(yaml, "t.yaml:4:70: error: ", "host 'h1' is already in rack 'r1'");
    snprintf(yaml, sizeof yaml, BASE_HEAD "%sfabric: { racks: [{ name: r1, hosts: [h1, h3] }] }\n", hosts);
    expect_error(yaml, "t.yaml:4:43: error: ", "unknown host 'h3'");
}

static void test_vf_exhaustion(void **state)
{
    (void)state;
    const char *exhausted = BASE_HEAD "hosts:\n  - name: h1\n    adapters:\n"
                            "      - { name: nic0, model: intel-x710, num_vfs: 1 }\n" BASE_VMS;
    expect_error_hint(exhausted, "t.yaml:13:12: error: ",
                      "no VF left for NIC 'vm2.eth0': adapter 'nic0' on host 'h1' has num_vfs 1",
                      "raise num_vfs on 'nic0' (total_vfs is 128), or set policy.vf_exhausted: virtio");

    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%spolicy: { vf_exhausted: virtio }\n", exhausted);
    scenario_config cfg;
    outcome o = load_text(yaml, &cfg);
    assert_int_equal(o.rc, 0);
    assert_int_equal(cfg.vf_exhausted, VF_EXHAUSTED_VIRTIO);
    const nic_config *first = &cfg.vms[0].nics[0], *second = &cfg.vms[1].nics[0];
    assert_int_equal(first->attach, ATTACH_VF);
    assert_int_equal(first->vf_idx, 0);
    assert_false(first->fell_back_to_virtio);
    assert_int_equal(second->attach, ATTACH_VIRTIO);
    assert_string_equal(second->backend, "vhost-net");
    assert_int_equal(second->vf_idx, -1);
    assert_true(second->fell_back_to_virtio);
    /* it still fails over through its adapter */
    assert_int_equal(second->adapter_idx, 0);
    config_free(&cfg);
}

static void test_catalogue_errors(void **state)
{
    (void)state;
    char models[4096], where[4300];
    path_in(models, sizeof models, "tests/unit/fixtures/models");
    const char *yaml = BASE_HEAD "hosts: [{ name: h1, adapters: [{ name: n, model: bad-key }] }]\n";
    snprintf(where, sizeof where, "%s/adapters/bad-key.yaml:8:1: error: ", models);
    expect_error_with(yaml, models, where,
                      "unknown key 'port_rat' in adapter model; did you mean 'port_rate'?", NULL);
    yaml = BASE_HEAD "hosts: [{ name: h1, adapters: [{ name: n, model: incomplete }] }]\n";
    snprintf(where, sizeof where, "%s/adapters/incomplete.yaml:2:1: error: ", models);
    expect_error_with(yaml, models, where, "adapter model lacks 'total_vfs'", NULL);
    yaml = BASE_HEAD "hosts: [{ name: h1, adapters: [{ name: n, model: ../x }] }]\n";
    expect_error_with(yaml, models, "t.yaml:3:50: error: ", "invalid adapter model name '../x'", NULL);
}

static void test_every_catalogue_model_loads(void **state)
{
    (void)state;
    const char *models[] = {"intel-x710", "intel-e810", "mlx-connectx5", "mlx-connectx6dx"};
    const int total_vfs[] = {128, 256, 254, 254};
    for (size_t i = 0; i < 4; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, BASE_HEAD "hosts: [{ name: h1, adapters: [{ name: n, model: %s }] }]\n",
                 models[i]);
        scenario_config cfg;
        outcome o = load_text(yaml, &cfg);
        if (o.rc)
            fail_msg("%s: %s", models[i], o.text);
        assert_int_equal(cfg.hosts[0].adapters[0].total_vfs, total_vfs[i]);
        assert_true(cfg.hosts[0].adapters[0].port_rate_bps >= 10e9);
        config_free(&cfg);
    }
}

/* ---- successful loads ------------------------------------------------------------------ */

static void test_defaults(void **state)
{
    (void)state;
    scenario_config cfg;
    outcome o = load_text(BASE "traffic: [{ name: f, from: vm1.eth0, to: vm2.eth0, rate: 1Gbps, start: 2s }]\n",
                          &cfg);
    if (o.rc)
        fail_msg("%s", o.text);
    assert_string_equal(cfg.path, "t.yaml");
    assert_non_null(strstr(cfg.text, "name: t\n"));
    assert_true(cfg.sim.duration_s == 10);
    assert_int_equal(cfg.sim.seed, 1);
    assert_int_equal(cfg.sim.granularity, GRAN_FLOW);
    assert_int_equal(cfg.sim.burst_packets, 64);
    assert_true(cfg.sim.rate_epoch_s == 0);
    assert_string_equal(cfg.sim.network_model, "CM02");
    assert_int_equal(cfg.fabric.n_racks, 1);
    assert_string_equal(cfg.fabric.racks[0].name, "r0");
    assert_int_equal(cfg.fabric.racks[0].n_hosts, 1);
    assert_true(cfg.fabric.host_link.rate_bps == 25e9 && cfg.fabric.host_link.latency_s == 1e-6);
    assert_true(cfg.fabric.tor_uplink.rate_bps == 400e9);
    assert_true(cfg.fabric.external.rate_bps == 100e9 && cfg.fabric.external.latency_s == 1e-5);
    assert_int_equal(cfg.fabric.spines, 1);
    const host_config *h = &cfg.hosts[0];
    assert_int_equal(h->cores, 32);
    assert_true(h->core_speed_hz == 2.5e9);
    assert_true(h->memory_bytes == 256.0 * 1073741824.0);
    assert_string_equal(h->os, "linux-kvm");
    assert_true(h->iommu.enabled);
    assert_true(h->iommu.page_size_bytes == 4096);
    assert_int_equal(h->iommu.iotlb_entries, 64);
    assert_int_equal(h->rack_idx, 0);
    const adapter_config *a = &h->adapters[0];
    assert_int_equal(a->mode, ADAPTER_SRIOV);
    assert_int_equal(a->eswitch, ESWITCH_VEB);
    assert_int_equal(a->total_vfs, 128);
    assert_int_equal(a->ports, 2);
    assert_true(a->port_rate_bps == 10e9);
    assert_true(a->port_latency_s == 1e-6);
    assert_int_equal(a->pcie.gen, 3);
    assert_int_equal(a->pcie.lanes, 8);
    assert_true(a->pcie.mps_bytes == 256 && a->pcie.mrrs_bytes == 512);
    assert_int_equal(a->num_vfs_mark.line, 6);
    const vm_config *vm = &cfg.vms[1];
    assert_int_equal(vm->host_idx, 0);
    assert_int_equal(vm->vcpus, 2);
    assert_true(vm->memory_bytes == 4.0 * 1073741824.0);
    assert_true(vm->dirty_rate_Bps == 0);
    const nic_config *n = &vm->nics[0];
    assert_int_equal(n->attach, ATTACH_VF);
    assert_int_equal(n->adapter_idx, 0);
    assert_int_equal(n->vf_idx, 1);
    assert_int_equal(n->port, 0);
    assert_null(n->backend);
    assert_null(n->standby);
    assert_null(n->mac);
    assert_int_equal(n->vlan, 0);
    assert_false(n->trust);
    assert_true(n->spoofchk);
    assert_true(n->qos.max_rate_bps == 0 && n->qos.min_rate_bps == 0 && n->qos.burst_bytes == 65536);
    assert_int_equal(n->mark.line, 13);
    assert_int_equal(n->mark.col, 12);
    const flow_config *f = &cfg.flows[0];
    assert_int_equal(f->kind, FLOW_INELASTIC);
    assert_int_equal(f->arrivals, ARRIVALS_CONSTANT);
    assert_true(f->start_s == 2 && f->duration_s == 8);
    assert_int_equal(f->n_pkt_sizes, 1);
    assert_true(f->pkt_sizes[0].size_bytes == 1500 && f->pkt_sizes[0].weight == 1);
    assert_int_equal(f->src.vm_idx, 0);
    assert_int_equal(f->dst.vm_idx, 1);
    assert_int_equal(cfg.vf_exhausted, VF_EXHAUSTED_FAIL);
    assert_string_equal(cfg.output.file, "results/t.h5");
    assert_true(cfg.output.sample_interval_s == 0.1);
    config_free(&cfg);
    assert_zeroed(&cfg);
    config_free(&cfg);      /* idempotent */
}

static void test_traffic_mapping_imix_external(void **state)
{
    (void)state;
    char path[4096];
    path_in(path, sizeof path, "tests/unit/fixtures/traffic_map.yaml");
    scenario_config cfg;
    outcome o = load_file(path, &cfg);
    if (o.rc)
        fail_msg("%s", o.text);
    assert_string_equal(cfg.path, path);
    assert_int_equal(cfg.n_flows, 1);
    const flow_config *f = &cfg.flows[0];
    assert_int_equal(f->dst.vm_idx, -1);
    assert_int_equal(f->dst.nic_idx, -1);
    assert_string_equal(f->to, "external");
    assert_int_equal(f->n_pkt_sizes, 3);
    assert_true(f->pkt_sizes[0].size_bytes == 64 && fabs(f->pkt_sizes[0].weight - 7.0 / 12) < 1e-15);
    assert_true(f->pkt_sizes[1].size_bytes == 594 && fabs(f->pkt_sizes[1].weight - 4.0 / 12) < 1e-15);
    assert_true(f->pkt_sizes[2].size_bytes == 1518 && fabs(f->pkt_sizes[2].weight - 1.0 / 12) < 1e-15);
    config_free(&cfg);
}

static void test_full_scenario(void **state)
{
    (void)state;
    char path[4096];
    path_in(path, sizeof path, "tests/unit/fixtures/full.yaml");
    scenario_config cfg;
    outcome o = load_file(path, &cfg);
    if (o.rc)
        fail_msg("%s", o.text);
    assert_int_equal(o.n_errors, 0);
    assert_string_equal(o.text, "");
    assert_int_equal(cfg.n_hosts, 2);
    assert_int_equal(cfg.fabric.n_racks, 2);
    assert_int_equal(cfg.hosts[1].rack_idx, 1);
    assert_int_equal(cfg.sim.seed, 7);
    assert_int_equal(cfg.sim.granularity, GRAN_BURST);
    assert_true(cfg.sim.rate_epoch_s == 1e-3);
    const adapter_config *e810 = &cfg.hosts[0].adapters[0];
    assert_int_equal(e810->pcie.lanes, 8);          /* overridden */
    assert_true(e810->pcie.mrrs_bytes == 1024);
    assert_true(e810->port_rate_bps == 100e9);      /* from the catalogue */
    assert_true(cfg.hosts[1].adapters[0].port_rate_bps == 50e9);
    const vm_config *vm1 = &cfg.vms[0];
    assert_true(vm1->dirty_rate_Bps == 100e6);
    assert_int_equal(vm1->nics[0].port, 1);
    assert_string_equal(vm1->nics[0].standby, "virtio");
    assert_string_equal(vm1->nics[0].mac, "02:00:00:00:00:01");
    assert_true(vm1->nics[0].qos.min_rate_bps == 2e9);
    assert_int_equal(vm1->nics[1].attach, ATTACH_VIRTIO);
    assert_string_equal(vm1->nics[1].backend, "vhost-user");
    assert_int_equal(vm1->nics[1].vf_idx, -1);
    assert_int_equal(cfg.vms[1].nics[0].vf_idx, 0);
    /* flow f3: weights 1:3 normalised */
    assert_true(fabs(cfg.flows[2].pkt_sizes[0].weight - 0.25) < 1e-15);
    assert_true(cfg.flows[1].size_bytes == 1e9);
    /* events sorted by time, stable for the two at 5s */
    assert_int_equal(cfg.n_events, 6);
    const event_type_t order[] = {EV_SET_QOS, EV_FLR, EV_FLR, EV_MIGRATE, EV_SET_NUM_VFS, EV_FAULT};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(cfg.events[i].type, order[i]);
    assert_int_equal(cfg.events[1].nic.vm_idx, 0);  /* flr by nic first, as written */
    assert_int_equal(cfg.events[1].vf_idx, 0);
    assert_int_equal(cfg.events[2].host_idx, 1);
    assert_int_equal(cfg.events[2].vf_idx, 3);
    assert_true(cfg.events[0].qos.max_rate_bps == 1e9 && cfg.events[0].qos.min_rate_bps < 0);
    assert_string_equal(cfg.events[5].detail, "dma_out_of_domain");
    assert_true(cfg.output.sample_interval_s == 0.05);
    config_free(&cfg);
}

/* ---- round trip ---------------------------------------------------------------------------- */

static void same_str(const char *a, const char *b)
{
    if (a || b) {
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
    }
}

static void same_adapter(const adapter_config *a, const adapter_config *b)
{
    same_str(a->name, b->name);
    same_str(a->model, b->model);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->total_vfs, b->total_vfs);
    assert_int_equal(a->num_vfs, b->num_vfs);
    assert_int_equal(a->ports, b->ports);
    assert_true(a->port_rate_bps == b->port_rate_bps);
    assert_true(a->port_latency_s == b->port_latency_s);
    assert_int_equal(a->queues_per_vf, b->queues_per_vf);
    assert_memory_equal(&a->pcie, &b->pcie, sizeof a->pcie);
    assert_true(a->eswitch_capacity_bps == b->eswitch_capacity_bps);
    assert_int_equal(a->eswitch, b->eswitch);
}

static void same_nic(const nic_config *a, const nic_config *b)
{
    same_str(a->name, b->name);
    assert_int_equal(a->attach, b->attach);
    same_str(a->adapter, b->adapter);
    assert_int_equal(a->port, b->port);
    same_str(a->backend, b->backend);
    same_str(a->standby, b->standby);
    same_str(a->mac, b->mac);
    assert_int_equal(a->vlan, b->vlan);
    assert_int_equal(a->trust, b->trust);
    assert_int_equal(a->spoofchk, b->spoofchk);
    assert_memory_equal(&a->qos, &b->qos, sizeof a->qos);
    assert_int_equal(a->adapter_idx, b->adapter_idx);
    assert_int_equal(a->vf_idx, b->vf_idx);
    assert_int_equal(a->fell_back_to_virtio, b->fell_back_to_virtio);
}

static void same_flow(const flow_config *a, const flow_config *b)
{
    same_str(a->name, b->name);
    same_str(a->from, b->from);
    same_str(a->to, b->to);
    assert_memory_equal(&a->src, &b->src, sizeof a->src);
    assert_memory_equal(&a->dst, &b->dst, sizeof a->dst);
    assert_int_equal(a->kind, b->kind);
    assert_true(a->rate_bps == b->rate_bps && a->size_bytes == b->size_bytes);
    assert_int_equal(a->n_pkt_sizes, b->n_pkt_sizes);
    for (size_t i = 0; i < a->n_pkt_sizes; i++) {
        assert_true(a->pkt_sizes[i].size_bytes == b->pkt_sizes[i].size_bytes);
        assert_true(fabs(a->pkt_sizes[i].weight - b->pkt_sizes[i].weight) < 1e-15);
    }
    assert_int_equal(a->arrivals, b->arrivals);
    assert_true(a->start_s == b->start_s && a->duration_s == b->duration_s);
}

static void same_event(const event_config *a, const event_config *b)
{
    assert_true(a->at_s == b->at_s);
    assert_int_equal(a->type, b->type);
    assert_memory_equal(&a->nic, &b->nic, sizeof a->nic);
    assert_memory_equal(&a->qos, &b->qos, sizeof a->qos);
    assert_int_equal(a->host_idx, b->host_idx);
    assert_int_equal(a->adapter_idx, b->adapter_idx);
    assert_int_equal(a->vf_idx, b->vf_idx);
    assert_int_equal(a->num_vfs, b->num_vfs);
    assert_int_equal(a->vm_idx, b->vm_idx);
    assert_int_equal(a->to_host_idx, b->to_host_idx);
    same_str(a->detail, b->detail);
}

static void same_config(const scenario_config *a, const scenario_config *b)
{
    same_str(a->name, b->name);
    assert_true(a->sim.duration_s == b->sim.duration_s);
    assert_true(a->sim.seed == b->sim.seed);
    assert_int_equal(a->sim.granularity, b->sim.granularity);
    assert_int_equal(a->sim.burst_packets, b->sim.burst_packets);
    assert_true(a->sim.rate_epoch_s == b->sim.rate_epoch_s);
    same_str(a->sim.network_model, b->sim.network_model);
    assert_int_equal(a->fabric.n_racks, b->fabric.n_racks);
    for (size_t r = 0; r < a->fabric.n_racks; r++) {
        same_str(a->fabric.racks[r].name, b->fabric.racks[r].name);
        assert_int_equal(a->fabric.racks[r].n_hosts, b->fabric.racks[r].n_hosts);
        assert_memory_equal(a->fabric.racks[r].host_idx, b->fabric.racks[r].host_idx,
                            a->fabric.racks[r].n_hosts * sizeof(int));
    }
    assert_memory_equal(&a->fabric.host_link, &b->fabric.host_link, sizeof(link_spec));
    assert_memory_equal(&a->fabric.tor_uplink, &b->fabric.tor_uplink, sizeof(link_spec));
    assert_memory_equal(&a->fabric.external, &b->fabric.external, sizeof(link_spec));
    assert_int_equal(a->fabric.spines, b->fabric.spines);
    assert_int_equal(a->n_hosts, b->n_hosts);
    for (size_t i = 0; i < a->n_hosts; i++) {
        const host_config *x = &a->hosts[i], *y = &b->hosts[i];
        same_str(x->name, y->name);
        assert_int_equal(x->cores, y->cores);
        assert_true(x->core_speed_hz == y->core_speed_hz && x->memory_bytes == y->memory_bytes);
        same_str(x->os, y->os);
        assert_memory_equal(&x->iommu, &y->iommu, sizeof x->iommu);
        assert_int_equal(x->rack_idx, y->rack_idx);
        assert_int_equal(x->n_adapters, y->n_adapters);
        for (size_t j = 0; j < x->n_adapters; j++)
            same_adapter(&x->adapters[j], &y->adapters[j]);
    }
    assert_int_equal(a->n_vms, b->n_vms);
    for (size_t i = 0; i < a->n_vms; i++) {
        const vm_config *x = &a->vms[i], *y = &b->vms[i];
        same_str(x->name, y->name);
        same_str(x->host, y->host);
        assert_int_equal(x->host_idx, y->host_idx);
        assert_int_equal(x->vcpus, y->vcpus);
        assert_true(x->memory_bytes == y->memory_bytes && x->dirty_rate_Bps == y->dirty_rate_Bps);
        assert_int_equal(x->n_nics, y->n_nics);
        for (size_t j = 0; j < x->n_nics; j++)
            same_nic(&x->nics[j], &y->nics[j]);
    }
    assert_int_equal(a->n_flows, b->n_flows);
    for (size_t i = 0; i < a->n_flows; i++)
        same_flow(&a->flows[i], &b->flows[i]);
    assert_int_equal(a->n_events, b->n_events);
    for (size_t i = 0; i < a->n_events; i++)
        same_event(&a->events[i], &b->events[i]);
    assert_int_equal(a->vf_exhausted, b->vf_exhausted);
    same_str(a->output.file, b->output.file);
    assert_true(a->output.sample_interval_s == b->output.sample_interval_s);
}

static void round_trip(const char *yaml)
{
    scenario_config first, second;
    outcome o = load_text(yaml, &first);
    if (o.rc)
        fail_msg("%s", o.text);
    char *resolved = config_to_yaml(&first);
    o = load_text(resolved, &second);
    if (o.rc)
        fail_msg("resolved text does not load:\n%s\n%s", o.text, resolved);
    same_config(&first, &second);
    free(resolved);
    config_free(&first);
    config_free(&second);
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[4096];
    path_in(path, sizeof path, "tests/unit/fixtures/full.yaml");
    char *text;
    size_t len;
    diag d;
    diag_init(&d, NULL);
    assert_int_equal(ynode_read_file(path, &text, &len, &d), 0);
    round_trip(text);
    free(text);
    round_trip(BASE);
    round_trip(BASE_HEAD "hosts:\n  - name: h1\n    adapters:\n"
               "      - { name: nic0, model: intel-x710, num_vfs: 1 }\n" BASE_VMS
               "policy: { vf_exhausted: virtio }\n"
               "output: { file: \"odd \\\"name\\\".h5\" }\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_errors),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_impossible_values),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_racks),
        cmocka_unit_test(test_vf_exhaustion),
        cmocka_unit_test(test_catalogue_errors),
        cmocka_unit_test(test_every_catalogue_model_loads),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_traffic_mapping_imix_external),
        cmocka_unit_test(test_full_scenario),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
