/* load_workloads.c -- the workloads section (workload_config.h,
 * docs/scenario.md "workloads[]"): who sends to whom (selectors resolved
 * into VM NICs), the pattern, the flow-size law, the arrivals and the
 * window. Every limit is checked here, before any work. */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"
#include "scenario/wl_load.h"

static const char *const sel_keys[] = {"racks", "hosts", "vms", "nics", NULL};

static bool has_tag(char *const *tags, size_t n, const char *tag)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tags[i], tag) == 0)
            return true;
    return false;
}

static bool matches_any(const wl_selector *s, const char *name)
{
    for (size_t i = 0; i < s->n_patterns; i++)
        if (fnmatch(s->patterns[i], name, 0) == 0)
            return true;
    return false;
}

/* The name a selector of this kind matches for NIC n of VM v. */
static const char *sel_name(const scenario_config *cfg, const wl_selector *s, size_t v,
                            size_t n, char *buf, size_t len)
{
    const vm_config *vm = &cfg->vms[v];
    const host_config *h = &cfg->hosts[vm->host_idx];
    switch (s->kind) {
    case WL_SEL_RACKS:
        return cfg->fabric.racks[h->rack_idx].name;
    case WL_SEL_HOSTS:
        return h->name;
    case WL_SEL_VMS:
        return vm->name;
    case WL_SEL_NICS:
        snprintf(buf, len, "%s.%s", vm->name, vm->nics[n].name);
        return buf;
    }
    return "";
}

static bool tag_ok(const scenario_config *cfg, const wl_selector *s, size_t v)
{
    if (!s->tag)
        return true;
    const vm_config *vm = &cfg->vms[v];
    if (s->kind == WL_SEL_RACKS || s->kind == WL_SEL_HOSTS) {
        const host_config *h = &cfg->hosts[vm->host_idx];
        return has_tag(h->tags, h->n_tags, s->tag);
    }
    return has_tag(vm->tags, vm->n_tags, s->tag);
}

/* Does pattern match at least one name of the selector's kind? */
static bool pattern_matches_something(const scenario_config *cfg, wl_sel_kind_t kind,
                                      const char *pat)
{
    char buf[2 * 64 + 2];
    switch (kind) {
    case WL_SEL_RACKS:
        for (size_t r = 0; r < cfg->fabric.n_racks; r++)
            if (fnmatch(pat, cfg->fabric.racks[r].name, 0) == 0)
                return true;
        return false;
    case WL_SEL_HOSTS:
        for (size_t h = 0; h < cfg->n_hosts; h++)
            if (fnmatch(pat, cfg->hosts[h].name, 0) == 0)
                return true;
        return false;
    case WL_SEL_VMS:
        for (size_t v = 0; v < cfg->n_vms; v++)
            if (fnmatch(pat, cfg->vms[v].name, 0) == 0)
                return true;
        return false;
    case WL_SEL_NICS:
        for (size_t v = 0; v < cfg->n_vms; v++)
            for (size_t n = 0; n < cfg->vms[v].n_nics; n++) {
                snprintf(buf, sizeof buf, "%s.%s", cfg->vms[v].name, cfg->vms[v].nics[n].name);
                if (fnmatch(pat, buf, 0) == 0)
                    return true;
            }
        return false;
    }
    return false;
}

static const char *const sel_what[] = {"rack", "host", "VM", "NIC (VM.NIC)"};

/* A pattern: a name or a glob (* ? [..]) of at most 128 characters. */
static int add_pattern(loader *L, wl_selector *s, const ynode *n)
{
    if (ynode_as_scalar(L->d, n, "a name pattern"))
        return -1;
    size_t len = strlen(n->text);
    bool ok = len > 0 && len <= 2 * NAME_MAX_LEN + 1;
    for (const char *c = n->text; *c && ok; c++)
        ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
             strchr("-_.*?[]!", *c) != NULL;
    if (!ok) {
        ynode_error(L->d, n, "use names, or globs of letters, digits, - _ . and * ? [ ] !",
                    "invalid name pattern '%s'", n->text);
        return -1;
    }
    if (!pattern_matches_something(L->cfg, s->kind, n->text)) {
        ynode_error(L->d, n, "check the spelling; a glob such as 'h*' matches many",
                    "'%s' matches no %s", n->text, sel_what[s->kind]);
        return -1;
    }
    s->patterns[s->n_patterns++] = sc_xstrdup(n->text);
    return 0;
}

static int read_selector(loader *L, const ynode *map, const char *key, wl_selector *s)
{
    static const char *const keys[] = {"racks", "hosts", "vms", "nics", "tag", NULL};
    const ynode *n = ynode_get(map, key);
    if (ynode_expect(L->d, n, YNODE_MAP, key) || ynode_check_keys(L->d, n, keys, key))
        return -1;
    const ynode *val = NULL;
    int found = 0;
    for (int k = 0; sel_keys[k]; k++)
        if (ynode_get(n, sel_keys[k])) {
            found++;
            s->kind = (wl_sel_kind_t)k;
            val = ynode_get(n, sel_keys[k]);
        }
    if (found != 1) {
        ynode_error(L->d, n, "write one of racks, hosts, vms or nics, e.g. { hosts: \"h*\" }",
                    "a selector names exactly one of racks, hosts, vms, nics (found %d)", found);
        return -1;
    }
    int errors = 0;
    if (val->kind == YNODE_SEQ) {
        if (val->n == 0 || val->n > 4096) {
            ynode_error(L->d, val, "give 1 to 4096 names or patterns", "%zu names", val->n);
            return -1;
        }
        s->patterns = sc_xcalloc(val->n, sizeof *s->patterns);
        for (size_t i = 0; i < val->n; i++)
            errors += add_pattern(L, s, val->items[i]) < 0;
    } else {
        s->patterns = sc_xcalloc(1, sizeof *s->patterns);
        errors += add_pattern(L, s, val) < 0;
    }
    const ynode *tag = ynode_get(n, "tag");
    if (tag && (ynode_as_scalar(L->d, tag, "a tag") || ld_check_name(L, tag, "tag")))
        errors++;
    else if (tag)
        s->tag = sc_xstrdup(tag->text);
    return errors ? -1 : 0;
}

/* The VM NICs a selector picks, in VM then NIC order. */
static int resolve_selector(loader *L, const ynode *at, const wl_selector *s, wl_nic **out,
                            size_t *n_out)
{
    const scenario_config *cfg = L->cfg;
    size_t cap = 0;
    *out = NULL;
    *n_out = 0;
    char buf[2 * 64 + 2];
    for (size_t v = 0; v < cfg->n_vms; v++) {
        if (!tag_ok(cfg, s, v))
            continue;
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++) {
            if (!matches_any(s, sel_name(cfg, s, v, n, buf, sizeof buf)))
                continue;
            if (*n_out == cap) {
                cap = cap ? 2 * cap : 16;
                *out = sc_xrealloc(*out, cap, sizeof **out);
            }
            (*out)[(*n_out)++] = (wl_nic){(int)v, (int)n};
        }
    }
    if (*n_out == 0) {
        ynode_error(L->d, at, "select hosts or VMs that have NICs (and carry the tag)",
                    "the selector picks no VM NIC");
        return -1;
    }
    return 0;
}

static int rack_of(const scenario_config *cfg, wl_nic n)
{
    return cfg->hosts[cfg->vms[n.vm_idx].host_idx].rack_idx;
}

/* Same-rack routes the platform must hold (pairs.c): bounded. */
static int check_rack_pairs(loader *L, const ynode *at, const workload_config *w)
{
    size_t nr = L->cfg->fabric.n_racks;
    double *s = sc_xcalloc(nr ? nr : 1, sizeof *s), *r = sc_xcalloc(nr ? nr : 1, sizeof *r);
    for (size_t i = 0; i < w->n_senders; i++)
        s[rack_of(L->cfg, w->senders[i])]++;
    for (size_t i = 0; i < w->n_receivers; i++)
        r[rack_of(L->cfg, w->receivers[i])]++;
    double pairs = 0;
    for (size_t k = 0; k < nr; k++)
        pairs += s[k] * r[k];
    free(s);
    free(r);
    if (pairs <= (double)WL_MAX_RACK_PAIRS)
        return 0;
    ynode_error(L->d, at, "select fewer NICs per rack (e.g. one VM per host)",
                "workload '%s' needs %.0f same-rack sender/receiver routes; at most %llu",
                w->name, pairs, (unsigned long long)WL_MAX_RACK_PAIRS);
    return -1;
}

/* The scenario's directory joined with a relative path without '..'. */
static char *beside_scenario(loader *L, const ynode *n)
{
    const char *p = n->text;
    bool bad = p[0] == '\0' || p[0] == '/';
    for (const char *c = p; *c && !bad; c = *c ? c + 1 : c) {
        size_t len = strcspn(c, "/");
        bad = len == 2 && c[0] == '.' && c[1] == '.';
        c += len;
    }
    if (bad) {
        ynode_error(L->d, n, "put the CDF file beside the scenario or below it",
                    "size_cdf '%s' must be a relative path without '..'", p);
        return NULL;
    }
    const char *slash = strrchr(L->cfg->path, '/');
    size_t dl = slash ? (size_t)(slash - L->cfg->path) + 1 : 0;
    char *out = sc_xcalloc(dl + strlen(p) + 1, 1);
    memcpy(out, L->cfg->path, dl);
    strcpy(out + dl, p);
    return out;
}

/* size | size_dist | size_cdf: exactly one. */
static int read_sizes(loader *L, const ynode *map, workload_config *w)
{
    const ynode *fixed = ynode_get(map, "size"), *dist = ynode_get(map, "size_dist"),
                *file = ynode_get(map, "size_cdf");
    if (!!fixed + !!dist + !!file != 1) {
        ynode_error(L->d, map, "give one of size: 1MB, size_dist: websearch, size_cdf: FILE",
                    "workload '%s' needs exactly one of 'size', 'size_dist', 'size_cdf'",
                    w->name);
        return -1;
    }
    if (fixed) {
        w->size_kind = WL_SIZE_FIXED;
        return yget_quantity(L->d, map, "size", UNIT_SIZE, true, &w->size_bytes) < 0 ? -1 : 0;
    }
    const ynode *n = dist ? dist : file;
    if (ynode_as_scalar(L->d, n, dist ? "a distribution name" : "a file"))
        return -1;
    char *path;
    if (dist) {
        if (ld_check_name(L, n, "distribution"))
            return -1;
        size_t len = strlen(L->models_dir) + strlen(n->text) + 32;
        path = sc_xcalloc(len, 1);
        snprintf(path, len, "%s/workloads/%s.cdf", L->models_dir, n->text);
        FILE *probe = fopen(path, "rb");
        if (!probe) {
            ynode_error(L->d, n, "one of websearch, datamining, hadoop (models/workloads/)",
                        "no flow-size distribution '%s'", n->text);
            free(path);
            return -1;
        }
        fclose(probe);
    } else if (!(path = beside_scenario(L, n))) {
        return -1;
    }
    w->size_kind = dist ? WL_SIZE_DIST : WL_SIZE_FILE;
    w->size_source = sc_xstrdup(n->text);
    int rc = wl_cdf_read(path, &w->cdf, L->d);
    free(path);
    return rc;
}

/* load | flow_rate: exactly one. */
static int read_arrivals(loader *L, const ynode *map, workload_config *w)
{
    const ynode *load = ynode_get(map, "load"), *rate = ynode_get(map, "flow_rate");
    if (!!load + !!rate != 1) {
        ynode_error(L->d, map, "give load: 0.5 (of the senders' port rate) or flow_rate: 1kHz",
                    "workload '%s' needs exactly one of 'load', 'flow_rate'", w->name);
        return -1;
    }
    if (load) {
        if (yget_number(L->d, map, "load", 0, 10, &w->load) < 0)
            return -1;
        if (!(w->load > 0)) {
            ynode_error(L->d, load, "a load above 0, e.g. 0.5", "load must be above 0");
            return -1;
        }
        return 0;
    }
    /* from one arrival in ~32 years of simulated time to 10^9 a second */
    const unit_range r = {1e-9, 1e9, "1nHz", "1GHz"};
    (void)rate;
    return yget_quantity_in(L->d, map, "flow_rate", UNIT_FREQ, true, r, &w->flow_rate_hz) < 0
               ? -1 : 0;
}

static int read_window(loader *L, const ynode *map, workload_config *w)
{
    double end = L->cfg->sim.duration_s;
    w->start_s = 0;
    w->stop_s = end;
    if (yget_quantity(L->d, map, "start", UNIT_TIME, false, &w->start_s) < 0 ||
        yget_quantity(L->d, map, "stop", UNIT_TIME, true, &w->stop_s) < 0)
        return -1;
    if (w->stop_s > end * (1 + 1e-12) || w->start_s >= w->stop_s) {
        ynode_error(L->d, ynode_get(map, ynode_get(map, "stop") ? "stop" : "start"),
                    "keep start < stop <= simulation.duration",
                    "workload '%s' window [%gs, %gs) is empty or past the end (%gs)",
                    w->name, w->start_s, w->stop_s, end);
        return -1;
    }
    return 0;
}

static int read_pattern(loader *L, const ynode *map, workload_config *w)
{
    static const char *const patterns[] = {"uniform", "permutation", "all_to_all", "incast",
                                           NULL};
    int pat = 0, errors = 0;
    if (yget_enum(L->d, map, "pattern", patterns, &pat) < 0)
        return -1;
    w->pattern = (wl_pattern_t)pat;
    w->rack_local = -1;
    const ynode *rl = ynode_get(map, "rack_local"), *fan = ynode_get(map, "fan_in");
    if (rl && w->pattern != WL_UNIFORM) {
        ynode_error(L->d, rl, "remove it, or use pattern: uniform",
                    "'rack_local' applies only to pattern uniform");
        errors++;
    } else if (yget_number(L->d, map, "rack_local", 0, 1, &w->rack_local) < 0) {
        errors++;
    }
    if (w->pattern == WL_INCAST) {
        if (ld_require(L, map, "fan_in", "an incast workload") ||
            yget_int(L->d, map, "fan_in", 1, WL_MAX_FAN_IN, &w->fan_in) < 0)
            errors++;
        else if ((size_t)w->fan_in > w->n_senders) {
            ynode_error(L->d, fan, "select more senders or lower fan_in",
                        "fan_in %d is more than the %zu senders", w->fan_in, w->n_senders);
            errors++;
        }
    } else if (fan) {
        ynode_error(L->d, fan, "remove it, or use pattern: incast",
                    "'fan_in' applies only to pattern incast");
        errors++;
    }
    return errors ? -1 : 0;
}

/* Some sender must have a receiver other than itself. */
static int check_pairs_exist(loader *L, const ynode *at, const workload_config *w)
{
    if (w->n_receivers > 1 || w->n_senders > 1)
        return 0;
    if (w->senders[0].vm_idx != w->receivers[0].vm_idx ||
        w->senders[0].nic_idx != w->receivers[0].nic_idx)
        return 0;
    ynode_error(L->d, at, "select another receiver", "workload '%s' sends only to itself",
                w->name);
    return -1;
}

static int read_flow_keys(loader *L, const ynode *map, workload_config *w)
{
    int errors = yget_quantity(L->d, map, "rate_cap", UNIT_RATE, false, &w->rate_cap_bps) < 0;
    w->initial_window = 10;
    w->mss_bytes = 1460;
    w->max_flows = WL_DEFAULT_MAX_FLOWS;
    w->record_flows = true;
    errors += yget_int(L->d, map, "initial_window", 0, 100000, &w->initial_window) < 0;
    static const char *const growth[] = {"classic", "hystart", NULL};
    int ss = WL_SS_CLASSIC;
    errors += yget_enum(L->d, map, "slow_start", growth, &ss) < 0;
    w->slow_start = (wl_slow_start_t)ss;
    int got = yget_quantity(L->d, map, "mss", UNIT_SIZE, true, &w->mss_bytes);
    if (got < 0 || (got > 0 && (w->mss_bytes < 64 || w->mss_bytes > 9000))) {
        if (got > 0)
            ynode_error(L->d, ynode_get(map, "mss"), "from 64B to 9000B", "'mss' out of range");
        errors++;
    }
    long long mf = 0;
    const ynode *mfn = ynode_get(map, "max_flows");
    if (mfn) {
        if (ynode_as_int(L->d, mfn, "'max_flows'", 1, (long long)WL_MAX_FLOWS, &mf) < 0)
            errors++;
        else
            w->max_flows = (uint64_t)mf;
    }
    errors += yget_bool(L->d, map, "record_flows", &w->record_flows) < 0;
    return errors ? -1 : 0;
}

static int load_workload(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "from", "to", "pattern", "rack_local", "fan_in",
                                       "size", "size_dist", "size_cdf", "load", "flow_rate",
                                       "start", "stop", "rate_cap", "initial_window", "mss",
                                       "max_flows", "record_flows", "slow_start", NULL};
    workload_config *w = &L->cfg->workloads[idx];
    w->line = map->line;
    w->col = map->col;
    if (ld_item_map(L, map, keys, "a workload") || ld_read_name(L, map, "workload", &w->name))
        return -1;
    const char **names = LD_NAMES(L->cfg->workloads, idx);
    int errors = ld_unique(L, ynode_get(map, "name"), names, idx, "workload") < 0;
    free(names);
    if (ld_require(L, map, "from", "a workload") || ld_require(L, map, "to", "a workload"))
        return -1;
    if (read_selector(L, map, "from", &w->from) || read_selector(L, map, "to", &w->to) ||
        resolve_selector(L, ynode_get(map, "from"), &w->from, &w->senders, &w->n_senders) ||
        resolve_selector(L, ynode_get(map, "to"), &w->to, &w->receivers, &w->n_receivers))
        return -1;
    errors += check_pairs_exist(L, ynode_get(map, "to"), w) < 0;
    errors += check_rack_pairs(L, map, w) < 0;
    errors += read_pattern(L, map, w) < 0;
    errors += read_sizes(L, map, w) < 0;
    errors += read_arrivals(L, map, w) < 0;
    errors += read_window(L, map, w) < 0;
    errors += read_flow_keys(L, map, w) < 0;
    return errors ? -1 : 0;
}

int load_workloads(loader *L, const ynode *root)
{
    size_t n;
    const ynode *list = ld_get_seq(L, root, "workloads", &n);
    if (!list)
        return ynode_get(root, "workloads") && !ynode_is_null(ynode_get(root, "workloads"))
                   ? -1 : 0;
    if (n > WL_MAX_WORKLOADS) {
        ynode_error(L->d, list, "merge workloads: at most 64", "%zu workloads", n);
        return -1;
    }
    if (n > 0 && L->cfg->sim.granularity != GRAN_FLOW) {
        ynode_error(L->d, list, "use simulation.granularity: flow, or write the flows in traffic",
                    "workloads run at flow granularity only");
        return -1;
    }
    L->cfg->workloads = sc_xcalloc(n ? n : 1, sizeof *L->cfg->workloads);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        L->cfg->n_workloads = i + 1;
        errors += load_workload(L, i, list->items[i]) < 0;
    }
    return errors ? -1 : 0;
}
