/* main.c -- sriov-sim command line: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

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
    /* `sriov-sim SCENARIO.yaml` alone means run. */
    argv[0] = "run";
    return cmd_run(argc, argv);
}
