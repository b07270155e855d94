/* test_sweep_plan.c -- sweep files into points: grid, zip, random, seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sweep/plan.h"
#include "sweep/spec.h"

/* Writes text to a temp file and loads it; returns the load status. */
static int load(const char *text, sweep_spec *s, char *errbuf, size_t errlen)
{
    char path[] = "/tmp/sweep-plan-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    FILE *errs = tmpfile();
    diag d;
    diag_init(&d, errs);
    int rc = sweep_spec_load(path, s, &d);
    rewind(errs);
    size_t n = fread(errbuf, 1, errlen - 1, errs);
    errbuf[n] = '\0';
    fclose(errs);
    unlink(path);
    return rc;
}

static void test_grid_zip(void **state)
{
    (void)state;
    sweep_spec s;
    char err[1024];
    assert_int_equal(load("base: b.yaml\nrepetitions: 2\n"
                          "grid:\n  a: [1, 2]\n  b: [x, y, z]\n"
                          "zip:\n  c: [10, 20]\n  d: [p, q]\n",
                          &s, err, sizeof err), 0);
    assert_string_equal(s.base + strlen(s.base) - 7, "/b.yaml");
    sweep_plan p;
    sweep_plan_build(&s, 5, &p);
    assert_int_equal(p.n_columns, 4);
    assert_int_equal(p.n_sets, 12);
    assert_int_equal(p.n_points, 24);
    /* set 0: a=1 b=x c=10 d=p; reps adjacent with seeds 5, 6 */
    assert_string_equal(p.points[0].labels[0], "1");
    assert_string_equal(p.points[1].labels[3], "p");
    assert_int_equal(p.points[1].seed, 6);
    assert_int_equal(p.points[1].rep, 1);
    /* set 1: zip advances first (innermost), together */
    assert_string_equal(p.points[2].labels[2], "20");
    assert_string_equal(p.points[2].labels[3], "q");
    /* set 2: b advances (last grid key fastest) */
    assert_string_equal(p.points[4].labels[1], "y");
    assert_string_equal(p.points[4].labels[0], "1");
    /* last set: a=2 b=z c=20 d=q */
    assert_string_equal(p.points[23].labels[0], "2");
    assert_string_equal(p.points[23].labels[1], "z");
    assert_string_equal(p.points[23].labels[2], "20");
    sweep_plan_free(&p);
    sweep_spec_free(&s);
}

static void test_random(void **state)
{
    (void)state;
    sweep_spec s;
    char err[1024];
    const char *text = "base: b.yaml\nrandom:\n  samples: 50\n  seed: 7\n  params:\n"
                       "    r: { uniform: [1Gbps, 40Gbps] }\n    n: { uniform: [4, 8] }\n"
                       "    c: { choice: [lo, hi] }\n    l: { log_uniform: [1us, 1ms] }\n";
    assert_int_equal(load(text, &s, err, sizeof err), 0);
    sweep_plan p, q;
    sweep_plan_build(&s, 1, &p);
    sweep_plan_build(&s, 1, &q);
    assert_int_equal(p.n_points, 50);
    for (size_t i = 0; i < p.n_points; i++) {
        double rate;
        char e[64];
        assert_int_equal(units_parse_rate(p.points[i].labels[0], &rate, e, sizeof e), 0);
        assert_true(rate >= 1e9 && rate <= 40e9);
        long n = strtol(p.points[i].labels[1], NULL, 10);
        assert_true(n >= 4 && n <= 8);
        assert_true(!strcmp(p.points[i].labels[2], "lo") || !strcmp(p.points[i].labels[2], "hi"));
        double t;
        assert_int_equal(units_parse_time(p.points[i].labels[3], &t, e, sizeof e), 0);
        assert_true(t >= 1e-6 * 0.999 && t <= 1e-3 * 1.001);
        /* the same seed gives the same samples */
        for (size_t c = 0; c < 4; c++)
            assert_string_equal(p.points[i].labels[c], q.points[i].labels[c]);
    }
    sweep_plan_free(&q);
    sweep_plan_free(&p);
    sweep_spec_free(&s);
}

static void test_errors(void **state)
{
    (void)state;
    sweep_spec s;
    char err[1024];
    assert_int_equal(load("grid: { a: [1] }\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "missing 'base'"));
    assert_int_equal(load("base: b.yaml\nzip: { a: [1, 2], b: [1] }\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:"));
    assert_non_null(strstr(err, "'b' has 1 values but 'a' has 2"));
    assert_int_equal(load("base: b.yaml\ngrid: { 'a..b': [1] }\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad parameter path"));
    assert_int_equal(load("base: b.yaml\nrandom: { samples: 2, params: { a: { uniform: [1Gbps, 4KiB] } } }\n",
                          &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "different units"));
    assert_int_equal(load("base: b.yaml\ngird: { a: [1] }\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "grid"));
    assert_int_equal(load("base: b.yaml\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "varies nothing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_zip),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
