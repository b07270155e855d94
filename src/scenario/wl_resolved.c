/* wl_resolved.c -- the workloads section of /meta/resolved
 * (resolved.h): every default written out, values in base units, so the
 * resolved scenario loads again to the same workloads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/config.h"
#include "scenario/sbuf.h"
#include "scenario/wl_load.h"
#include "scenario/ynode.h"

/* Patterns hold only [A-Za-z0-9._*?[]!-] (load_workloads.c): quoted as
 * they are. */
static void put_selector(sbuf *b, const char *key, const wl_selector *s)
{
    static const char *const kinds[] = {"racks", "hosts", "vms", "nics"};
    sbuf_put(b, "    %s:\n      %s: [", key, kinds[s->kind]);
    for (size_t i = 0; i < s->n_patterns; i++)
        sbuf_put(b, "%s\"%s\"", i ? ", " : "", s->patterns[i]);
    sbuf_put(b, "]\n");
    if (s->tag)
        sbuf_put(b, "      tag: %s\n", s->tag);
}

static void put_workload(sbuf *b, const workload_config *w)
{
    static const char *const patterns[] = {"uniform", "permutation", "all_to_all", "incast"};
    sbuf_put(b, "  - name: %s\n", w->name);
    put_selector(b, "from", &w->from);
    put_selector(b, "to", &w->to);
    sbuf_put(b, "    pattern: %s\n", patterns[w->pattern]);
    if (w->rack_local >= 0)
        sbuf_put(b, "    rack_local: %.17g\n", w->rack_local);
    if (w->pattern == WL_INCAST)
        sbuf_put(b, "    fan_in: %d\n", w->fan_in);
    if (w->size_kind == WL_SIZE_FIXED)
        sbuf_put_quantity(b, "    ", "size", w->size_bytes, "B");
    else
        sbuf_put(b, "    %s: \"%s\"\n", w->size_kind == WL_SIZE_DIST ? "size_dist" : "size_cdf",
             w->size_source);
    if (w->load > 0)
        sbuf_put(b, "    load: %.17g\n", w->load);
    else
        sbuf_put_quantity(b, "    ", "flow_rate", w->flow_rate_hz, "Hz");
    sbuf_put_quantity(b, "    ", "start", w->start_s, "s");
    sbuf_put_quantity(b, "    ", "stop", w->stop_s, "s");
    sbuf_put_quantity(b, "    ", "rate_cap", w->rate_cap_bps, "bps");
    sbuf_put(b, "    initial_window: %d\n", w->initial_window);
    sbuf_put(b, "    slow_start: %s\n", w->slow_start == WL_SS_HYSTART ? "hystart" : "classic");
    sbuf_put_quantity(b, "    ", "mss", w->mss_bytes, "B");
    sbuf_put(b, "    max_flows: %llu\n", (unsigned long long)w->max_flows);
    sbuf_put(b, "    record_flows: %s\n", w->record_flows ? "true" : "false");
}

void workloads_put_yaml(sbuf *b, const scenario_config *cfg)
{
    if (cfg->n_workloads > 0)
        sbuf_put(b, "workloads:\n");
    for (size_t i = 0; i < cfg->n_workloads; i++)
        put_workload(b, &cfg->workloads[i]);
}
