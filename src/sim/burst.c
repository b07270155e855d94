/* burst.c -- the burst flow driver: flows as bursts of packets. See
 * burst.h. */
#include "sim/burst.h"

#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/packet.h"
#include "sim/capacity.h"
#include "sim/driver.h"
#include "sim/ledger.h"
#include "sim/portfifo.h"
#include "sim/timers.h"
#include "util/maxmin.h"
#include "util/rng.h"

static double exp_draw(burst_rt *b, double mean_s)
{
    return -log(rng_uniform(&b->rng)) * mean_s;
}

/* The time to the next burst's arrival. onoff: bursts at the peak rate
 * while on (constant spacing), none while off; on and off periods are
 * exponential (scenario.md). The on clock runs only while on: a gap that
 * crosses the end of an on period is stretched by the off periods it
 * crosses, so the mean rate is peak x on / (on + off) = the flow's rate. */
static double next_spacing(burst_rt *b, const flow_config *fc)
{
    if (fc->arrivals == ARRIVALS_POISSON)
        return exp_draw(b, b->spacing_s);
    if (fc->arrivals != ARRIVALS_ONOFF)
        return b->spacing_s;
    double gap = b->burst_bytes / (fc->peak_rate_bps / 8.0), t = gap;
    b->on_left_s -= gap;
    while (b->on_left_s < 0) {
        t += exp_draw(b, fc->off_mean_s);
        b->on_left_s += exp_draw(b, fc->on_mean_s);
    }
    return t;
}

/* Each burst's packets all at its latency; a failed allocation loses the
 * sample and is counted (burst_latency_hist then answers NULL). */
static void hist_add(burst_rt *b, double lat_s, double packets)
{
    if (lhist_add(&b->hist, lat_s, packets) != 0)
        b->hist_failed = 1;
}

static void burst_free(burst_rt *b)
{
    if (!b)
        return;
    free(b->queue_s);
    free(b->queue_bytes);
    lhist_free(&b->hist);
    free(b);
}

static burst_rt *burst_new(const sim_ctx *c, size_t f)
{
    const flow_rt *fl = &c->flows[f];
    burst_rt *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    lhist_init(&b->hist);
    int n = c->cfg->sim.burst_packets;
    b->burst_bytes = n * fl->mean_pkt_bytes;
    /* packet: an elastic flow is one TCP connection (platform/packet.h) */
    if (c->cfg->sim.granularity == GRAN_PACKET)
        b->burst_bytes = fl->cfg->kind == FLOW_ELASTIC ? PACKET_NS3_MAX_XFER_BYTES
                                                       : fmin(b->burst_bytes, PACKET_NS3_MAX_BURST_BYTES);
    b->offered_Bps = fl->offered_Bps;
    b->spacing_s = b->offered_Bps > 0 ? b->burst_bytes / b->offered_Bps : INFINITY;
    b->queue_cap = BURST_RING_PACKETS / (size_t)n;
    if (b->queue_cap < 1)
        b->queue_cap = 1;
    b->queue_s = calloc(b->queue_cap, sizeof *b->queue_s);
    b->queue_bytes = calloc(b->queue_cap, sizeof *b->queue_bytes);
    if (!b->queue_s || !b->queue_bytes) {
        burst_free(b);
        return NULL;
    }
    uint64_t s = c->cfg->sim.seed ^ ((uint64_t)(f + 1) * 0xD1B54A32D192ED03ull);
    b->rng = rng_splitmix64(&s);
    if (b->rng == 0)
        b->rng = 1;
    return b;
}

static void mark_done(sim_ctx *c, size_t f)
{
    flow_mark_done(&c->flows[f], simgrid_get_clock());
    sim_request_replan(c);
}

static void send(sim_ctx *c, size_t f, double bytes)
{
    flow_rt *fl = &c->flows[f];
    fl->burst->cur_left_bytes = floor(bytes);
    if (fl->burst->cur_left_bytes < 1.0) {
        fl->burst->cur_left_bytes = 0;
        return;
    }
    double cap = fl->cfg->kind == FLOW_ELASTIC ? fl->rate_cap_Bps : 0.0;
    ledger_attach(c, f, fl->burst->cur_left_bytes, cap);
}

/* Elastic: the next burst, or done when the size is delivered. */
static void elastic_next(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    double left = fl->cfg->size_bytes - fl->delivered_bytes;
    if (left < 1.0) {
        flow_mark_completed(fl, simgrid_get_clock());
        sim_request_replan(c);
        return;
    }
    fl->burst->cur_arrival_s = simgrid_get_clock();
    send(c, f, left < fl->burst->burst_bytes ? left : fl->burst->burst_bytes);
}

/* Inelastic: sends the oldest queued burst, if any. */
static void send_head(sim_ctx *c, size_t f)
{
    burst_rt *b = c->flows[f].burst;
    if (b->queue_len == 0)
        return;
    b->cur_arrival_s = b->queue_s[b->queue_head];
    double bytes = b->queue_bytes[b->queue_head];
    b->queue_head = (b->queue_head + 1) % b->queue_cap;
    b->queue_len--;
    send(c, f, bytes);
}

/* What flow g wants of the shaper of VF endpoint ep: its offered rate
 * while it sends from ep, else nothing (maxmin_want_fn). */
typedef struct shaper_claims {
    const sim_ctx *c;
    int ep;
} shaper_claims;

static double shaper_want(const void *items, size_t g)
{
    const shaper_claims *s = items;
    const flow_rt *o = &s->c->flows[g];
    return o->src_ep == s->ep && o->phase == FLOW_ACTIVE ? o->offered_Bps : 0;
}

/* Max-min share of a shaper of cap_Bps among the sending flows of the
 * VF endpoint ep (by their offered rates) that flow f gets (util/maxmin.h,
 * as the QoS model shares a port). */
static double shaper_share(const sim_ctx *c, size_t f, int ep, double cap_Bps)
{
    shaper_claims s = {c, ep};
    maxmin_share(shaper_want, &s, c->n_flows, cap_Bps, c->share_scratch);
    return c->share_scratch[f];
}

/* Packet mode: 1 when the VF's Tx shaper lets a burst of bytes go now. */
static int shaper_admits(sim_ctx *c, size_t f, double bytes, double now)
{
    flow_rt *fl = &c->flows[f];
    burst_rt *b = fl->burst;
    int link = c->topo->endpoints[fl->src_ep].shaper_link;
    if (c->cfg->sim.granularity != GRAN_PACKET || link < 0)
        return 1;
    /* The configured max rate (the shaper link as built): the QoS model's
     * run-time re-plans (min-rate shares, token-bucket bursts, set_qos)
     * assume fluid sharing of the port, which the star does not have. */
    double cap = c->topo->links[link].bandwidth_Bps;
    double share = shaper_share(c, f, fl->src_ep, cap);
    /* Two bursts deep: a one-burst bucket would lose the fraction of a
     * burst left at each admission (at 1.5 of 2 Gb/s offered it passed
     * every second burst: 1 Gb/s). */
    b->shaper_credit_bytes += share * (now - b->shaper_last_s);
    if (b->shaper_credit_bytes > 2 * b->burst_bytes)
        b->shaper_credit_bytes = 2 * b->burst_bytes;
    b->shaper_last_s = now;
    if (b->shaper_credit_bytes < bytes * (1 - 1e-9))
        return 0;
    b->shaper_credit_bytes -= bytes;
    return 1;
}

/* Inelastic: one burst arrives now. Arrivals are a chain of timers, each
 * scheduling the next, so the pacing never depends on when a transfer
 * happens to finish. It joins the ring (dropped when the ring is full or
 * the flow paused), and goes out at once if nothing is in flight. */
static void arrival_timer(sim_ctx *c, void *arg)
{
    size_t f = (size_t)(uintptr_t)arg;
    flow_rt *fl = &c->flows[f];
    burst_rt *b = fl->burst;
    double now = simgrid_get_clock();
    if (!b || fl->phase == FLOW_DONE || now >= fl->stop_s || b->arrived_bytes >= fl->offered_bytes)
        return;
    double bytes = fmin(b->burst_bytes, fl->offered_bytes - b->arrived_bytes);
    b->arrived_bytes += bytes;
    /* The FIFO reference sees every packet the source emits while it
     * sends (its own buffers drop, not the ring). */
    if (c->pfifo && fl->phase == FLOW_ACTIVE &&
        portfifo_arrive(c, f, now, c->cfg->sim.burst_packets) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (port FIFO reference)");
        c->failed = 1;
    }
    if (fl->phase != FLOW_ACTIVE || b->queue_len == b->queue_cap ||
        !shaper_admits(c, f, bytes, now)) {
        b->bursts_dropped++;
    } else {
        size_t tail = (b->queue_head + b->queue_len) % b->queue_cap;
        b->queue_s[tail] = now;
        b->queue_bytes[tail] = bytes;
        b->queue_len++;
    }
    b->next_arrival_s += next_spacing(b, fl->cfg);
    if (b->next_arrival_s < fl->stop_s &&
        sim_schedule(c, b->next_arrival_s, arrival_timer, (void *)(uintptr_t)f) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (burst timer)");
        c->failed = 1;
    }
    if (fl->phase == FLOW_ACTIVE && !fl->xfer)
        send_head(c, f);
}

static void next(sim_ctx *c, size_t f)
{
    if (c->flows[f].cfg->kind == FLOW_ELASTIC)
        elastic_next(c, f);
    else
        send_head(c, f);
}

/* The driver's ops (driver.h); flows.c has checked the phase. */

static void burst_begin(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (!fl->burst && !(fl->burst = burst_new(c, f))) {
        snprintf(c->error, sizeof c->error, "out of memory (burst state)");
        c->failed = 1;
        return;
    }
    fl->phase = FLOW_ACTIVE;
    sim_request_replan(c);
    if (fl->cfg->kind == FLOW_ELASTIC) {
        elastic_next(c, f);
        return;
    }
    fl->burst->next_arrival_s = fl->start_s;
    if (fl->cfg->arrivals == ARRIVALS_ONOFF)  /* it starts on */
        fl->burst->on_left_s = exp_draw(fl->burst, fl->cfg->on_mean_s);
    /* A full bucket at the start, as a token bucket that has been idle. */
    fl->burst->shaper_credit_bytes = fl->burst->burst_bytes;
    fl->burst->shaper_last_s = fl->start_s;
    arrival_timer(c, (void *)(uintptr_t)f);
}

static void burst_completed(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    burst_rt *b = fl->burst;
    ledger_detach(c, f);
    b->cur_left_bytes = 0;
    b->bursts_sent++;
    hist_add(b, simgrid_get_clock() - b->cur_arrival_s + fl->prop_latency_s,
             b->burst_bytes / fl->mean_pkt_bytes);
    next(c, f);
}

/* What is queued or interrupted is lost (inelastic); counted as dropped. */
static void drop_pending(burst_rt *b)
{
    b->bursts_dropped += b->queue_len + (b->cur_left_bytes > 0);
    b->queue_len = 0;
    b->cur_left_bytes = 0;
}

static void burst_end(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    double moved = ledger_detach(c, f);
    if (fl->burst) {
        fl->burst->cur_left_bytes -= moved;
        if (fl->cfg->kind == FLOW_INELASTIC)
            drop_pending(fl->burst);
    }
    flow_clamp_delivered(fl);
    mark_done(c, f);
}

static void burst_pause(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    fl->burst->cur_left_bytes -= ledger_detach(c, f);
    if (fl->cfg->kind == FLOW_INELASTIC)
        drop_pending(fl->burst);
    fl->phase = FLOW_PAUSED;
    sim_request_replan(c);
}

static void burst_resume(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    fl->phase = FLOW_ACTIVE;
    sim_request_replan(c);
    if (fl->cfg->kind == FLOW_INELASTIC) {
        /* arrivals during the pause were dropped by arrival_timer */
    } else if (fl->burst->cur_left_bytes >= 1.0) {
        send(c, f, fl->burst->cur_left_bytes);
    } else {
        elastic_next(c, f);
    }
}

static void burst_rebind_settle(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->burst)
        fl->burst->cur_left_bytes -= ledger_detach(c, f);
}

static void burst_rebind_restart(sim_ctx *c, size_t f)
{
    flow_rt *fl = &c->flows[f];
    if (fl->xfer)
        return;
    if (fl->burst->cur_left_bytes >= 1.0)
        send(c, f, fl->burst->cur_left_bytes);
    else
        next(c, f);
    sim_request_replan(c);
}

/* Every burst transfer can finish on its own (the controller waits on
 * them all); packet mode's shaper shares need a scratch row per flow. */
static int burst_drv_init(sim_ctx *c, int user_network_cfg)
{
    (void)user_network_cfg;
    c->xfers_finish_alone = 1;
    c->share_scratch = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->share_scratch);
    if (c->cfg->sim.port_fifo && c->cfg->sim.granularity == GRAN_BURST &&
        !(c->pfifo = portfifo_new(c)))
        return -1;
    return c->share_scratch ? 0 : -1;
}

static void burst_drv_fini(sim_ctx *c)
{
    for (size_t f = 0; f < c->n_flows; f++) {
        burst_free(c->flows[f].burst);
        c->flows[f].burst = NULL;
    }
    free(c->share_scratch);
    c->share_scratch = NULL;
    portfifo_free(c->pfifo);
    c->pfifo = NULL;
}

const flow_driver burst_driver = {
    .name = "burst",
    .init = burst_drv_init,
    .fini = burst_drv_fini,
    .begin = burst_begin,
    .end = burst_end,
    .completed = burst_completed,
    .pause = burst_pause,
    .resume = burst_resume,
    .rebind_settle = burst_rebind_settle,
    .rebind_restart = burst_rebind_restart,
    /* the cap applies from the next burst; capacities reach SimGrid's
     * solver by themselves */
};

const lhist *burst_latency_hist(const burst_rt *b)
{
    if (!b || b->bursts_sent == 0 || b->hist_failed)
        return NULL;
    return &b->hist;
}
