/* shaper.c -- see shaper.h. */
#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>

#include "qos/alloc.h"
#include "qos/bucket.h"
#include "qos/shaper.h"
#include "scenario/ether.h"

/* SimGrid needs a positive capacity; a VF squeezed to nothing gets this. */
#define SHAPER_FLOOR_Bps 1.0
/* Tokens below this fraction of the depth, or a burst shorter than this,
 * are not worth a burst (and keep timers above SimGrid's time accuracy). */
#define BURST_MIN_TOKENS_FRACTION 1e-3
#define BURST_MIN_S 1e-6

typedef struct vf_qos {
    int ep;                     /* topo endpoint */
    int shaper_link;            /* topo link */
    size_t port;                /* index in shaper_state.ports */
    double max_Bps;             /* 0 = uncapped */
    double min_Bps;
    token_bucket tb;            /* meaningful when max_Bps > 0 */
    int bursting;
    double burst_end_s;
    double peak_Bps;            /* the shaper during a burst */
    double demand_Bps;          /* scratch: offered by its active flows */
    double sent_bytes;          /* scratch: delivered by its flows so far */
    double applied_Bps;         /* last capacity given to SimGrid */
    int group;                  /* index in shaper_state.groups: its host's
                                   host_max_rate on a multi-host adapter; -1 */
    double port_w, all_w;       /* scratch (measure): its flows' weights, those
                                   crossing the host's cap and all */
} vf_qos;

typedef struct port_qos {
    int host_idx, adapter_idx, port;
    double line_Bps;
    size_t first, n;            /* its VFs: vfs[first .. first + n) */
    /* measure(): its shaped VFs' active flows' demand and demand x line
     * bytes per frame byte (scenario/ether.h), so the frame bytes/s the
     * port carries for them: line_Bps x w / wk (line_Bps without flows) */
    double w, wk;
    int capped;                 /* some VF's host has a host_max_rate */
} port_qos;

/* A host's cap on a multi-host adapter (topo LK_HOST_SHARE link): the
 * planner shares the port under it too (qos_allocate_grouped). */
typedef struct host_cap {
    int link;                   /* topo link */
    int host_idx, adapter_idx;
    int logged;                 /* its over-commitment is in the event log */
} host_cap;

struct shaper_state {
    vf_qos *vfs;                /* grouped by port */
    size_t n_vfs;
    port_qos *ports;
    size_t n_ports;
    int *vf_of_ep;              /* [topo endpoint] index in vfs, -1 */
    qos_claim *claims;          /* scratch, [n_vfs] */
    double *alloc;              /* scratch, [n_vfs] */
    qos_member *members;        /* scratch, [n_vfs] */
    host_cap *caps;             /* [n_groups] */
    qos_group *groups;          /* [n_groups], cap_Bps set at init */
    size_t n_groups;
    /* The QoS belongs to the VM NIC (as a port's policy does to an
     * orchestrator) and follows it to the VF a live migration plugs it
     * into (shaper_nic_moved); set_qos acts on the VF the NIC holds then
     * (sim_nic_endpoint). */
    size_t *nic_base;           /* [vm] first row of its NICs below */
    qos_config *nic_qos;        /* [nic row] settings now, events applied */
    /* [config flow] delivered bytes when the flow arrived on the VF it
     * leaves by now (0 until a migration moves it): a VF's bucket counts
     * only the bytes sent through it. */
    double *flow_base;
};

static struct shaper_state *shaper_of(const sim_ctx *c)
{
    return sim_model_state(c, &qos_shaper_model);
}

static double rate_Bps(double bps)
{
    return bps > 0 ? bps / 8.0 : 0.0;
}

static int shaped_vf(const topo_endpoint *ep)
{
    return ep->kind == EP_VF && ep->shaper_link >= 0;
}

/* Shaped VFs grouped by port, ports in order of their first VF, endpoint
 * order inside a port: a counting sort keyed by the port's link, so
 * O(endpoints + links) (scanning the endpoints once per port was quadratic
 * at pod scale). port_of_link is scratch [topo link]. */
static void group_by_port(sim_ctx *c, struct shaper_state *s, int *port_of_link)
{
    const topo *t = c->topo;
    for (size_t e = 0; e < t->n_endpoints; e++) {
        const topo_endpoint *ep = &t->endpoints[e];
        if (!shaped_vf(ep))
            continue;
        int link = topo_port_link(t, ep->host_idx, ep->adapter_idx, ep->port);
        if (port_of_link[link] < 0) {
            port_of_link[link] = (int)s->n_ports;
            s->ports[s->n_ports++] = (port_qos){ep->host_idx, ep->adapter_idx, ep->port,
                                                t->links[link].bandwidth_Bps, 0, 0, 0, 0, 0};
        }
        s->ports[port_of_link[link]].n++;
    }
    for (size_t p = 0, first = 0; p < s->n_ports; p++) {
        s->ports[p].first = first;
        first += s->ports[p].n;
        s->ports[p].n = 0;
    }
    for (size_t e = 0; e < t->n_endpoints; e++) {
        const topo_endpoint *ep = &t->endpoints[e];
        if (!shaped_vf(ep))
            continue;
        size_t p = (size_t)port_of_link[topo_port_link(t, ep->host_idx, ep->adapter_idx, ep->port)];
        size_t at = s->ports[p].first + s->ports[p].n++;
        s->vf_of_ep[e] = (int)at;
        s->vfs[at] = (vf_qos){.ep = (int)e, .shaper_link = ep->shaper_link, .port = p,
                              .applied_Bps = t->links[ep->shaper_link].bandwidth_Bps};
    }
    s->n_vfs = s->n_ports ? s->ports[s->n_ports - 1].first + s->ports[s->n_ports - 1].n : 0;
}

static int collect_vfs(sim_ctx *c, struct shaper_state *s)
{
    const topo *t = c->topo;
    s->vfs = calloc(t->n_endpoints ? t->n_endpoints : 1, sizeof *s->vfs);
    s->ports = calloc(t->n_endpoints ? t->n_endpoints : 1, sizeof *s->ports);
    s->vf_of_ep = malloc((t->n_endpoints ? t->n_endpoints : 1) * sizeof *s->vf_of_ep);
    int *port_of_link = malloc((t->n_links ? t->n_links : 1) * sizeof *port_of_link);
    if (!s->vfs || !s->ports || !s->vf_of_ep || !port_of_link) {
        free(port_of_link);
        return -1;
    }
    for (size_t e = 0; e < t->n_endpoints; e++)
        s->vf_of_ep[e] = -1;
    for (size_t l = 0; l < t->n_links; l++)
        port_of_link[l] = -1;
    group_by_port(c, s, port_of_link);
    free(port_of_link);
    return 0;
}

/* The host caps (host_max_rate) of the shaped VFs' hosts, one group per
 * capped host and adapter, and the ports they touch. */
static int assign_host_caps(sim_ctx *c, struct shaper_state *s)
{
    const topo *t = c->topo;
    s->caps = calloc(s->n_vfs ? s->n_vfs : 1, sizeof *s->caps);
    s->groups = calloc(s->n_vfs ? s->n_vfs : 1, sizeof *s->groups);
    s->members = calloc(s->n_vfs ? s->n_vfs : 1, sizeof *s->members);
    if (!s->caps || !s->groups || !s->members)
        return -1;
    for (size_t i = 0; i < s->n_vfs; i++) {
        vf_qos *v = &s->vfs[i];
        const topo_endpoint *ep = &t->endpoints[v->ep];
        int link = topo_host_share_link(t, ep->host_idx, ep->adapter_idx);
        v->group = -1;
        if (link < 0)
            continue;
        size_t g = 0;
        while (g < s->n_groups && s->caps[g].link != link)
            g++;
        if (g == s->n_groups) {
            s->caps[g] = (host_cap){link, ep->host_idx, ep->adapter_idx, 0};
            s->groups[g].cap_Bps = t->links[link].bandwidth_Bps;
            s->n_groups++;
        }
        v->group = (int)g;
        s->ports[v->port].capped = 1;
    }
    return 0;
}

static void init_vf(sim_ctx *c, vf_qos *v)
{
    const topo_vf *tv = &c->topo->vfs[c->topo->endpoints[v->ep].vf_row];
    if (tv->vm_idx < 0)
        return;
    const qos_config *q = &c->cfg->vms[tv->vm_idx].nics[tv->nic_idx].qos;
    v->max_Bps = rate_Bps(q->max_rate_bps);
    v->min_Bps = rate_Bps(q->min_rate_bps);
    tb_init(&v->tb, v->max_Bps, q->burst_bytes, 0.0, 0.0);
}

/* Per VM NIC: its settings now (set_qos events merged in). */
static int init_nics(sim_ctx *c, struct shaper_state *s)
{
    const scenario_config *cfg = c->cfg;
    size_t rows = 0;
    s->nic_base = malloc((cfg->n_vms ? cfg->n_vms : 1) * sizeof *s->nic_base);
    if (!s->nic_base)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        s->nic_base[v] = rows;
        rows += cfg->vms[v].n_nics;
    }
    s->nic_qos = malloc((rows ? rows : 1) * sizeof *s->nic_qos);
    s->flow_base = calloc(sim_n_flows(c) ? sim_n_flows(c) : 1, sizeof *s->flow_base);
    if (!s->nic_qos || !s->flow_base)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            s->nic_qos[s->nic_base[v] + n] = cfg->vms[v].nics[n].qos;
    return 0;
}

static int shaper_init(sim_ctx *c)
{
    struct shaper_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(c->error, sizeof c->error, "qos: out of memory");
        return -1;
    }
    sim_set_model_state(c, &qos_shaper_model, s);
    if (collect_vfs(c, s) != 0) {
        snprintf(c->error, sizeof c->error, "qos: out of memory");
        return -1;
    }
    s->claims = calloc(s->n_vfs ? s->n_vfs : 1, sizeof *s->claims);
    s->alloc = calloc(s->n_vfs ? s->n_vfs : 1, sizeof *s->alloc);
    if (!s->claims || !s->alloc) {
        snprintf(c->error, sizeof c->error, "qos: out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->n_vfs; i++)
        init_vf(c, &s->vfs[i]);
    if (assign_host_caps(c, s) != 0 || init_nics(c, s) != 0) {
        snprintf(c->error, sizeof c->error, "qos: out of memory");
        return -1;
    }
    return 0;
}

/* A flow of a VF on a capped host: its weight counts toward the VF's
 * charge on the cap when its route crosses the host's cap link (to the
 * port), not when the shared eSwitch switches it to another host's VF. */
static void weigh_capped(const sim_ctx *c, const struct shaper_state *s, vf_qos *v, size_t f,
                         double w)
{
    int link = s->caps[v->group].link;
    v->all_w += w;
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++)
        if (sim_dlink_topo_link(c, sim_flow_hop(c, f, h)) == link) {
            v->port_w += w;
            return;
        }
}

/* Demand (offered rates of active flows; elastic without a cap is
 * unbounded) and bytes sent so far, per shaped VF. */
static void measure(sim_ctx *c, struct shaper_state *s)
{
    for (size_t i = 0; i < s->n_vfs; i++) {
        s->vfs[i].demand_Bps = 0;
        s->vfs[i].sent_bytes = 0;
        s->vfs[i].port_w = s->vfs[i].all_w = 0;
    }
    for (size_t p = 0; p < s->n_ports; p++)
        s->ports[p].w = s->ports[p].wk = 0;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        int v = s->vf_of_ep[sim_flow_src_ep(c, f)];
        if (v < 0)
            continue;
        s->vfs[v].sent_bytes += sim_flow_delivered_now(c, f) - s->flow_base[f];
        if (sim_flow_phase(c, f) != FLOW_ACTIVE)
            continue;
        double offered = sim_flow_offered_Bps(c, f);
        s->vfs[v].demand_Bps += offered > 0 ? offered : INFINITY;
        double frame = sim_flow_mean_pkt_bytes(c, f), w = offered > 0 ? offered : 1e12;
        port_qos *port = &s->ports[s->vfs[v].port];
        port->w += w;
        port->wk += w * eth_wire_bytes(frame) / frame;
        if (s->vfs[v].group >= 0)
            weigh_capped(c, s, &s->vfs[v], f, w);
    }
}

/* Frame bytes/s port p carries for its shaped VFs' flows (measure()). */
static double frame_Bps(const port_qos *p)
{
    return p->wk > 0 ? p->line_Bps * p->w / p->wk : p->line_Bps;
}

static void burst_timer(sim_ctx *c, void *arg);

/* Starts, extends or ends the VF's burst. Tokens were settled just now. */
static void update_burst(sim_ctx *c, vf_qos *v, double line_Bps, double now)
{
    if (v->max_Bps <= 0 || v->tb.depth_bytes <= 0 || v->demand_Bps <= 0) {
        v->bursting = 0;
        return;
    }
    double peak = fmin(line_Bps, v->demand_Bps);
    double dur = tb_burst_s(&v->tb, peak);
    /* With rate_epoch > 0 a burst shorter than an epoch is not resolved:
     * its timer would cost a solver pass at an arbitrary time, which the
     * epoch exists to avoid, for at most one bucket of bytes per idle
     * period (docs/qos-eswitch.md). */
    double shortest = fmax(BURST_MIN_S, c->cfg->sim.rate_epoch_s);
    if (v->tb.tokens_bytes < BURST_MIN_TOKENS_FRACTION * v->tb.depth_bytes || dur < shortest) {
        v->bursting = 0;
        return;
    }
    double end = now + dur;
    /* A burst already running keeps its end unless the new peak drains the
     * tokens sooner: the timer then re-settles and may extend it. */
    if (v->bursting && end >= v->burst_end_s && now < v->burst_end_s)
        end = v->burst_end_s;
    else if (sim_schedule(c, end, burst_timer, v) != 0)
        return;
    v->bursting = 1;
    v->burst_end_s = end;
    v->peak_Bps = peak;
}

static double cap_of(const vf_qos *v)
{
    if (v->max_Bps <= 0)
        return INFINITY;
    return v->bursting ? v->peak_Bps : v->max_Bps;
}

static void apply(sim_ctx *c, vf_qos *v, double Bps)
{
    if (!isfinite(Bps) || Bps > TOPO_UNCAPPED_Bps)
        Bps = TOPO_UNCAPPED_Bps;
    if (Bps < SHAPER_FLOOR_Bps)
        Bps = SHAPER_FLOOR_Bps;
    if (Bps == v->applied_Bps)
        return;
    v->applied_Bps = Bps;
    sim_set_link_Bps(c, v->shaper_link, Bps);
}

/* An over-committed host (its VFs' minimums above its host_max_rate, which
 * only a live migration onto it can cause: refused at load otherwise) gets
 * one event-log row when it starts, one when it ends. */
static void log_overcommit(sim_ctx *c, struct shaper_state *s, const port_qos *p)
{
    for (size_t i = p->first; i < p->first + p->n; i++) {
        int g = s->vfs[i].group;
        if (g < 0 || s->groups[g].overcommitted == s->caps[g].logged)
            continue;
        host_cap *h = &s->caps[g];
        h->logged = s->groups[g].overcommitted;
        char detail[160];
        snprintf(detail, sizeof detail, h->logged ? "VF min_tx_rate sum exceeds host_max_rate "
                 "%.0f bps: minimums scaled down in proportion" : "VF min_tx_rate sum within "
                 "host_max_rate %.0f bps again", s->groups[g].cap_Bps * 8.0);
        eventlog_add(c, simgrid_get_clock(), h->host_idx, h->adapter_idx, -1,
                     "qos_host_overcommit", detail);
    }
}

/* A port with VFs of capped hosts: shared under the port and the caps. */
static int plan_capped(sim_ctx *c, struct shaper_state *s, const port_qos *p)
{
    for (size_t i = p->first; i < p->first + p->n; i++) {
        const vf_qos *v = &s->vfs[i];
        double charge = v->all_w > 0 ? v->port_w / v->all_w : 1.0;
        s->members[i] = (qos_member){v->group, charge};
    }
    int contended = qos_allocate_grouped(s->claims + p->first, s->members + p->first, p->n,
                                         frame_Bps(p), s->groups, s->n_groups,
                                         s->alloc + p->first);
    log_overcommit(c, s, p);
    return contended;
}

static void plan_port(sim_ctx *c, struct shaper_state *s, const port_qos *p)
{
    int has_min = 0;
    for (size_t i = p->first; i < p->first + p->n; i++) {
        vf_qos *v = &s->vfs[i];
        has_min |= v->min_Bps > 0;
        s->claims[i] = (qos_claim){v->demand_Bps, v->min_Bps, cap_of(v)};
    }
    int contended = 0;
    if (has_min && p->capped)
        contended = plan_capped(c, s, p);
    else if (has_min)
        contended = qos_allocate(s->claims + p->first, p->n, frame_Bps(p), s->alloc + p->first);
    for (size_t i = p->first; i < p->first + p->n; i++)
        apply(c, &s->vfs[i], contended ? s->alloc[i] : cap_of(&s->vfs[i]));
}

static void recompute(sim_ctx *c, struct shaper_state *s)
{
    double now = simgrid_get_clock();
    measure(c, s);
    for (size_t i = 0; i < s->n_vfs; i++) {
        vf_qos *v = &s->vfs[i];
        if (v->max_Bps > 0)
            tb_settle(&v->tb, now, v->sent_bytes);
        update_burst(c, v, frame_Bps(&s->ports[v->port]), now);
    }
    for (size_t p = 0; p < s->n_ports; p++)
        plan_port(c, s, &s->ports[p]);
    /* a shaper that went up reaches the transfers under it (capacity.h) */
    sim_capacity_restart_raised(c);
}

/* A burst's planned end: settle and decide again (a timer superseded by a
 * later plan finds burst_end_s moved and does nothing). */
static void burst_timer(sim_ctx *c, void *arg)
{
    vf_qos *v = arg;
    double now = simgrid_get_clock();
    if (!v->bursting || now < v->burst_end_s - 1e-12 || now > v->burst_end_s + 1e-12)
        return;
    v->bursting = 0;
    recompute(c, shaper_of(c));
}

static void shaper_replan(sim_ctx *c)
{
    struct shaper_state *s = shaper_of(c);
    if (s)
        recompute(c, s);
}

static int shaper_supports(event_type_t type)
{
    return type == EV_SET_QOS;
}

/* New settings take effect now: the bucket is settled at the old rate
 * first; a newly capped VF starts with a full bucket. */
static void set_vf_qos(sim_ctx *c, struct shaper_state *s, vf_qos *v, const qos_config *q)
{
    double now = simgrid_get_clock();
    measure(c, s);
    if (v->max_Bps > 0)
        tb_settle(&v->tb, now, v->sent_bytes);
    double depth = q->burst_bytes >= 0 ? q->burst_bytes : v->tb.depth_bytes;
    if (q->max_rate_bps >= 0) {
        if (v->max_Bps <= 0)
            tb_init(&v->tb, rate_Bps(q->max_rate_bps), depth, now, v->sent_bytes);
        v->max_Bps = rate_Bps(q->max_rate_bps);
        v->tb.rate_Bps = v->max_Bps;
    }
    v->tb.depth_bytes = depth;
    v->tb.tokens_bytes = fmin(v->tb.tokens_bytes, depth);
    if (q->min_rate_bps >= 0)
        v->min_Bps = rate_Bps(q->min_rate_bps);
    v->bursting = 0;
}

/* The NIC's settings after an event's fields (< 0: unchanged). */
static void merge_qos(qos_config *q, const qos_config *ev)
{
    if (ev->max_rate_bps >= 0)
        q->max_rate_bps = ev->max_rate_bps;
    if (ev->min_rate_bps >= 0)
        q->min_rate_bps = ev->min_rate_bps;
    if (ev->burst_bytes >= 0)
        q->burst_bytes = ev->burst_bytes;
}

/* A NIC moved (live migration: VF -> standby virtio -> a destination VF).
 * The VF it leaves goes back to no QoS (free, no flows); the VF it enters
 * gets the NIC's settings with a full bucket, and its flows' bytes count
 * from now on (flow_base). Called before the flows are rebound, at the
 * same simulated instant. */
static void shaper_nic_moved(sim_ctx *c, endpoint_ref nic, int from_ep, int to_ep)
{
    struct shaper_state *s = shaper_of(c);
    if (!s || nic.vm_idx < 0)
        return;
    size_t row = s->nic_base[nic.vm_idx] + (size_t)nic.nic_idx;
    const qos_config none = {0, 0, 0};
    if (from_ep >= 0 && s->vf_of_ep[from_ep] >= 0) {
        vf_qos *v = &s->vfs[s->vf_of_ep[from_ep]];
        set_vf_qos(c, s, v, &none); /* settles its bucket first */
        v->tb.tokens_bytes = 0;
    }
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        const flow_config *fc = sim_flow_cfg(c, f);
        if (fc->src.vm_idx == nic.vm_idx && fc->src.nic_idx == nic.nic_idx)
            s->flow_base[f] = sim_flow_delivered_now(c, f);
    }
    if (to_ep >= 0 && s->vf_of_ep[to_ep] >= 0) {
        vf_qos *v = &s->vfs[s->vf_of_ep[to_ep]];
        v->max_Bps = 0; /* a fresh bucket: full, as for a VF capped anew */
        set_vf_qos(c, s, v, &s->nic_qos[row]);
    }
    recompute(c, s);
}

static int shaper_handle(sim_ctx *c, const event_config *ev)
{
    struct shaper_state *s = shaper_of(c);
    size_t row = s->nic_base[ev->nic.vm_idx] + (size_t)ev->nic.nic_idx;
    merge_qos(&s->nic_qos[row], &ev->qos);
    int ep = sim_nic_endpoint(c, ev->nic);
    const topo_endpoint *e = &c->topo->endpoints[ep];
    if (s->vf_of_ep[ep] >= 0) {
        set_vf_qos(c, s, &s->vfs[s->vf_of_ep[ep]], &ev->qos);
        recompute(c, s);
    }
    char detail[160];
    snprintf(detail, sizeof detail, "max_tx_rate=%.0f bps min_tx_rate=%.0f bps burst=%.0f B",
             ev->qos.max_rate_bps, ev->qos.min_rate_bps, ev->qos.burst_bytes);
    return eventlog_add(c, simgrid_get_clock(), e->host_idx, e->adapter_idx, e->vf, "qos_set",
                        detail);
}

static void shaper_fini(sim_ctx *c)
{
    struct shaper_state *s = shaper_of(c);
    if (!s)
        return;
    free(s->vfs);
    free(s->ports);
    free(s->vf_of_ep);
    free(s->nic_base);
    free(s->nic_qos);
    free(s->flow_base);
    free(s->claims);
    free(s->alloc);
    free(s->members);
    free(s->caps);
    free(s->groups);
    free(s);
    sim_set_model_state(c, &qos_shaper_model, NULL);
}

const sim_model_ops qos_shaper_model = {
    .name = "qos-shaper",
    .init = shaper_init,
    .supports_event = shaper_supports,
    .handle_event = shaper_handle,
    .replan = shaper_replan,
    .nic_moved = shaper_nic_moved,
    .fini = shaper_fini,
};
