/* spec.c -- reading and checking a sweep file (format: spec.h, docs/sweeps.md). */
#include "sweep/spec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = {"base", "output", "repetitions", "seed", "grid",
                                       "zip", "random", "report", NULL};

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, (size_t)(slash - path) + 1) : sc_xstrdup("");
}

static char *resolve_against(const char *file, const char *rel)
{
    if (rel[0] == '/')
        return sc_xstrdup(rel);
    char *dir = dir_of(file);
    size_t n = strlen(dir) + strlen(rel) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%s%s", dir, rel);
    free(dir);
    return out;
}

/* "results/sweeps/<file name without .yaml>" */
static char *default_output(const char *file)
{
    const char *slash = strrchr(file, '/');
    const char *name = slash ? slash + 1 : file;
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, ".yaml") == 0)
        len -= 5;
    size_t n = len + 32;
    char *out = malloc(n);
    snprintf(out, n, "results/sweeps/%.*s", (int)len, name);
    return out;
}

static int parse_key_path(diag *d, const ynode *key, sweep_param *p)
{
    char err[256];
    p->key = key;
    if (sweep_path_parse(key->text, &p->path, err, sizeof(err)) != 0) {
        ynode_error(d, key, NULL, "%s", err);
        return -1;
    }
    return 0;
}

/* A list of values, or one value standing alone. */
static void take_values(const ynode *v, sweep_param *p)
{
    if (v->kind == YNODE_SEQ) {
        p->n_values = v->n;
        p->values = sc_xcalloc(v->n ? v->n : 1, sizeof(ynode *));
        for (size_t i = 0; i < v->n; i++)
            p->values[i] = v->items[i];
    } else {
        p->n_values = 1;
        p->values = sc_xcalloc(1, sizeof(ynode *));
        p->values[0] = v;
    }
}

/* grid: or zip: -- a mapping of path -> list. */
static int parse_list_params(diag *d, const ynode *map, const char *what,
                             sweep_param **out, size_t *n_out)
{
    if (ynode_expect(d, map, YNODE_MAP, what) != 0)
        return -1;
    *out = sc_xcalloc(map->n ? map->n : 1, sizeof(sweep_param));
    *n_out = map->n;
    for (size_t i = 0; i < map->n; i++) {
        sweep_param *p = &(*out)[i];
        if (parse_key_path(d, ynode_key(map, i), p) != 0)
            return -1;
        take_values(ynode_value(map, i), p);
        if (p->n_values == 0) {
            ynode_error(d, ynode_value(map, i), "give at least one value",
                        "'%s' has an empty list of values", p->path.text);
            return -1;
        }
    }
    return 0;
}

/* ---- random parameters ----------------------------------------------------- */

static int parse_plain_number(const char *text, double *v, bool *integer)
{
    char *end;
    if (!*text || *text == '-' || *text == '+')
        return -1;
    *v = strtod(text, &end);
    if (*end || !isfinite(*v))
        return -1;
    *integer = strpbrk(text, ".eE") == NULL;
    return 0;
}

/* Classifies one bound: a quantity with a unit, or a bare number. */
static int parse_bound(diag *d, const ynode *n, sweep_param *p, double *v,
                       num_form *form, unit_kind *unit)
{
    static const unit_kind kinds[] = {UNIT_RATE, UNIT_SIZE, UNIT_TIME, UNIT_FREQ};
    if (ynode_as_scalar(d, n, "a bound") != 0)
        return -1;
    char err[128];
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (units_parse(n->text, kinds[k], v, err, sizeof(err)) == 0) {
            *form = NUM_QUANTITY;
            *unit = kinds[k];
            return 0;
        }
    bool integer;
    if (parse_plain_number(n->text, v, &integer) == 0) {
        *form = integer ? NUM_INTEGER : NUM_REAL;
        return 0;
    }
    ynode_error(d, n, "write a number (8) or a quantity with a unit (10Gbps, 4KiB, 5us)",
                "'%s' of %s is not a number", n->text, p->path.text);
    return -1;
}

static int parse_range(diag *d, const ynode *v, sweep_param *p)
{
    if (v->kind != YNODE_SEQ || v->n != 2) {
        ynode_error(d, v, "write [low, high]", "expected a list of two bounds");
        return -1;
    }
    num_form f0, f1;
    unit_kind u0 = UNIT_SIZE, u1 = UNIT_SIZE;
    if (parse_bound(d, v->items[0], p, &p->lo, &f0, &u0) != 0 ||
        parse_bound(d, v->items[1], p, &p->hi, &f1, &u1) != 0)
        return -1;
    if ((f0 == NUM_QUANTITY) != (f1 == NUM_QUANTITY) || u0 != u1) {
        ynode_error(d, v, NULL, "the two bounds of %s have different units", p->path.text);
        return -1;
    }
    if (p->lo > p->hi || (p->dist == PARAM_LOG_UNIFORM && p->lo <= 0)) {
        ynode_error(d, v, "low <= high, and low > 0 for log_uniform",
                    "bad range for %s", p->path.text);
        return -1;
    }
    p->form = f0 == NUM_QUANTITY ? NUM_QUANTITY
              : (f0 == NUM_INTEGER && f1 == NUM_INTEGER ? NUM_INTEGER : NUM_REAL);
    p->unit = u0;
    return 0;
}

static int parse_random_param(diag *d, const ynode *key, const ynode *v,
                              sweep_param *p)
{
    static const char *const dists[] = {"uniform", "log_uniform", "choice", NULL};
    if (parse_key_path(d, key, p) != 0 || ynode_expect(d, v, YNODE_MAP, key->text) != 0)
        return -1;
    if (v->n != 1 || ynode_check_keys(d, v, dists, key->text) != 0) {
        if (v->n != 1)
            ynode_error(d, v, "e.g. { uniform: [1Gbps, 40Gbps] }",
                        "give exactly one of uniform, log_uniform, choice");
        return -1;
    }
    const char *kind = ynode_key(v, 0)->text;
    const ynode *arg = ynode_value(v, 0);
    if (strcmp(kind, "choice") == 0) {
        p->dist = PARAM_CHOICE;
        take_values(arg, p);
        if (p->n_values == 0) {
            ynode_error(d, arg, NULL, "choice needs at least one value");
            return -1;
        }
        return 0;
    }
    p->dist = strcmp(kind, "uniform") == 0 ? PARAM_UNIFORM : PARAM_LOG_UNIFORM;
    return parse_range(d, arg, p);
}

static int parse_random(diag *d, const ynode *r, sweep_spec *s)
{
    static const char *const keys[] = {"samples", "seed", "params", NULL};
    if (ynode_expect(d, r, YNODE_MAP, "'random'") != 0 ||
        ynode_check_keys(d, r, keys, "random") != 0)
        return -1;
    int samples = 0;
    s->rnd_seed = 1;
    if (yget_int(d, r, "samples", 1, SWEEP_MAX_POINTS, &samples) <= 0 ||
        yget_u64(d, r, "seed", &s->rnd_seed) < 0) {
        if (samples == 0 && ynode_get(r, "samples") == NULL)
            ynode_error(d, r, "add samples: N", "'random' needs 'samples'");
        return -1;
    }
    s->samples = (size_t)samples;
    const ynode *params = ynode_get(r, "params");
    if (params == NULL) {
        ynode_error(d, r, "add params: { PATH: { uniform: [LOW, HIGH] } }",
                    "'random' needs 'params'");
        return -1;
    }
    if (ynode_expect(d, params, YNODE_MAP, "'params'") != 0)
        return -1;
    s->rnd = sc_xcalloc(params->n ? params->n : 1, sizeof(sweep_param));
    s->n_rnd = params->n;
    for (size_t i = 0; i < params->n; i++)
        if (parse_random_param(d, ynode_key(params, i), ynode_value(params, i),
                               &s->rnd[i]) != 0)
            return -1;
    return 0;
}

/* ---- the whole file -------------------------------------------------------- */

static int check_zip(diag *d, const ynode *zip, sweep_spec *s)
{
    s->zip_len = s->n_zip ? s->zip[0].n_values : 0;
    for (size_t i = 1; i < s->n_zip; i++)
        if (s->zip[i].n_values != s->zip_len) {
            ynode_error(d, ynode_value(zip, i), "zipped lists advance together",
                        "'%s' has %zu values but '%s' has %zu", s->zip[i].path.text,
                        s->zip[i].n_values, s->zip[0].path.text, s->zip_len);
            return -1;
        }
    return 0;
}

enum { MAX_SELECT_GLOBS = 64, MAX_GLOB_BYTES = 256 };

/* report.<key>: one glob or a list of globs (at most MAX_SELECT_GLOBS). */
static int parse_globs(diag *d, const ynode *r, const char *key, char ***out, size_t *n)
{
    const ynode *v = ynode_get(r, key);
    if (v == NULL)
        return 0;
    const ynode *const *items = v->kind == YNODE_SEQ ? (const ynode *const *)v->items : &v;
    size_t count = v->kind == YNODE_SEQ ? v->n : 1;
    if (v->kind == YNODE_MAP || count > MAX_SELECT_GLOBS) {
        ynode_error(d, v, "write a name pattern such as \"tenant*\" or a list of them",
                    "report.%s: expected one to %d name patterns", key, MAX_SELECT_GLOBS);
        return -1;
    }
    *out = sc_xcalloc(count ? count : 1, sizeof **out);
    for (size_t i = 0; i < count; i++) {
        if (items[i]->kind != YNODE_SCALAR || strlen(items[i]->text) == 0 ||
            strlen(items[i]->text) >= MAX_GLOB_BYTES) {
            ynode_error(d, items[i], "a non-empty name pattern (*, ?, [..] as in the shell)",
                        "report.%s: expected a name pattern of 1 to %d bytes", key,
                        MAX_GLOB_BYTES - 1);
            return -1;
        }
        (*out)[(*n)++] = sc_xstrdup(items[i]->text);
    }
    return 0;
}

static int parse_report(diag *d, const ynode *r, sweep_spec *s)
{
    static const char *const keys[] = {"p99_target", "flows", "exclude_flows", "vms", NULL};
    if (ynode_expect(d, r, YNODE_MAP, "'report'") != 0 ||
        ynode_check_keys(d, r, keys, "report") != 0)
        return -1;
    flow_select *sel = &s->select;
    if (parse_globs(d, r, "flows", &sel->flows, &sel->n_flows) != 0 ||
        parse_globs(d, r, "exclude_flows", &sel->exclude, &sel->n_exclude) != 0 ||
        parse_globs(d, r, "vms", &sel->vms, &sel->n_vms) != 0)
        return -1;
    return yget_quantity(d, r, "p99_target", UNIT_TIME, true, &s->p99_target_s) < 0 ? -1 : 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int parse_params(diag *d, const ynode *root, sweep_spec *s)
{
    const ynode *grid = ynode_get(root, "grid");
    const ynode *zip = ynode_get(root, "zip");
    const ynode *rnd = ynode_get(root, "random");
    const ynode *rep = ynode_get(root, "report");
    if ((grid && parse_list_params(d, grid, "'grid'", &s->grid, &s->n_grid) != 0) ||
        (zip && (parse_list_params(d, zip, "'zip'", &s->zip, &s->n_zip) != 0 ||
                 check_zip(d, zip, s) != 0)) ||
        (rnd && parse_random(d, rnd, s) != 0) || (rep && parse_report(d, rep, s) != 0))
        return -1;
    if (s->n_grid + s->n_zip + s->n_rnd > SWEEP_MAX_PARAMS) {
        ynode_error(d, root, NULL, "at most %d parameters", SWEEP_MAX_PARAMS);
        return -1;
    }
    if (s->n_grid + s->n_zip + s->n_rnd == 0 && s->repetitions < 2) {
        ynode_error(d, root, "add grid:, zip:, random: or repetitions: N",
                    "the sweep varies nothing");
        return -1;
    }
    return 0;
}

static int parse_top(diag *d, const ynode *root, sweep_spec *s)
{
    if (ynode_expect(d, root, YNODE_MAP, "the sweep file") != 0 ||
        ynode_check_keys(d, root, top_keys, "the sweep file") != 0)
        return -1;
    char *base = NULL, *output = NULL;
    int reps = 1, rc_seed = 0;
    int rc_base = yget_string(d, root, "base", &base);
    if (rc_base == 0)
        ynode_error(d, root, "add base: PATH/TO/SCENARIO.yaml", "missing 'base'");
    if (rc_base <= 0 || yget_string(d, root, "output", &output) < 0 ||
        yget_int(d, root, "repetitions", 1, SWEEP_MAX_POINTS, &reps) < 0 ||
        (rc_seed = yget_u64(d, root, "seed", &s->seed)) < 0) {
        free(base);
        free(output);
        return -1;
    }
    s->have_seed = rc_seed == 1;
    s->base = resolve_against(s->file, base);
    s->output = output ? output : default_output(s->file);
    s->repetitions = (size_t)reps;
    free(base);
    return parse_params(d, root, s);
}

bool sweep_param_is_label(const sweep_param *p)
{
    return p->path.text[0] == '$';
}

/* a * b, saturating just above SWEEP_MAX_POINTS: the factors come from the
 * sweep file (list lengths, ranges, samples, repetitions) and their plain
 * product wrapped size_t (65536 x 2^21 x 2^21 x 65536 points passed as a
 * 0-point sweep). */
static size_t mul_capped(size_t a, size_t b)
{
    const size_t cap = (size_t)SWEEP_MAX_POINTS + 1;
    if (a == 0 || b == 0)
        return 0;
    return a > cap / b ? cap : (a * b > cap ? cap : a * b);
}

size_t sweep_spec_sets(const sweep_spec *s)
{
    size_t n = 1;
    for (size_t i = 0; i < s->n_grid; i++)
        n = mul_capped(n, s->grid[i].n_values);
    if (s->n_zip)
        n = mul_capped(n, s->zip_len);
    if (s->n_rnd)
        n = mul_capped(n, s->samples);
    return n;
}

int sweep_spec_load(const char *path, sweep_spec *out, diag *d)
{
    memset(out, 0, sizeof(*out));
    out->p99_target_s = NAN;
    char *text = NULL;
    size_t len = 0;
    if (ynode_read_file(path, &text, &len, d) != 0)
        return -1;
    int rc = ynode_parse(text, len, path, &out->doc, d);
    free(text);
    out->file = sc_xstrdup(path);
    if (rc == 0)
        rc = parse_top(d, out->doc.root, out);
    if (rc == 0 && mul_capped(sweep_spec_sets(out), out->repetitions) > SWEEP_MAX_POINTS) {
        ynode_error(d, out->doc.root, "split the sweep", "more than %d points",
                    SWEEP_MAX_POINTS);
        rc = -1;
    }
    if (rc != 0)
        sweep_spec_free(out);
    return rc;
}

static void free_params(sweep_param *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        sweep_path_free(&p[i].path);
        free(p[i].values);
    }
    free(p);
}

void sweep_spec_free(sweep_spec *s)
{
    free_params(s->grid, s->n_grid);
    free_params(s->zip, s->n_zip);
    free_params(s->rnd, s->n_rnd);
    free_strings(s->select.flows, s->select.n_flows);
    free_strings(s->select.exclude, s->select.n_exclude);
    free_strings(s->select.vms, s->select.n_vms);
    ynode_doc_free(&s->doc);
    free(s->file);
    free(s->base);
    free(s->output);
    memset(s, 0, sizeof(*s));
}
