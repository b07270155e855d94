/* cmd_validate.c -- `sriov-sim validate SCENARIO.yaml`: check, do not run. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/memfit.h"
#include "scenario/load.h"

static const char validate_usage[] =
    "usage: sriov-sim validate SCENARIO.yaml [--models DIR]\n"
    "\n"
    "Checks a scenario (syntax, keys, types, units, references, limits such as\n"
    "num_vfs <= total_vfs, the estimated memory of the run against the memory\n"
    "given) without running it. Errors are printed as FILE:LINE:COL: error: ...\n"
    "Exit status: 0 valid, 2 invalid.\n";

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {{"models", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    const char *models = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': models = optarg; break;
        case 'h': fputs(validate_usage, stdout); return EXIT_OK;
        case 'V': printf("sriov-sim %s\n", SRIOV_VERSION); return EXIT_OK;
        default: fputs(validate_usage, stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "sriov-sim validate: expected exactly one scenario file\n%s",
                validate_usage);
        return EXIT_BAD_INPUT;
    }
    scenario_config cfg;
    diag d;
    diag_init(&d, stderr);
    if (scenario_load(argv[optind], models, &cfg, &d) != 0)
        return EXIT_BAD_INPUT;
    if (!cli_platform_fits(&cfg, stderr)) {
        config_free(&cfg);
        return EXIT_BAD_INPUT;
    }
    printf("%s: valid (%zu hosts, %zu VMs, %zu flows, %zu events)\n", argv[optind], cfg.n_hosts,
           cfg.n_vms, cfg.n_flows, cfg.n_events);
    cli_print_fallbacks(stdout, &cfg);
    config_free(&cfg);
    return EXIT_OK;
}
