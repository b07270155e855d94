/* test_sweep_path.c -- sweep paths: parsing, editing the YAML tree, emitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sweep/emit.h"
#include "sweep/path.h"

static void parse_doc(const char *text, ynode_doc *doc)
{
    diag d;
    diag_init(&d, stderr);
    assert_int_equal(ynode_parse(text, strlen(text), "t.yaml", doc, &d), 0);
}

static void test_parse(void **state)
{
    (void)state;
    sweep_path p;
    char err[256];
    assert_int_equal(sweep_path_parse("hosts[0].adapters[12].num_vfs", &p, err, sizeof err), 0);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.segs[0].kind, SEG_KEY);
    assert_string_equal(p.segs[0].key, "hosts");
    assert_int_equal(p.segs[3].kind, SEG_INDEX);
    assert_int_equal(p.segs[3].index, 12);
    sweep_path_free(&p);
    assert_int_equal(sweep_path_parse("traffic.flows[*].rate", &p, err, sizeof err), 0);
    assert_int_equal(p.segs[2].kind, SEG_ALL);
    sweep_path_free(&p);
    const char *bad[] = {"", "a..b", "a.", "a[", "a[x]", "a[1]b", ".a", "a[-1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sweep_path_parse(bad[i], &p, err, sizeof err), -1);
        assert_non_null(strstr(err, "bad parameter path"));
    }
}

static int set(ynode_doc *doc, const char *path, const char *value, char *err)
{
    sweep_path p;
    assert_int_equal(sweep_path_parse(path, &p, err, 256), 0);
    ynode *v = sweep_node_scalar(value, true, NULL);
    int n = sweep_path_set(&doc->root, &p, v, err, 256);
    sweep_node_free(v);
    sweep_path_free(&p);
    return n;
}

static void test_set_and_emit(void **state)
{
    (void)state;
    ynode_doc doc;
    char err[256];
    parse_doc("name: x\nsimulation: { duration: 1s }\nmac: \"02:00\"\n"
              "traffic:\n  - { name: a, rate: 1Gbps }\n  - { name: b, rate: 2Gbps }\n",
              &doc);
    assert_int_equal(set(&doc, "traffic[1].rate", "5Gbps", err), 1);
    assert_int_equal(set(&doc, "traffic[*].packet_size", "9000B", err), 2);
    assert_int_equal(set(&doc, "simulation.seed", "7", err), 1);
    assert_int_equal(set(&doc, "policy.vf_exhausted", "virtio", err), 1);
    assert_int_equal(set(&doc, "traffic[2].rate", "1Gbps", err), -1);
    assert_non_null(strstr(err, "traffic[2]: index out of range, the list has 2 items"));
    assert_int_equal(set(&doc, "name.x", "1", err), -1);
    assert_non_null(strstr(err, "expected a mapping"));
    char *text = sweep_emit_yaml(doc.root, "# head\n");
    assert_non_null(text);
    assert_non_null(strstr(text, "# head\nname: x\n"));
    assert_non_null(strstr(text, "rate: 5Gbps"));
    assert_non_null(strstr(text, "seed: 7"));
    assert_non_null(strstr(text, "vf_exhausted: virtio"));
    assert_non_null(strstr(text, "mac: \"02:00\""));
    /* The emitted text parses back to the same values. */
    ynode_doc again;
    parse_doc(text, &again);
    sweep_path p;
    sweep_path_parse("traffic[0].packet_size", &p, err, sizeof err);
    assert_string_equal(sweep_path_get(again.root, &p)->text, "9000B");
    sweep_path_free(&p);
    ynode_doc_free(&again);
    free(text);
    ynode_doc_free(&doc);
}

static void test_label(void **state)
{
    (void)state;
    ynode_doc doc;
    parse_doc("v: { max_rate: 10Gbps, burst: [1, 2] }\n", &doc);
    char *l = sweep_node_label(ynode_get(doc.root, "v"));
    assert_string_equal(l, "{max_rate: 10Gbps, burst: [1, 2]}");
    free(l);
    ynode_doc_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_set_and_emit),
        cmocka_unit_test(test_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
