/* pflog.c -- see pflog.h. */
#include "cli/pflog.h"

#include <string.h>

/* The kernel driver of an adapter model ("intel-e810" -> "ice"). */
static const char *pflog_driver(const char *model)
{
    static const struct { const char *prefix, *driver; } drivers[] = {
        {"intel-e810", "ice"}, {"intel-x710", "i40e"}, {"intel-82599", "ixgbe"},
        {"mlx-", "mlx5_core"},
    };
    for (size_t i = 0; model && i < sizeof drivers / sizeof drivers[0]; i++)
        if (strncmp(model, drivers[i].prefix, strlen(drivers[i].prefix)) == 0)
            return drivers[i].driver;
    return "pci";
}

/* The adapter's index on its host, or -1. */
static int adapter_index(const scenario_config *cfg, const event_record *ev, const char **model)
{
    for (size_t h = 0; h < cfg->n_hosts; h++) {
        if (strcmp(cfg->hosts[h].name, ev->host))
            continue;
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++)
            if (!strcmp(cfg->hosts[h].adapters[a].name, ev->adapter)) {
                *model = cfg->hosts[h].adapters[a].model;
                return (int)a;
            }
    }
    return -1;
}

char *pflog_format(const scenario_config *cfg, const event_record *ev, char *buf, size_t len)
{
    const char *model = NULL;
    int a = adapter_index(cfg, ev, &model);
    char who[96];
    if (a >= 0)
        snprintf(who, sizeof who, "%s 0000:%02x:00.0", pflog_driver(model),
                 (0x18 + 0x20 * a) & 0xff);
    else
        snprintf(who, sizeof who, "sriov-sim");
    char vf[24] = "";
    if (ev->vf >= 0)
        snprintf(vf, sizeof vf, "VF %d: ", ev->vf);
    /* journalctl -k style: the host names the machine, as in a fleet log */
    snprintf(buf, len, "[%12.6f] %s kernel: %s: %s%s\n", ev->time_s,
             ev->host[0] ? ev->host : "-", who, vf, ev->detail);
    return buf;
}

void pflog_print(FILE *out, const scenario_config *cfg, const run_results *r)
{
    char line[640];
    for (size_t i = 0; i < r->n_events; i++)
        fputs(pflog_format(cfg, &r->events[i], line, sizeof line), out);
}
