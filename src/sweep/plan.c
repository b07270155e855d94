/* plan.c -- expanding a sweep spec into points (order: plan.h). */
#include "sweep/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: tiny, good enough for sampling, and fully determined by the
 * seed (the C library's rand() is not portable across libcs). */
static uint64_t next_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double next_unit(uint64_t *state)
{
    return (double)(next_u64(state) >> 11) * 0x1.0p-53;
}

static const char *base_unit(unit_kind k)
{
    switch (k) {
    case UNIT_RATE: return "bps";
    case UNIT_TIME: return "ns";
    case UNIT_FREQ: return "Hz";
    default: return "B";
    }
}

static void format_number(const sweep_param *p, double v, char *buf, size_t size)
{
    if (p->form == NUM_INTEGER)
        snprintf(buf, size, "%.0f", v);
    else if (p->form == NUM_REAL)
        snprintf(buf, size, "%.9g", v);
    else /* whole base units (ns for times): exact in YAML, no exponent */
        snprintf(buf, size, "%.0f%s", p->unit == UNIT_TIME ? v * 1e9 : v,
                 base_unit(p->unit));
}

/* A random value for p from the stream state, as a new scalar node with
 * the unit of p's bounds. */
static ynode *sweep_plan_draw(const sweep_param *p, uint64_t *state)
{
    double u = next_unit(state);
    if (p->dist == PARAM_CHOICE) {
        size_t i = (size_t)(u * (double)p->n_values);
        return sweep_node_clone(p->values[i < p->n_values ? i : p->n_values - 1], NULL);
    }
    double v;
    if (p->form == NUM_INTEGER && p->dist == PARAM_UNIFORM)
        v = fmin(p->hi, p->lo + floor(u * (p->hi - p->lo + 1)));
    else if (p->dist == PARAM_UNIFORM)
        v = p->lo + u * (p->hi - p->lo);
    else
        v = exp(log(p->lo) + u * (log(p->hi) - log(p->lo)));
    if (p->form == NUM_INTEGER)
        v = round(v);
    char buf[64];
    format_number(p, v, buf, sizeof(buf));
    return sweep_node_scalar(buf, true, NULL);
}

static void collect_columns(const sweep_spec *s, sweep_plan *p)
{
    p->n_columns = s->n_grid + s->n_zip + s->n_rnd;
    p->columns = sc_xcalloc(p->n_columns ? p->n_columns : 1, sizeof(sweep_param *));
    size_t c = 0;
    for (size_t i = 0; i < s->n_grid; i++)
        p->columns[c++] = &s->grid[i];
    for (size_t i = 0; i < s->n_zip; i++)
        p->columns[c++] = &s->zip[i];
    for (size_t i = 0; i < s->n_rnd; i++)
        p->columns[c++] = &s->rnd[i];
}

/* samples x n_rnd values, sample-major. */
static void draw_samples(const sweep_spec *s, sweep_plan *p)
{
    uint64_t state = s->rnd_seed;
    p->n_made = s->n_rnd ? s->samples * s->n_rnd : 0;
    p->made = sc_xcalloc(p->n_made ? p->n_made : 1, sizeof(ynode *));
    for (size_t i = 0; i < p->n_made; i++)
        p->made[i] = sweep_plan_draw(&s->rnd[i % s->n_rnd], &state);
}

/* The values of parameter set `set` into vals[n_columns]. */
static void set_values(const sweep_spec *s, const sweep_plan *p, size_t set,
                       const ynode **vals)
{
    size_t n_samples = s->n_rnd ? s->samples : 1;
    size_t n_zip = s->n_zip ? s->zip_len : 1;
    size_t r = set % n_samples, z = (set / n_samples) % n_zip;
    size_t g = set / n_samples / n_zip;
    for (size_t i = s->n_grid; i-- > 0;) {
        vals[i] = s->grid[i].values[g % s->grid[i].n_values];
        g /= s->grid[i].n_values;
    }
    for (size_t i = 0; i < s->n_zip; i++)
        vals[s->n_grid + i] = s->zip[i].values[z];
    for (size_t i = 0; i < s->n_rnd; i++)
        vals[s->n_grid + s->n_zip + i] = p->made[r * s->n_rnd + i];
}

void sweep_plan_build(const sweep_spec *s, uint64_t base_seed, sweep_plan *out)
{
    memset(out, 0, sizeof(*out));
    collect_columns(s, out);
    draw_samples(s, out);
    out->n_sets = sweep_spec_sets(s);
    out->n_points = out->n_sets * s->repetitions;
    out->points = sc_xcalloc(out->n_points ? out->n_points : 1, sizeof(sweep_point));
    for (size_t i = 0; i < out->n_points; i++) {
        sweep_point *pt = &out->points[i];
        pt->id = i;
        pt->set = i / s->repetitions;
        pt->rep = i % s->repetitions;
        pt->seed = base_seed + pt->rep;
        pt->values = sc_xcalloc(out->n_columns ? out->n_columns : 1, sizeof(ynode *));
        pt->labels = sc_xcalloc(out->n_columns ? out->n_columns : 1, sizeof(char *));
        set_values(s, out, pt->set, pt->values);
        for (size_t c = 0; c < out->n_columns; c++)
            pt->labels[c] = sweep_node_label(pt->values[c]);
    }
}

void sweep_plan_free(sweep_plan *p)
{
    for (size_t i = 0; i < p->n_points; i++) {
        for (size_t c = 0; c < p->n_columns; c++)
            free(p->points[i].labels[c]);
        free(p->points[i].labels);
        free(p->points[i].values);
    }
    for (size_t i = 0; i < p->n_made; i++)
        sweep_node_free(p->made[i]);
    free(p->made);
    free(p->points);
    free(p->columns);
    memset(p, 0, sizeof(*p));
}
