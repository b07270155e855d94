/* memfit.c -- the memory check of run and validate (see memfit.h). */
#include "cli/memfit.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "platform/platform.h"
#include "scenario/units.h"

/* ulimit -v cannot be used under AddressSanitizer (its shadow memory
 * needs the address space) or on a shared machine where physical memory
 * overstates what a run may take: $SRIOV_MEMORY_LIMIT lowers it. */
double cli_memory_given(FILE *err)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    double have = pages > 0 && page > 0 ? (double)pages * (double)page : 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (have <= 0 || (double)rl.rlim_cur < have))
        have = (double)rl.rlim_cur;
    const char *env = getenv("SRIOV_MEMORY_LIMIT");
    double cap;
    char msg[128];
    if (env && *env && units_parse(env, UNIT_SIZE, &cap, msg, sizeof msg) == 0 &&
        (have <= 0 || cap < have))
        have = cap;
    else if (env && *env)
        fprintf(err, "sriov-sim: SRIOV_MEMORY_LIMIT ignored: %s\n", msg);
    return have;
}

int cli_platform_fits(const scenario_config *cfg, FILE *err)
{
    double need = platform_estimate_bytes(cfg);
    double have = cli_memory_given(err);
    if (have <= 0 || need <= have)
        return 1;
    const src_mark *m = cfg->n_hosts ? &cfg->hosts[0].mark : NULL;
    fprintf(err, "%s:%d:%d: error: this platform needs about %.1f GiB of memory "
            "(%zu hosts, %zu flows and their VFs), more than the %.1f GiB given "
            "(physical memory, ulimit -v or SRIOV_MEMORY_LIMIT)\n"
            "  fix: fewer hosts or VFs (num_vfs), or a machine with more memory "
            "(docs/guarantees.md, \"Platform size\")\n",
            cfg->path, m ? m->line : 1, m ? m->col : 1, need / 1073741824.0, cfg->n_hosts,
            cfg->n_flows, have / 1073741824.0);
    return 0;
}
