/* cmd_sweep.c -- `sriov-sim sweep SWEEP.yaml`: run a parameter sweep. */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenario/load.h"
#include "sweep/sweep.h"

static const char sweep_usage[] =
    "usage: sriov-sim sweep SWEEP.yaml [-j N] [-o DIR] [--emit slurm|jobs]\n"
    "                       [--dry-run] [--collect] [--models DIR]\n"
    "\n"
    "Runs every point of a parameter sweep (grid, zip, random samples,\n"
    "repetitions) as its own process and records them in DIR/index.tsv and\n"
    "DIR/summary.h5. Running it again resumes: points already done are kept.\n"
    "  -j, --jobs N         points run at once (default 1)\n"
    "  -o, --output DIR     sweep directory (default: output: of the sweep file)\n"
    "  --emit slurm         write DIR/sweep.slurm (a job array) instead of running\n"
    "  --emit jobs          write DIR/jobs.txt (one command per line, GNU parallel)\n"
    "  --collect            record results produced by --emit runs\n"
    "  --dry-run            write the point scenarios and list the points\n"
    "  --models DIR         model files (default: $SRIOV_MODELS_DIR or models/)\n"
    "Format: docs/sweeps.md. Exit status: 0 all points ok, 1 a point failed or\n"
    "the sweep was interrupted, 2 bad input.\n";

/* The one global of the command: set by SIGINT/SIGTERM, polled by the runner. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;    /* no SA_RESTART: waitpid must return on a signal */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int parse_jobs(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < 1 || v > 1024)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_emit(const char *s, sweep_mode *mode)
{
    if (strcmp(s, "slurm") == 0)
        *mode = SWEEP_EMIT_SLURM;
    else if (strcmp(s, "jobs") == 0)
        *mode = SWEEP_EMIT_JOBS;
    else
        return -1;
    return 0;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, sweep_opts *o, const char **models)
{
    static const struct option opts[] = {
        {"jobs", required_argument, NULL, 'j'},  {"output", required_argument, NULL, 'o'},
        {"emit", required_argument, NULL, 'e'},  {"dry-run", no_argument, NULL, 'n'},
        {"collect", no_argument, NULL, 'c'},     {"models", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "j:o:hV", opts, NULL)) != -1) {
        switch (ch) {
        case 'j':
            if (parse_jobs(optarg, &o->jobs) != 0) {
                fprintf(stderr, "sriov-sim sweep: -j takes 1..1024, got '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        case 'o': o->out_dir = optarg; break;
        case 'e':
            if (parse_emit(optarg, &o->mode) != 0) {
                fprintf(stderr, "sriov-sim sweep: --emit takes slurm or jobs, got '%s'\n", optarg);
                return EXIT_BAD_INPUT;
            }
            break;
        case 'n': o->mode = SWEEP_DRY_RUN; break;
        case 'c': o->mode = SWEEP_COLLECT; break;
        case 'm': *models = optarg; break;
        case 'h': fputs(sweep_usage, stdout); return EXIT_OK;
        case 'V': printf("sriov-sim %s\n", SRIOV_VERSION); return EXIT_OK;
        default: fputs(sweep_usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "sriov-sim sweep: expected exactly one sweep file\n%s", sweep_usage);
        return EXIT_BAD_INPUT;
    }
    return -1;
}

/* dir as an absolute path (workers may run elsewhere). */
static char *absolute(const char *dir)
{
    if (dir[0] == '/')
        return strdup(dir);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return NULL;
    size_t n = strlen(cwd) + strlen(dir) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", cwd, dir);
    return out;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_opts o = {.mode = SWEEP_RUN, .jobs = 1, .stop = &stop_requested};
    const char *models_flag = NULL;
    int rc = parse_args(argc, argv, &o, &models_flag);
    if (rc >= 0)
        return rc;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *models = absolute(scenario_models_dir(models_flag));
    if (n <= 0 || models == NULL) {
        fprintf(stderr, "sriov-sim sweep: cannot find its own executable\n");
        free(models);
        return EXIT_RUN_FAILED;
    }
    exe[n] = '\0';
    o.exe = exe;
    o.models = models;
    o.progress = isatty(2);
    install_handlers();
    diag d;
    diag_init(&d, stderr);
    rc = sweep_execute(argv[optind], &o, &d);
    free(models);
    return rc;
}
