/* main.c -- sriov-sim command line: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "scenario/ynode.h"

static const char main_usage[] =
    "usage: sriov-sim COMMAND [ARGS]   (sriov-sim SCENARIO.yaml means run)\n"
    "\n"
    "A discrete-event simulator of SR-IOV data-centre I/O on SimGrid.\n"
    "Commands:\n"
    "  run SCENARIO.yaml       simulate and write results (HDF5)\n"
    "  validate SCENARIO.yaml  check a scenario without running it\n"
    "  report RESULTS.h5|DIR   draw the figures of a results file or sweep (gnuplot)\n"
    "  sweep SWEEP.yaml        run a parameter sweep, one process per point\n"
    "Each command takes --help and --version. Documentation: docs/.\n";

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
} command;

static const command commands[] = {
    {"run", cmd_run}, {"validate", cmd_validate}, {"report", cmd_report},
    {"sweep", cmd_sweep}};

/* A scenario file given without `run`: it exists, or is named like one. */
static int looks_like_scenario(const char *arg)
{
    size_t n = strlen(arg);
    if (access(arg, F_OK) == 0)
        return 1;
    return (n > 5 && !strcmp(arg + n - 5, ".yaml")) || (n > 4 && !strcmp(arg + n - 4, ".yml"));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_usage, stderr);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(main_usage, stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("sriov-sim %s\n", SRIOV_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    if (argv[1][0] == '-') {
        fprintf(stderr, "sriov-sim: unknown option '%s'\n%s", argv[1], main_usage);
        return EXIT_BAD_INPUT;
    }
    /* `sriov-sim SCENARIO.yaml` alone means run; a word that is neither a
     * command nor a file is a mistyped command (`valdiate x.yaml` was read
     * as a scenario named "valdiate"). */
    if (!looks_like_scenario(argv[1])) {
        static const char *const names[] = {"run", "validate", "report", "sweep", NULL};
        const char *near = ynode_nearest(argv[1], names);
        fprintf(stderr, "sriov-sim: unknown command '%s'", argv[1]);
        if (near)
            fprintf(stderr, "; did you mean '%s'?\n  fix: sriov-sim %s ...\n", near, near);
        else
            fprintf(stderr, "\n%s", main_usage);
        return EXIT_BAD_INPUT;
    }
    argv[0] = "run";
    return cmd_run(argc, argv);
}
