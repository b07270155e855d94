/* ledger.c -- the book of running transfers. See ledger.h. */
#include "sim/ledger.h"
#include "sim/carried.h"
#include "sim/query.h"

#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The active list is kept in flow order whenever it is read: the per-step
 * loops (models' re-plans, the fast path, our solver, samples) then walk
 * flows, their routes and their configs in memory order, and sum in an
 * order that does not depend on the history of starts and stops.
 * Listing and unlisting are journalled (c->listing, c->pend) and the
 * sorted array is rebuilt from the journal only when someone reads it
 * (sim_active_sync): one merge per batch of changes. Moving the tail of
 * the array at every start and stop (a memmove of up to 2.5 MiB at 320k
 * running flows) made pod-10k quadratic: 9.8 % of its CPU time. A single
 * pending change is still applied by moving the tail (no merge needed).
 * Sorting or scanning every flow at each completion instead made a
 * congested pod quadratic in flows (bench/run pod-250c: 12 % of its
 * time). */
enum {
    LISTED = 1, /* in c->active as it is stored now */
    WANTED = 2, /* should be listed */
    QUEUED = 4, /* in c->pend */
};

static size_t slot_of(const sim_ctx *c, size_t f)
{
    size_t lo = 0, hi = c->n_stored;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->active[mid] < f)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void journal(sim_ctx *c, size_t f, int want)
{
    unsigned char *st = &c->listing[f];
    c->waitable_stale = 1;
    *st = (unsigned char)(want ? *st | WANTED : *st & ~WANTED);
    if (!(*st & QUEUED)) {
        *st |= QUEUED;
        c->pend[c->n_pend++] = f;
    }
    c->n_active += want ? 1 : (size_t)-1;
}

void ledger_add(sim_ctx *c, size_t f)
{
    journal(c, f, 1);
}

void ledger_remove(sim_ctx *c, size_t f)
{
    journal(c, f, 0);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* One change: the tail moves, as before the journal. */
static void apply_one(sim_ctx *c, size_t f, int add)
{
    size_t slot = slot_of(c, f);
    if (add) {
        memmove(&c->active[slot + 1], &c->active[slot], (c->n_stored - slot) * sizeof *c->active);
        c->active[slot] = f;
        c->n_stored++;
    } else {
        memmove(&c->active[slot], &c->active[slot + 1],
                (c->n_stored - slot - 1) * sizeof *c->active);
        c->n_stored--;
    }
}

/* Many changes: the removed flows dropped (when any), then the flows to
 * add, sorted, merged in from the back (the list has room for every
 * flow). */
static void apply_many(sim_ctx *c, size_t n_add, size_t n_del)
{
    const size_t *add = c->pend; /* the first n_add entries, sorted */
    size_t src = c->n_stored;
    if (n_del > 0) {
        src = 0;
        for (size_t i = 0; i < c->n_stored; i++)
            if (c->listing[c->active[i]] & WANTED)
                c->active[src++] = c->active[i];
    }
    size_t out = src + n_add, a = n_add;
    while (a > 0) {
        if (src > 0 && c->active[src - 1] > add[a - 1])
            c->active[--out] = c->active[--src];
        else
            c->active[--out] = add[--a];
    }
    c->n_stored = c->n_active;
}

/* SRIOV_CHECK_INCREMENTAL=1: after each rebuild, the stored list against the
 * list made from scratch, every flow that holds a transfer or runs free
 * (ledger.h). A change a driver forgot to journal fails the run here. */
void ledger_check_active(sim_ctx *c)
{
    size_t k = 0;
    for (size_t f = 0; f < c->n_flows; f++) {
        const flow_rt *fl = &c->flows[f];
        if (!fl->xfer && !fl->free_running)
            continue;
        if (k >= c->n_active || c->active[k] != f) {
            snprintf(c->error, sizeof c->error,
                     "internal: active list differs from its rebuild at slot %zu (flow %zu)", k, f);
            c->failed = 1;
            return;
        }
        k++;
    }
    if (k != c->n_active || c->n_stored != c->n_active) {
        snprintf(c->error, sizeof c->error,
                 "internal: active list holds %zu flows, its rebuild %zu", c->n_active, k);
        c->failed = 1;
    }
}

void sim_active_sync(const sim_ctx *cc)
{
    /* The set of active flows is what it is; only its stored form catches
     * up (a cache the const readers of query.h fill on demand). */
    sim_ctx *c = (sim_ctx *)cc;
    size_t n_add = 0, n_del = 0, one = 0;
    int one_add = 0;
    for (size_t i = 0; i < c->n_pend; i++) {
        size_t f = c->pend[i];
        unsigned char st = c->listing[f];
        int want = (st & WANTED) != 0, listed = (st & LISTED) != 0;
        c->listing[f] = (unsigned char)(want ? LISTED | WANTED : 0);
        if (want == listed)
            continue;
        one = f;
        one_add = want;
        if (want)
            c->pend[n_add++] = f; /* the adds, packed at the front */
        else
            n_del++;
    }
    c->n_pend = 0;
    if (n_add + n_del == 1) {
        apply_one(c, one, one_add);
    } else if (n_add + n_del > 1) {
        qsort(c->pend, n_add, sizeof *c->pend, cmp_size);
        apply_many(c, n_add, n_del);
    }
    if (c->check_incremental)
        ledger_check_active(c);
}

/* 1 when the flow's transfer can finish on its own (the controller waits
 * on it): every transfer of the burst driver, an elastic flow's of the
 * fluid one (an inelastic one ends by its stop action). */
static int can_finish_alone(const sim_ctx *c, const flow_rt *fl)
{
    return c->xfers_finish_alone || !fl->inelastic;
}

/* SimGrid 3.32's ns-3 binding keeps feeding a cancelled transfer's TCP
 * flow and later finishes its freed action (a crash, seen when a flow
 * stopped with a burst in flight). At packet granularity a transfer that
 * still runs is left to finish unwatched: what it moves after now is not
 * counted (as a stop or pause drops it in flow mode), and its handle is
 * dropped once the engine has stopped (ledger_free). */
static void release_xfer(sim_ctx *c, shim_xfer *x)
{
    if (c->cfg->sim.granularity != GRAN_PACKET || shim_xfer_finished(x)) {
        shim_xfer_free(x);
        return;
    }
    if (c->n_orphans == c->orphans_cap) {
        size_t cap = c->orphans_cap ? 2 * c->orphans_cap : 64;
        shim_xfer **grown = realloc(c->orphans, cap * sizeof *grown);
        if (!grown) {
            shim_xfer_free(x); /* out of memory: cancel, as other models do */
            return;
        }
        c->orphans = grown;
        c->orphans_cap = cap;
    }
    c->orphans[c->n_orphans++] = x;
}

void ledger_open(sim_ctx *c, flow_rt *fl, double bytes, double cap_Bps)
{
    fl->xfer = shim_xfer_start(fl->src, fl->dst, bytes, cap_Bps);
    fl->xfer_bytes = bytes;
    c->n_bound++;
    c->n_waitable += can_finish_alone(c, fl);
}

double ledger_close(sim_ctx *c, flow_rt *fl)
{
    double moved = fl->xfer_bytes - shim_xfer_remaining(fl->xfer);
    fl->delivered_bytes += moved;
    release_xfer(c, fl->xfer);
    fl->xfer = NULL;
    fl->xfer_bytes = 0;
    c->n_bound--;
    c->n_waitable -= can_finish_alone(c, fl);
    return moved;
}

void ledger_set_slot(sim_ctx *c, const flow_rt *fl)
{
    (void)fl; /* the waitable list reads fl->xfer when it is rebuilt */
    c->waitable_stale = 1;
}

void ledger_attach(sim_ctx *c, size_t f, double bytes, double cap_Bps)
{
    ledger_open(c, &c->flows[f], bytes, cap_Bps);
    ledger_add(c, f);
}

double ledger_detach(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->xfer)
        return 0;
    ledger_remove(c, f);
    return ledger_close(c, fl);
}

/* The running transfers that can finish on their own: elastic flows', and
 * every transfer at burst or packet granularity. A fluid inelastic
 * transfer is sized past its stop (fluid.c) and ends by its stop action,
 * so waiting on it would only make SimGrid register and unregister the
 * wait on thousands of transfers at every wake-up. */
size_t ledger_collect_waitable(sim_ctx *c)
{
    /* Rebuilt only when something changed: model timers (bursts, token
     * buckets, migration phases) wake the controller often with the same
     * transfers running. */
    if (c->n_waitable == 0)
        return c->n_wait = 0;
    if (!c->waitable_stale)
        return c->n_wait;
    c->waitable_stale = 0;
    sim_active_sync(c);
    size_t n = 0;
    for (size_t i = 0; i < c->n_active; i++) {
        const flow_rt *fl = &c->flows[c->active[i]];
        if (!fl->xfer || !can_finish_alone(c, fl))
            continue;
        c->wait_flows[n] = c->active[i];
        c->wait_xfers[n++] = fl->xfer;
    }
    c->n_wait = n;
    return n;
}

shim_xfer *const *ledger_all_waits(sim_ctx *c, size_t n_flow)
{
    size_t need = n_flow + c->n_model_waits;
    if (need > c->all_waits_cap) {
        shim_xfer **grown = realloc(c->all_waits, need * sizeof *grown);
        if (!grown)
            return NULL;
        c->all_waits = grown;
        c->all_waits_cap = need;
    }
    memcpy(c->all_waits, c->wait_xfers, n_flow * sizeof *c->all_waits);
    for (size_t i = 0; i < c->n_model_waits; i++)
        c->all_waits[n_flow + i] = c->model_waits[i].xfer;
    return c->all_waits;
}

void ledger_model_wait_done(sim_ctx *c, size_t i)
{
    struct model_wait w = c->model_waits[i];
    c->model_waits[i] = c->model_waits[--c->n_model_waits];
    carried_xfer_finished(c, w.xfer);
    w.on_done(c, w.arg);
}

int sim_wait_xfer(sim_ctx *c, shim_xfer *x, timer_fn on_done, void *arg)
{
    if (c->n_model_waits == c->model_waits_cap) {
        size_t cap = c->model_waits_cap ? 2 * c->model_waits_cap : 8;
        struct model_wait *grown = realloc(c->model_waits, cap * sizeof *grown);
        if (!grown)
            return -1;
        c->model_waits = grown;
        c->model_waits_cap = cap;
    }
    c->model_waits[c->n_model_waits++] = (struct model_wait){x, on_done, arg};
    return 0;
}

void ledger_note_peaks(sim_ctx *c)
{
    if (c->n_active > c->peak_active)
        c->peak_active = c->n_active;
    if (c->n_bound > c->peak_bound)
        c->peak_bound = c->n_bound;
}

void ledger_free(sim_ctx *c)
{
    for (size_t i = 0; i < c->n_orphans; i++)
        shim_xfer_drop(c->orphans[i]);
    free(c->orphans);
    c->orphans = NULL;
    c->n_orphans = c->orphans_cap = 0;
    free(c->model_waits);
    free(c->all_waits);
    c->model_waits = NULL;
    c->all_waits = NULL;
    c->n_model_waits = c->model_waits_cap = c->all_waits_cap = 0;
}

double flow_free_moved(const flow_rt *fl, double now_s)
{
    if (fl->agg)
        return netagg_moved(fl->agg, fl->agg_f, now_s);
    return fl->free_Bps * (now_s - fl->free_since_s);
}

double flow_free_rate(const flow_rt *fl)
{
    return fl->agg ? netagg_rate(fl->agg, fl->agg_f) : fl->free_Bps;
}

void flow_clamp_delivered(flow_rt *fl)
{
    if (fl->cfg->kind == FLOW_INELASTIC && fl->delivered_bytes > fl->offered_bytes)
        fl->delivered_bytes = fl->offered_bytes;
}

void flow_mark_done(flow_rt *fl, double now_s)
{
    fl->phase = FLOW_DONE;
    fl->end_s = now_s;
}

void flow_mark_completed(flow_rt *fl, double now_s)
{
    flow_mark_done(fl, now_s);
    /* The last byte still has to cross the route's propagation delay, which
     * the platform leaves out of the transfer (see platform.h). */
    if (fl->cfg->kind == FLOW_ELASTIC)
        fl->completion_s = fl->end_s - fl->start_s + fl->prop_latency_s;
}

int ledger_reserve(sim_ctx *c, size_t old_cap, size_t cap)
{
    unsigned char *l = realloc(c->listing, cap ? cap : 1);
    if (!l)
        return -1;
    c->listing = l;
    if (cap > old_cap)
        memset(l + old_cap, 0, cap - old_cap);
    size_t *p = realloc(c->pend, (cap ? cap : 1) * sizeof *p);
    if (!p)
        return -1;
    c->pend = p;
    return 0;
}
