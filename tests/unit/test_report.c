/* test_report.c -- report_write on files made by h5_write_results: data
 * exports, real gnuplot figures, index.md, and its failures. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics/results.h"
#include "migration/mig_results.h"
#include "output/h5.h"
#include "report/report.h"

/* ---- fixture: 2 flows, 3 VFs, 4 links, 5 samples, 2 events ------------ */

static char *xdup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static series make_series(size_t rows, size_t cols, double scale)
{
    size_t n = rows * cols;
    series s = {cols, calloc(n ? n : 1, sizeof(double))};
    assert_non_null(s.values);
    for (size_t t = 0; t < rows; t++)
        for (size_t c = 0; c < cols; c++)
            s.values[t * cols + c] = scale * (double)(t + 10 * c);
    return s;
}

static void make_results(run_results *r)
{
    static const char *flow_names[] = {"f1", "web front"};
    static const char *link_names[] = {"h1.nic0.pcie_UP", "h1.nic0.pcie_DOWN",
                                       "h1.nic0.port0_UP", "tor_r1_UP"};
    memset(r, 0, sizeof(*r));
    r->meta = (run_meta){.tool_version = xdup("0.1.0"),
                         .simgrid_version = xdup("3.32"), .scenario_name = xdup("quickstart"),
                         .scenario_text = xdup("name: quickstart\n"),
                         .resolved_text = xdup("name: quickstart\n"), .granularity = xdup("flow"),
                         .seed = 1, .duration_s = 10.0, .wall_time_s = 0.25,
                         .peak_active_flows = 2, .peak_solver_flows = 2};
    r->n_flows = 2;
    r->flows = calloc(2, sizeof(flow_result));
    for (size_t i = 0; i < 2; i++)
        r->flows[i] = (flow_result){xdup(flow_names[i]), xdup("inelastic"),
                                    xdup("vm1.eth0"), xdup("vm2.eth0"),
                                    2e9 * (double)(i + 1), 1.5e9 * (double)(i + 1),
                                    0.5e9 * (double)(i + 1), 1000000, 750000, NAN, 0, 10,
                                    NAN, 1e-5, 1e-5, 2e-5, 3e-5};
    r->n_vfs = 3;
    r->vfs = calloc(3, sizeof(vf_result));
    for (int i = 0; i < 3; i++)
        r->vfs[i] = (vf_result){xdup("h1"), xdup("nic0"), i, xdup("0000:3b:02.0"),
                                xdup("vm1"), xdup("eth0"), 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
                                0, 0, 0, 0, 0, 0, NAN, NAN, NAN, NAN};
    r->n_links = 4;
    r->links = calloc(4, sizeof(link_result));
    for (size_t i = 0; i < 4; i++)
        r->links[i] = (link_result){xdup(link_names[i]), xdup("pcie_up"), 25e9, 25e9,
                                    0.1, 0.2, 1e9};
    r->n_samples = 5;
    r->time_s = calloc(5, sizeof(double));
    for (size_t t = 0; t < 5; t++)
        r->time_s[t] = 0.1 * (double)(t + 1);
    r->flow_throughput_bps = make_series(5, 2, 1e9);
    r->vf_throughput_bps = make_series(5, 3, 1e9);
    r->link_utilisation = make_series(5, 4, 0.02);
    r->n_events = 2;
    r->events = calloc(2, sizeof(event_record));
    for (size_t i = 0; i < 2; i++)
        r->events[i] = (event_record){(double)i, xdup("h1"), xdup("nic0"), -1,
                                      xdup("vf_enable"), xdup("")};
}

/* ---- helpers --------------------------------------------------------------- */

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
            rm_rf(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Whole file, NUL-terminated; *n = size. Caller frees. */
static char *slurp(const char *dir, const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("missing %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = calloc(*n + 1, 1);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static int exists(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

typedef struct fixture {
    char dir[64];
    char h5[128];
    char out[128];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_report.XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->h5, sizeof(fx->h5), "%s/run.h5", fx->dir);
    snprintf(fx->out, sizeof(fx->out), "%s/report", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rm_rf(fx->dir);
    free(fx);
    return 0;
}

static void write_results(const char *path, run_results *r)
{
    char err[256] = "";
    if (h5_write_results(r, path, err, sizeof(err)) != 0)
        fail_msg("h5_write_results: %s", err);
    results_free(r);
}

/* ---- tests ---------------------------------------------------------------------- */

static void check_png(const char *dir, const char *name)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t n;
    char *b = slurp(dir, name, &n);
    assert_true(n > sizeof(sig));
    assert_memory_equal(b, sig, sizeof(sig));
    free(b);
}

static void check_svg(const char *dir, const char *name)
{
    size_t n;
    char *b = slurp(dir, name, &n);
    assert_true(n > 0);
    assert_non_null(strstr(b, "<svg"));
    free(b);
}

static void check_contains(const char *dir, const char *name, const char *what)
{
    size_t n;
    char *b = slurp(dir, name, &n);
    if (strstr(b, what) == NULL)
        fail_msg("%s lacks \"%s\":\n%s", name, what, b);
    free(b);
}

static void test_figures(void **state)
{
    fixture *fx = *state;
    run_results r;
    make_results(&r);
    write_results(fx->h5, &r);
    char err[512] = "";
    if (report_write(fx->h5, fx->out, err, sizeof(err)) != 0)
        fail_msg("report_write: %s", err);

    static const char *figs[] = {"flow_throughput", "link_utilisation",
                                 "flow_delivery"};
    for (size_t i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.png", figs[i]);
        check_png(fx->out, name);
        snprintf(name, sizeof(name), "%s.svg", figs[i]);
        check_svg(fx->out, name);
        check_contains(fx->out, "index.md", name);
    }
    /* Column names survive as single tokens; units reach the axes. */
    check_contains(fx->out, "flow_throughput.dat", "\ntime_s f1 web_front\n");
    check_contains(fx->out, "flow_throughput.svg", "Gbit/s");
    check_contains(fx->out, "flow_throughput.svg", "web_front");
    check_contains(fx->out, "flow_delivery.dat", "\nweb_front 4000000000 3000000000 0\n");
    /* Links ordered by peak utilisation, highest first. */
    check_contains(fx->out, "link_utilisation.dat",
                   "\ntime_s tor_r1_UP h1.nic0.port0_UP h1.nic0.pcie_DOWN "
                   "h1.nic0.pcie_UP\n");
    check_contains(fx->out, "index.md", "# sriov-sim report: quickstart");
    check_contains(fx->out, "index.md", "gnuplot -e");
    /* Every fixture link is of kind pcie_up; no CPU series, no migration. */
    check_png(fx->out, "pcie_utilisation.png");
    check_contains(fx->out, "pcie_utilisation.dat",
                   "\ntime_s tor_r1_UP h1.nic0.port0_UP h1.nic0.pcie_DOWN "
                   "h1.nic0.pcie_UP\n");
    check_contains(fx->out, "index.md", "## Host CPU utilisation (software datapath)\n\n"
                                        "Not drawn: ");
    check_contains(fx->out, "index.md", "## Live-migration timeline\n\nNot drawn: ");
    assert_false(exists(fx->out, "migration_timeline.png"));
    assert_false(exists(fx->out, "host_cpu_utilisation.png"));
}

/* A migration still in pre-copy when the run ends (end times unset, 0):
 * pre-copy shaded up to the last sample, nothing after it; no VF, so no
 * unplug phase. Host CPU series drawn in %. */
static void test_unfinished_migration(void **state)
{
    fixture *fx = *state;
    run_results r;
    make_results(&r);
    migration_result *mig = results_table_add(&r.reg, &migration_results_schema, 1);
    assert_non_null(mig);
    *mig = (migration_result){xdup("vm1"), xdup("h1"), xdup("h2"), 0.2, 0.2,
                              0, 0, 0, NAN, 1e9, 1, 0, 0, 0, 0};
    results_series *cpu = results_series_add(&r.reg, "host_cpu_utilisation", "1", 5, 2);
    assert_non_null(cpu);
    cpu->columns[0] = xdup("h1");
    cpu->columns[1] = xdup("h2");
    series s = make_series(5, 2, 0.01);
    memcpy(cpu->values, s.values, 5 * 2 * sizeof(double));
    free(s.values);
    write_results(fx->h5, &r);
    char err[512] = "";
    if (report_write(fx->h5, fx->out, err, sizeof(err)) != 0)
        fail_msg("report_write: %s", err);
    check_contains(fx->out, "migration_phases.dat", "\nvm1 h1 h2 precopy 0.2 0.5\n");
    size_t n;
    char *b = slurp(fx->out, "migration_phases.dat", &n);
    assert_null(strstr(b, "h2 stopcopy"));
    assert_null(strstr(b, "h2 vf_unplug"));
    free(b);
    check_png(fx->out, "migration_timeline.png");
    check_svg(fx->out, "migration_timeline.svg");
    check_contains(fx->out, "migration_timeline.svg", "pre-copy (VM running)");
    check_contains(fx->out, "host_cpu_utilisation.dat", "\ntime_s h2 h1\n");
    check_png(fx->out, "host_cpu_utilisation.png");
    check_contains(fx->out, "host_cpu_utilisation.svg", "% of the host");
}

static void test_empty_results(void **state)
{
    fixture *fx = *state;
    run_results r;
    memset(&r, 0, sizeof(r));
    r.meta.scenario_name = xdup("empty");
    write_results(fx->h5, &r);
    char err[512] = "";
    if (report_write(fx->h5, fx->out, err, sizeof(err)) != 0)
        fail_msg("report_write: %s", err);
    check_contains(fx->out, "index.md", "Not drawn");
    assert_false(exists(fx->out, "flow_throughput.png"));
    assert_false(exists(fx->out, "flow_delivery.png"));
}

static void test_gnuplot_missing(void **state)
{
    fixture *fx = *state;
    run_results r;
    make_results(&r);
    write_results(fx->h5, &r);
    char *saved = strdup(getenv("PATH") ? getenv("PATH") : "");
    setenv("PATH", fx->dir, 1);         /* a directory without gnuplot */
    char err[512] = "";
    int rc = report_write(fx->h5, fx->out, err, sizeof(err));
    setenv("PATH", saved, 1);
    free(saved);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, "gnuplot not found"));
}

static void test_not_hdf5(void **state)
{
    fixture *fx = *state;
    FILE *f = fopen(fx->h5, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    char err[512] = "";
    assert_int_not_equal(report_write(fx->h5, fx->out, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "cannot open"));
    assert_int_not_equal(report_write("/nonexistent/x.h5", fx->out, err,
                                      sizeof(err)), 0);
}

static void test_templates_missing(void **state)
{
    fixture *fx = *state;
    run_results r;
    make_results(&r);
    write_results(fx->h5, &r);
    setenv("SRIOV_SCRIPTS_DIR", "/nonexistent/templates", 1);
    char err[512] = "";
    int rc = report_write(fx->h5, fx->out, err, sizeof(err));
    unsetenv("SRIOV_SCRIPTS_DIR");
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, "SRIOV_SCRIPTS_DIR"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unfinished_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gnuplot_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_hdf5, setup, teardown),
        cmocka_unit_test_setup_teardown(test_templates_missing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
