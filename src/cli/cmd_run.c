/* cmd_run.c -- `sriov-sim run SCENARIO.yaml`: load, simulate, write HDF5. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/memfit.h"
#include "cli/model_list.h"
#include "cli/pflog.h"
#include "cli/provenance.h"
#include "cli/signals.h"
#include "output/h5.h"
#include "platform/packet.h"
#include "scenario/load.h"
#include "scenario/resolved.h"
#include "sim/run.h"
#include "util/wallclock.h"

#define RUN_MAX_CFG 64

typedef struct run_args {
    const char *scenario;
    const char *output;
    const char *dump_platform;
    const char *models;
    const char *cfg[RUN_MAX_CFG];
    size_t n_cfg;
    int quiet;
    int log;                    /* --log: print the PF log (dmesg form) */
    int have_seed;
    unsigned long long seed;
    char *command_line;         /* as run, for /meta (before getopt reorders argv) */
} run_args;

static const char run_usage[] =
    "usage: sriov-sim run SCENARIO.yaml [-o RESULTS.h5] [--seed N] [--cfg KEY:VALUE]...\n"
    "                     [--dump-platform FILE] [--models DIR] [--quiet] [--log]\n"
    "\n"
    "Simulates the scenario and writes its results (HDF5) atomically.\n"
    "  -o, --output FILE      results file (default: output.file of the scenario,\n"
    "                         else results/<name>.h5)\n"
    "  --seed N               override simulation.seed\n"
    "  --cfg KEY:VALUE        pass a setting to SimGrid (e.g. network/optim:Lazy)\n"
    "  --help-cfg             list the settings --cfg accepts (SimGrid's) and exit\n"
    "  --dump-platform FILE   also write the generated SimGrid platform (XML)\n"
    "  --models DIR           model files (default: $SRIOV_MODELS_DIR or models/)\n"
    "  -q, --quiet            no progress line, no summary\n"
    "  --log                  print the PF log (/events) like dmesg at the end\n"
    "Exit status: 0 success, 1 failure during the run, 2 bad input.\n";

static int parse_seed(const char *s, unsigned long long *out)
{
    char *end;
    if (!*s || *s == '-')
        return -1;
    *out = strtoull(s, &end, 10);
    return *end ? -1 : 0;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, run_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"seed", required_argument, NULL, 's'},
        {"cfg", required_argument, NULL, 'c'},    {"dump-platform", required_argument, NULL, 'd'},
        {"models", required_argument, NULL, 'm'}, {"quiet", no_argument, NULL, 'q'},
        {"log", no_argument, NULL, 'L'},          {"help-cfg", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:qhV", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': a->output = optarg; break;
        case 'd': a->dump_platform = optarg; break;
        case 'm': a->models = optarg; break;
        case 'q': a->quiet = 1; break;
        case 'L': a->log = 1; break;
        case 'h': fputs(run_usage, stdout); return EXIT_OK;
        case 'H': sim_help_cfg(); return EXIT_OK;
        case 'V': printf("sriov-sim %s\n", SRIOV_VERSION); return EXIT_OK;
        case 's':
            if (parse_seed(optarg, &a->seed) != 0) {
                fprintf(stderr, "sriov-sim run: --seed takes a non-negative integer, got '%s'\n",
                        optarg);
                return EXIT_BAD_INPUT;
            }
            a->have_seed = 1;
            break;
        case 'c':
            if (a->n_cfg == RUN_MAX_CFG || !strchr(optarg, ':')) {
                fprintf(stderr, "sriov-sim run: --cfg takes KEY:VALUE (at most %d), got '%s'\n",
                        RUN_MAX_CFG, optarg);
                return EXIT_BAD_INPUT;
            }
            a->cfg[a->n_cfg++] = optarg;
            break;
        default: fputs(run_usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "sriov-sim run: expected exactly one scenario file\n%s", run_usage);
        return EXIT_BAD_INPUT;
    }
    a->scenario = argv[optind];
    return -1;
}

static char *default_output(const scenario_config *cfg)
{
    if (cfg->output.file)
        return strdup(cfg->output.file);
    size_t n = strlen(cfg->name) + 16;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "results/%s.h5", cfg->name);
    return path;
}

static int simulate_and_write(const run_args *a, scenario_config *cfg, const char *out_path)
{
    char err[512];
    run_results res;
    sim_request req = {.cfg = cfg,
                       .models = &cli_models,
                       .opt = {.quiet = a->quiet,
                               .progress = !a->quiet && isatty(2),
                               .on_sample = signals_note_progress},
                       .dump_platform = a->dump_platform,
                       .simgrid_cfg = a->cfg,
                       .n_simgrid_cfg = a->n_cfg};
    double wall0 = wall_now();
    int rc = sim_run(&req, &res, err, sizeof err);
    if (rc != SIM_OK) {
        fprintf(stderr, "sriov-sim: %s\n", err);
        return rc == SIM_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    res.meta.wall_time_s = wall_now() - wall0;
    if (provenance_fill(&res.meta, a->command_line) != 0) {
        fprintf(stderr, "sriov-sim: out of memory\n");
        results_free(&res);
        return EXIT_RUN_FAILED;
    }
    free(res.meta.resolved_text);
    res.meta.resolved_text = config_to_yaml(cfg);
    if (!res.meta.resolved_text)
        res.meta.resolved_text = strdup("");
    if (a->log)
        pflog_print(stdout, cfg, &res);
    signals_hold();     /* a kill waits until the file is whole */
    rc = h5_write_results(&res, out_path, err, sizeof err);
    signals_release(rc == 0 ? out_path : NULL);
    if (rc != 0)
        fprintf(stderr, "sriov-sim: %s\n", err);
    else if (!a->quiet) {
        cli_print_summary(&res);
        cli_print_fallbacks(stdout, cfg);
        printf("  results: %s\n", out_path);
    }
    results_free(&res);
    return rc == 0 ? EXIT_OK : EXIT_RUN_FAILED;
}

/* Packet granularity: ns-3 must build its TCP sockets with our buffer
 * sizes (PACKET_NS3_ATTRIBUTES, platform/packet.h). ns-3 reads its
 * NS_ATTRIBUTE_DEFAULT variable once, while its libraries initialise,
 * before main (a setenv in main had no effect: measured), so the run
 * starts itself again with the variable set. Returns only when nothing is
 * to be done (0) or exec failed (-1, reported). The user's own
 * NS_ATTRIBUTE_DEFAULT is replaced: a dataset depends on the scenario and
 * seed alone. */
static int ns3_env_reexec(int argc, char *const *argv)
{
    const char *now = getenv("NS_ATTRIBUTE_DEFAULT");
    if (now && !strcmp(now, PACKET_NS3_ATTRIBUTES))
        return 0;
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args || setenv("NS_ATTRIBUTE_DEFAULT", PACKET_NS3_ATTRIBUTES, 1) != 0) {
        free(args);
        fprintf(stderr, "sriov-sim: cannot set ns-3's attributes (out of memory)\n");
        return -1;
    }
    args[0] = "sriov-sim";
    args[1] = "run";
    for (int i = 1; i < argc; i++)
        args[i + 1] = argv[i];
    fflush(NULL);
    execv("/proc/self/exe", args);
    fprintf(stderr, "sriov-sim: cannot restart for ns-3's attributes: /proc/self/exe: %s\n",
            strerror(errno));
    free(args);
    return -1;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {.command_line = provenance_command_line(argc, argv)};
    if (!a.command_line) {
        fprintf(stderr, "sriov-sim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    /* getopt reorders argv; a restart (ns3_env_reexec) passes it as given */
    char **given = calloc((size_t)argc + 1, sizeof *given);
    if (!given) {
        free(a.command_line);
        fprintf(stderr, "sriov-sim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    memcpy(given, argv, (size_t)argc * sizeof *argv);
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        free(a.command_line);
        free(given);
        return rc;
    }
    scenario_config cfg;
    diag d;
    diag_init(&d, stderr);
    if (scenario_load(a.scenario, a.models, &cfg, &d) != 0) {
        free(a.command_line);
        free(given);
        return EXIT_BAD_INPUT;
    }
    if (a.have_seed)
        cfg.sim.seed = a.seed;
    if (cfg.sim.granularity == GRAN_PACKET && ns3_env_reexec(argc, given) != 0) {
        config_free(&cfg);
        free(a.command_line);
        free(given);
        return EXIT_RUN_FAILED;
    }
    char *out_path = a.output ? strdup(a.output) : default_output(&cfg);
    char err[512];
    if (!out_path) {
        rc = EXIT_RUN_FAILED;
    } else if (!cli_platform_fits(&cfg, stderr)) {
        rc = EXIT_BAD_INPUT;
    } else if (h5_check_writable(out_path, err, sizeof err) != 0) {
        fprintf(stderr, "sriov-sim: %s\n", err);
        rc = EXIT_BAD_INPUT;
    } else {
        signals_install(cfg.sim.duration_s);
        rc = simulate_and_write(&a, &cfg, out_path);
    }
    int packet = cfg.sim.granularity == GRAN_PACKET;
    free(out_path);
    free(a.command_line);
    free(given);
    config_free(&cfg);
    /* SimGrid 3.32's ns-3 teardown at exit crashes in Debian's build
     * (ns3::Object::DoDelete under Simulator::Destroy); the results are
     * written and everything of ours freed by now, so a packet-level run
     * leaves without it. */
    if (packet) {
        fflush(NULL);
        _exit(rc);
    }
    return rc;
}
