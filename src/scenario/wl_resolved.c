/* wl_resolved.c -- the workloads section of /meta/resolved
 * (resolved.h): every default written out, values in base units, so the
 * resolved scenario loads again to the same workloads. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/config.h"
#include "scenario/units.h"
#include "scenario/wl_load.h"
#include "scenario/ynode.h"

typedef struct wbuf {
    char *data;
    size_t len, cap;
} wbuf;

static void wput(wbuf *b, const char *fmt, ...) DIAG_PRINTF(2, 3);

static void wput(wbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    while (b->len + (size_t)need + 1 > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1024;
        b->data = sc_xrealloc(b->data, b->cap, 1);
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

static void wput_q(wbuf *b, const char *key, double v, const char *unit)
{
    char num[64];
    units_format_double(v, num, sizeof num);
    wput(b, "    %s: %s%s\n", key, num, unit);
}

/* Patterns hold only [A-Za-z0-9._*?[]!-] (load_workloads.c): quoted as
 * they are. */
static void put_selector(wbuf *b, const char *key, const wl_selector *s)
{
    static const char *const kinds[] = {"racks", "hosts", "vms", "nics"};
    wput(b, "    %s:\n      %s: [", key, kinds[s->kind]);
    for (size_t i = 0; i < s->n_patterns; i++)
        wput(b, "%s\"%s\"", i ? ", " : "", s->patterns[i]);
    wput(b, "]\n");
    if (s->tag)
        wput(b, "      tag: %s\n", s->tag);
}

static void put_workload(wbuf *b, const workload_config *w)
{
    static const char *const patterns[] = {"uniform", "permutation", "all_to_all", "incast"};
    wput(b, "  - name: %s\n", w->name);
    put_selector(b, "from", &w->from);
    put_selector(b, "to", &w->to);
    wput(b, "    pattern: %s\n", patterns[w->pattern]);
    if (w->rack_local >= 0)
        wput(b, "    rack_local: %.17g\n", w->rack_local);
    if (w->pattern == WL_INCAST)
        wput(b, "    fan_in: %d\n", w->fan_in);
    if (w->size_kind == WL_SIZE_FIXED)
        wput_q(b, "size", w->size_bytes, "B");
    else
        wput(b, "    %s: \"%s\"\n", w->size_kind == WL_SIZE_DIST ? "size_dist" : "size_cdf",
             w->size_source);
    if (w->load > 0)
        wput(b, "    load: %.17g\n", w->load);
    else
        wput_q(b, "flow_rate", w->flow_rate_hz, "Hz");
    wput_q(b, "start", w->start_s, "s");
    wput_q(b, "stop", w->stop_s, "s");
    wput_q(b, "rate_cap", w->rate_cap_bps, "bps");
    wput(b, "    initial_window: %d\n", w->initial_window);
    wput_q(b, "mss", w->mss_bytes, "B");
    wput(b, "    max_flows: %llu\n", (unsigned long long)w->max_flows);
    wput(b, "    record_flows: %s\n", w->record_flows ? "true" : "false");
}

char *workloads_to_yaml(const scenario_config *cfg)
{
    wbuf b = {0};
    if (cfg->n_workloads > 0)
        wput(&b, "workloads:\n");
    for (size_t i = 0; i < cfg->n_workloads; i++)
        put_workload(&b, &cfg->workloads[i]);
    if (!b.data)
        b.data = sc_xcalloc(1, 1);
    return b.data;
}
