/* report_migration.c -- the phases of each live migration from
 * /migrations and the mig_* events (see rmig.h). */
#include "report/rmig.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rh5.h"

/* Phase boundaries of one migration, as the table stores them. */
enum { B_START, B_PRECOPY, B_STOPCOPY, B_RESUMED, B_REPLUGGED, N_BOUNDS };

/* The columns of /migrations the phases need. */
typedef struct mig_table {
    size_t n;
    double *t[N_BOUNDS];
} mig_table;

static const char *const bound_field[N_BOUNDS] = {
    "start_s", "precopy_start_s", "precopy_end_s", "end_s", "replug_end_s"};

/* The mig_vf_plug / mig_vf_unavailable rows of /events. */
typedef struct plug_events {
    size_t n;
    double *time_s;
    char **type, **detail;
} plug_events;

static void mig_table_free(mig_table *t)
{
    for (int b = 0; b < N_BOUNDS; b++)
        free(t->t[b]);
}

static void plug_events_free(plug_events *ev, size_t n_read)
{
    free(ev->time_s);
    rp_free_strings(ev->type, n_read);
    rp_free_strings(ev->detail, n_read);
}

void rp_mig_phases_free(mig_phases *p)
{
    rp_free_strings(p->vm, p->n_mig);
    rp_free_strings(p->from, p->n_mig);
    rp_free_strings(p->to, p->n_mig);
    free(p->rows);
    memset(p, 0, sizeof(*p));
}

static size_t table_rows(hid_t d)
{
    hssize_t n = rp_dataset_elements(d);     /* bounded: rh5.h */
    return n < 0 ? 0 : (size_t)n;
}

static int read_table(hid_t file, mig_phases *p, mig_table *t)
{
    hid_t d = H5Dopen2(file, "/migrations", H5P_DEFAULT);
    if (d < 0)
        return -1;
    t->n = p->n_mig = table_rows(d);
    p->vm = rp_read_string_field(d, "vm", p->n_mig);
    p->from = rp_read_string_field(d, "from", p->n_mig);
    p->to = rp_read_string_field(d, "to", p->n_mig);
    bool ok = p->vm && p->from && p->to;
    for (int b = 0; b < N_BOUNDS; b++)
        ok = (t->t[b] = rp_read_number_field(d, bound_field[b], t->n)) != NULL && ok;
    H5Dclose(d);
    return ok ? 0 : -1;
}

/* Events are optional: without them a VM that got no VF back simply shows
 * no virtio phase after its resume. */
static void read_plug_events(hid_t file, plug_events *ev)
{
    memset(ev, 0, sizeof(*ev));
    hid_t d = H5Dopen2(file, "/events", H5P_DEFAULT);
    if (d < 0)
        return;
    size_t n = table_rows(d);
    ev->time_s = rp_read_number_field(d, "time_s", n);
    ev->type = rp_read_string_field(d, "type", n);
    ev->detail = rp_read_string_field(d, "detail", n);
    H5Dclose(d);
    if (ev->time_s && ev->type && ev->detail) {
        ev->n = n;
        return;
    }
    plug_events_free(ev, n);
    memset(ev, 0, sizeof(*ev));
}

/* Migration details start with "vm: " (mig_vf_unavailable) or
 * "vm.nic: " (mig_vf_plug). */
static bool about_vm(const char *detail, const char *vm)
{
    size_t n = strlen(vm);
    return strncmp(detail, vm, n) == 0 && (detail[n] == ':' || detail[n] == '.');
}

/* After resuming at resumed_s, did the VM's first plug attempt find no VF? */
static bool vf_unavailable_after(const plug_events *ev, const char *vm,
                                 double resumed_s)
{
    for (size_t i = 0; i < ev->n; i++) {
        if (ev->time_s[i] < resumed_s || !about_vm(ev->detail[i], vm))
            continue;
        if (strcmp(ev->type[i], "mig_vf_unavailable") == 0)
            return true;
        if (strcmp(ev->type[i], "mig_vf_plug") == 0)
            return false;
    }
    return false;
}

/* The next migration of the same VM starts here (or the run ends). */
static double next_start(const mig_phases *p, const mig_table *t, size_t m,
                         double run_end_s)
{
    double next = run_end_s;
    for (size_t k = 0; k < t->n; k++)
        if (k != m && strcmp(p->vm[k], p->vm[m]) == 0 &&
            t->t[B_START][k] > t->t[B_START][m] && t->t[B_START][k] < next)
            next = t->t[B_START][k];
    return next;
}

/* Boundary b was reached: set and not before the previous one. Only a
 * zero-length unplug (VM had no VF) or re-plug (plug delay 0) may equal
 * the previous boundary; an unset end time reads as 0 (or NaN). */
static bool reached(const mig_table *t, size_t m, int b)
{
    double prev = t->t[b - 1][m], cur = t->t[b][m];
    if (!isfinite(cur))
        return false;
    return cur > prev || (cur == prev && (b == B_PRECOPY || b == B_REPLUGGED));
}

static void add_row(mig_phases *p, size_t m, const char *phase, double a, double b)
{
    p->rows[p->n++] = (mig_phase){m, phase, a, b};
}

static void phases_of(mig_phases *p, const mig_table *t, const plug_events *ev,
                      size_t m, double run_end_s)
{
    static const char *const name[N_BOUNDS] = {"vf_unplug", "precopy", "stopcopy",
                                               "virtio", "vf_replug"};
    double *const *tt = t->t;
    for (int b = B_PRECOPY; b <= B_RESUMED; b++) {
        bool done = reached(t, m, b);
        double end = done ? tt[b][m] : fmax(run_end_s, tt[b - 1][m]);
        if (b != B_PRECOPY || end > tt[b - 1][m])
            add_row(p, m, name[b - 1], tt[b - 1][m], end);
        if (!done)
            return;
    }
    double resumed = tt[B_RESUMED][m];
    if (reached(t, m, B_REPLUGGED)) {
        add_row(p, m, name[B_RESUMED], resumed, tt[B_REPLUGGED][m]);
        add_row(p, m, name[B_REPLUGGED], tt[B_REPLUGGED][m], tt[B_REPLUGGED][m]);
    } else if (tt[B_PRECOPY][m] > tt[B_START][m] &&
               vf_unavailable_after(ev, p->vm[m], resumed)) {
        add_row(p, m, name[B_RESUMED], resumed,
                fmax(resumed, next_start(p, t, m, run_end_s)));
    }
}

int rp_read_mig_phases(hid_t file, double run_end_s, mig_phases *out)
{
    memset(out, 0, sizeof(*out));
    mig_table t = {0};
    plug_events ev;
    read_plug_events(file, &ev);
    int rc = read_table(file, out, &t);
    if (rc == 0) {
        out->rows = rp_alloc_array(t.n * N_BOUNDS, sizeof(mig_phase));
        rc = out->rows ? 0 : -1;
    }
    for (size_t m = 0; rc == 0 && m < t.n; m++)
        phases_of(out, &t, &ev, m, run_end_s);
    mig_table_free(&t);
    plug_events_free(&ev, ev.n);
    if (rc != 0)
        rp_mig_phases_free(out);
    return rc;
}

int rp_export_mig_phases(const char *dir, const char *name,
                         const mig_phases *p, errbuf *e)
{
    FILE *f = rp_open_out(dir, name, e);
    if (f == NULL)
        return -1;
    fputs("# live-migration phases: vm from to phase start_s end_s (s);\n"
          "# phase: vf_unplug precopy stopcopy (the downtime) virtio "
          "(resumed, on the standby NIC) vf_replug (instant)\n", f);
    for (size_t i = 0; i < p->n; i++) {
        const mig_phase *r = &p->rows[i];
        rp_put_token(f, p->vm[r->mig]);
        fputc(' ', f);
        rp_put_token(f, p->from[r->mig]);
        fputc(' ', f);
        rp_put_token(f, p->to[r->mig]);
        fprintf(f, " %s %.12g %.12g\n", r->phase, r->start_s, r->end_s);
    }
    return rp_close_out(f, name, e);
}

char *rp_mig_zoom_extra(const mig_phases *p, const char *phasefile)
{
    char zooms[RP_MIG_ZOOMS * 4 * 26 + 8] = "", *out = malloc(sizeof zooms + 200);
    size_t k = 0, used = 0;
    for (size_t i = 0; i < p->n && k < RP_MIG_ZOOMS; i++) {
        const mig_phase *r = &p->rows[i];
        double d = r->end_s - r->start_s;
        if (strcmp(r->phase, "stopcopy") != 0 || !isfinite(d) || d < 0)
            continue;
        double pad = fmax(2 * d, 0.25);
        used += (size_t)snprintf(zooms + used, sizeof zooms - used, "%s%.9g %.9g %.9g %.9g",
                                 k ? " " : "", fmax(r->start_s - pad, 0), r->end_s + pad,
                                 r->start_s, r->end_s);
        k++;
    }
    if (out != NULL)
        snprintf(out, sizeof zooms + 200, "phasefile='%s'; nzoom=%zu; zooms='%s'", phasefile, k,
                 zooms);
    return out;
}
