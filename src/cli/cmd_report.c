/* cmd_report.c -- `sriov-sim report RESULTS.h5 -o DIR`: gnuplot figures;
 * `report --topology RESULTS.h5`: the platform picture (Graphviz). */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/textesc.h"

static const char report_usage[] =
    "usage: sriov-sim report RESULTS.h5 [-o DIR]\n"
    "       sriov-sim report SWEEP_DIR [-o DIR] [--x PARAM] [--series PARAM[,PARAM...]]\n"
    "       sriov-sim report A.h5 B.h5 [C.h5 ...] [-o DIR]\n"
    "       sriov-sim report --topology RESULTS.h5 [-o DIR] [--models DIR]\n"
    "\n"
    "Draws the figures of a results file, or of a sweep directory made by\n"
    "`sriov-sim sweep` (metrics vs the swept parameters), with gnuplot (PNG\n"
    "and SVG) and an index.md listing them. Default DIR: next to the results\n"
    "file (DIR/x.h5 -> DIR/x-report), or SWEEP_DIR/report. Templates:\n"
    "scripts/report/*.gp "
    "(or $SRIOV_SCRIPTS_DIR); docs/reports.md.\n"
    "  --x PARAM            sweep: the parameter on the x axis (default: the first)\n"
    "  --series PARAMS      sweep: the parameters whose combinations are the lines\n"
    "                       (default: every other one that varies; the rest are averaged)\n"
    "With 2 to 8 results files: one series per run in every figure and a\n"
    "table of differences against the first (default DIR: A-compare next\n"
    "to the first file).\n"
    "With --topology: the platform of the results file (racks, hosts, adapters,\n"
    "ports, VFs, VMs, ToR and spine links) coloured by link utilisation, drawn\n"
    "by Graphviz dot: DIR/topology.{dot,png,svg,md}. Without dot on PATH the\n"
    "DOT file is written and the exit status is 1.\n"
    "  --models DIR         --topology: the model files the run used\n";

static int report_compare_files(char *const *files, size_t n, const char *out_dir)
{
    char dflt[4096], err[512];
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (access(files[i], R_OK) != 0 || stat(files[i], &st) != 0 || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "sriov-sim report: cannot read %s as a results file (a comparison "
                    "takes results files, not sweep directories)\n", files[i]);
            return EXIT_BAD_INPUT;
        }
    }
    if (!out_dir) {
        size_t len = strlen(files[0]);
        if (len > 3 && strcmp(files[0] + len - 3, ".h5") == 0)
            len -= 3;
        snprintf(dflt, sizeof dflt, "%.*s-compare", (int)(len < 4000 ? len : 4000), files[0]);
        out_dir = dflt;
    }
    if (report_compare(files, n, out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "sriov-sim report: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    printf("report: %s/index.md\n", out_dir);
    return EXIT_OK;
}

static int report_sweep_dir(const char *dir, const char *out_dir, const report_sweep_opts *so)
{
    char dflt[4096], err[512];
    if (!out_dir) {
        snprintf(dflt, sizeof dflt, "%s/report", dir);
        out_dir = dflt;
    }
    int rc = report_write_sweep(dir, out_dir, so, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "sriov-sim report: %s\n", err);
        return rc == -2 ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    printf("report: %s/index.md\n", out_dir);
    return EXIT_OK;
}

/* results/x.h5 -> results/x-report (into dflt, 4096 bytes). */
static const char *default_report_dir(const char *h5, char *dflt, size_t size)
{
    snprintf(dflt, size, "%.*s-report", (int)(size - 8), h5);
    size_t n = strlen(dflt);
    if (n > 10 && strcmp(dflt + n - 10, ".h5-report") == 0)
        snprintf(dflt + n - 10, size - (n - 10), "-report");
    return dflt;
}

/* `report --topology RESULTS.h5`: exit 1 also when dot is missing (the
 * DOT file is written; the message says how to draw it). */
static int report_topology_file(char *const *files, size_t n, const char *out_dir,
                                const char *models, bool topology, const report_sweep_opts *so)
{
    if (!topology || n != 1 || so->x || so->series) {
        fprintf(stderr, "sriov-sim report: %s\n%s",
                !topology ? "--models applies to --topology"
                : n != 1  ? "--topology takes exactly one results file"
                          : "--x and --series apply to a sweep directory",
                report_usage);
        return EXIT_BAD_INPUT;
    }
    struct stat st;
    if (access(files[0], R_OK) != 0 || stat(files[0], &st) != 0 || !S_ISREG(st.st_mode)) {
        fputs("sriov-sim report: cannot read ", stderr);
        text_put_escaped(stderr, files[0]);
        fputs(" as a results file\n", stderr);
        return EXIT_BAD_INPUT;
    }
    char dflt[4096], err[1024];
    if (!out_dir)
        out_dir = default_report_dir(files[0], dflt, sizeof dflt);
    if (report_topology(files[0], out_dir, models, err, sizeof err) != 0) {
        fputs("sriov-sim report: ", stderr);
        text_put_escaped(stderr, err);
        fputc('\n', stderr);
        return EXIT_RUN_FAILED;
    }
    printf("topology: %s/topology.png\n", out_dir);
    return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"x", required_argument, NULL, 'x'},
                                         {"series", required_argument, NULL, 's'},
                                         {"topology", no_argument, NULL, 'T'},
                                         {"models", required_argument, NULL, 'M'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    const char *out_dir = NULL;
    report_sweep_opts so = {NULL, NULL};
    const char *models = NULL;
    bool topology = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': out_dir = optarg; break;
        case 'x': so.x = optarg; break;
        case 's': so.series = optarg; break;
        case 'T': topology = true; break;
        case 'M': models = optarg; break;
        case 'h': fputs(report_usage, stdout); return EXIT_OK;
        case 'V': printf("sriov-sim %s\n", SRIOV_VERSION); return EXIT_OK;
        default: fputs(report_usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    size_t n_files = (size_t)(argc - optind);
    if (topology || models)
        return report_topology_file(argv + optind, n_files, out_dir, models, topology, &so);
    if (n_files > REPORT_MAX_COMPARE) {
        fprintf(stderr, "sriov-sim report: at most %d results files can be compared, not %zu\n",
                REPORT_MAX_COMPARE, n_files);
        return EXIT_BAD_INPUT;
    }
    if (n_files >= 2 && (so.x || so.series)) {
        fprintf(stderr, "sriov-sim report: --x and --series apply to a sweep directory\n");
        return EXIT_BAD_INPUT;
    }
    if (n_files >= 2)
        return report_compare_files(argv + optind, n_files, out_dir);
    if (n_files != 1) {
        fprintf(stderr, "sriov-sim report: expected a results file or a sweep directory\n%s",
                report_usage);
        return EXIT_BAD_INPUT;
    }
    const char *h5 = argv[optind];
    if (access(h5, R_OK) != 0) {
        fprintf(stderr, "sriov-sim report: cannot read %s\n", h5);
        return EXIT_BAD_INPUT;
    }
    char dflt[4096];
    struct stat st;
    if (stat(h5, &st) == 0 && S_ISDIR(st.st_mode))
        return report_sweep_dir(h5, out_dir, &so);
    if (so.x || so.series) {
        fprintf(stderr, "sriov-sim report: --x and --series apply to a sweep directory\n");
        return EXIT_BAD_INPUT;
    }
    if (!out_dir)
        out_dir = default_report_dir(h5, dflt, sizeof dflt);
    char err[512];
    if (report_write(h5, out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "sriov-sim report: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    printf("report: %s/index.md\n", out_dir);
    return EXIT_OK;
}
