/* test_models.c -- the model registry (src/sim/models.h): each listed
 * model's opaque state, the hook loops (order, packet-granularity
 * exclusion of the models that need live capacities, the refusal message),
 * the add_pairs hook, and the CLI's list (src/cli/model_list.c). No
 * SimGrid run: the loops are driven on a bare sim_ctx with fake models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/model_list.h"
#include "sim/models.h"

static char calls[16];          /* the hooks called, one letter each */
static size_t n_calls;

static void note(char ch)
{
    if (n_calls + 1 < sizeof calls)
        calls[n_calls++] = ch;
    calls[n_calls] = '\0';
}

static int a_init(sim_ctx *c);
static int b_init(sim_ctx *c);
static void a_fini(sim_ctx *c) { (void)c; note('a'); }
static void b_fini(sim_ctx *c) { (void)c; note('b'); }
static int b_supports(event_type_t t) { return t == EV_MIGRATE; }
static int b_handle(sim_ctx *c, const event_config *ev)
{
    (void)c;
    (void)ev;
    note('H');
    return 0;
}
static int b_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                       size_t *cap)
{
    (void)cfg;
    (void)t;
    (void)cap;
    (*pairs)[(*n)++] = (ep_pair){7, 9};
    return 0;
}

static const sim_model_ops model_a = {.name = "a", .init = a_init, .fini = a_fini};
static const sim_model_ops model_b = {.name = "b", .needs_live_capacities = true,
                                      .add_pairs = b_add_pairs, .init = b_init,
                                      .supports_event = b_supports, .handle_event = b_handle,
                                      .fini = b_fini};
static const sim_model_ops unlisted = {.name = "unlisted"};
static const sim_model_ops *const two[] = {&model_a, &model_b};
static const sim_model_list list = {two, 2};
static int state_a, state_b;

static int a_init(sim_ctx *c)
{
    note('A');
    sim_set_model_state(c, &model_a, &state_a);
    return 0;
}

static int b_init(sim_ctx *c)
{
    note('B');
    sim_set_model_state(c, &model_b, &state_b);
    return 0;
}

typedef struct fixture {
    scenario_config cfg;
    void *state[2];
    sim_ctx c;
} fixture;

static void setup_ctx(fixture *x, granularity_t g)
{
    memset(x, 0, sizeof *x);
    x->cfg.sim.granularity = g;
    static char path[] = "s.yaml";
    x->cfg.path = path;
    x->c.cfg = &x->cfg;
    x->c.models = &list;
    x->c.model_state = x->state;
    n_calls = 0;
    calls[0] = '\0';
}

static void test_state_per_model(void **st)
{
    (void)st;
    fixture x;
    setup_ctx(&x, GRAN_FLOW);
    assert_null(sim_model_state(&x.c, &model_a));
    assert_int_equal(models_init(&x.c), 0);
    assert_string_equal(calls, "AB");
    assert_ptr_equal(sim_model_state(&x.c, &model_a), &state_a);
    assert_ptr_equal(sim_model_state(&x.c, &model_b), &state_b);
    sim_set_model_state(&x.c, &unlisted, &state_a);     /* ignored */
    assert_null(sim_model_state(&x.c, &unlisted));
    models_fini(&x.c);
    assert_string_equal(calls, "ABba");                 /* fini in reverse */
}

/* At packet granularity a model needing live capacities stays out, and
 * an event it plays is refused with the scenario position. */
static void test_packet_leaves_live_models_out(void **st)
{
    (void)st;
    fixture x;
    setup_ctx(&x, GRAN_PACKET);
    assert_int_equal(models_init(&x.c), 0);
    assert_null(sim_model_state(&x.c, &model_b));
    event_config ev = {.type = EV_MIGRATE, .mark = {"s.yaml", 12, 5}};
    assert_int_equal(models_handle_event(&x.c, &ev), -1);
    assert_string_equal(x.c.error, "s.yaml:12:5: event 'migrate' is not modelled at packet "
                                   "granularity; use flow or burst");
    models_fini(&x.c);
    assert_string_equal(calls, "Aa");
}

static void test_events_and_pairs(void **st)
{
    (void)st;
    fixture x;
    setup_ctx(&x, GRAN_BURST);
    assert_int_equal(models_supports_event(&list, EV_MIGRATE), 1);
    assert_int_equal(models_supports_event(&list, EV_FLR), 0);
    event_config ev = {.type = EV_MIGRATE};
    assert_int_equal(models_handle_event(&x.c, &ev), 0);
    assert_string_equal(calls, "H");
    ep_pair *pairs = calloc(4, sizeof *pairs);
    size_t n = 1, cap = 4;
    assert_non_null(pairs);
    assert_int_equal(models_collect_pairs(&list, &x.cfg, NULL, &pairs, &n, &cap), 0);
    assert_int_equal(n, 2);
    assert_int_equal(pairs[1].src, 7);
    assert_int_equal(pairs[1].dst, 9);
    free(pairs);
}

/* The CLI's list: every model named once; exactly the datapath, adapter
 * total, virtio and migration models need live capacities
 * (docs/granularity.md). */
static void test_cli_list(void **st)
{
    (void)st;
    size_t live = 0;
    assert_int_equal(cli_models.n, 9); /* ... + gpu */
    for (size_t i = 0; i < cli_models.n; i++) {
        const sim_model_ops *m = cli_models.ops[i];
        assert_non_null(m->name);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m->name, cli_models.ops[j]->name);
        if (m->needs_live_capacities) {
            live++;
            assert_true(!strcmp(m->name, "pcie-iommu-datapath") ||
                        !strcmp(m->name, "adapter-total") ||
                        !strcmp(m->name, "virtio-datapath") || !strcmp(m->name, "migration"));
        }
    }
    assert_int_equal(live, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_per_model),
        cmocka_unit_test(test_packet_leaves_live_models_out),
        cmocka_unit_test(test_events_and_pairs),
        cmocka_unit_test(test_cli_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
