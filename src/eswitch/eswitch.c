/* eswitch.c -- see eswitch.h. */
#include "eswitch/eswitch.h"

#include <math.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eswitch/rules.h"

typedef struct esw_flow {
    esw_verdict verdict;        /* under the current rules */
    bool has_src_mac;
    uint64_t src_mac;
    int blocked;                /* paused by this model */
    esw_verdict blocked_for;
    double blocked_since_s;
    double drop_bytes[3];       /* by verdict; [ESW_PASS] unused */
    double sampled_bytes;       /* delivered at the previous sample */
    double switched_bytes;
    double forwarded_bytes;
} esw_flow;

struct esw_state {
    vf_rules *rules;            /* per VM NIC: rules[nic_base[vm] + nic] */
    size_t *nic_base;
    esw_flow *flows;            /* [n_flows] */
};

static struct esw_state *esw_of(const sim_ctx *c)
{
    return sim_model_state(c, &eswitch_model);
}

static vf_rules *rules_of(struct esw_state *s, endpoint_ref ref)
{
    return ref.vm_idx < 0 ? NULL : &s->rules[s->nic_base[ref.vm_idx] + (size_t)ref.nic_idx];
}

static int init_rules(sim_ctx *c, struct esw_state *s)
{
    const scenario_config *cfg = c->cfg;
    size_t n = 0;
    s->nic_base = calloc(cfg->n_vms ? cfg->n_vms : 1, sizeof *s->nic_base);
    if (!s->nic_base)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        s->nic_base[v] = n;
        n += cfg->vms[v].n_nics;
    }
    s->rules = calloc(n ? n : 1, sizeof *s->rules);
    if (!s->rules)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t i = 0; i < cfg->vms[v].n_nics; i++) {
            const nic_config *nc = &cfg->vms[v].nics[i];
            vf_rules *r = &s->rules[s->nic_base[v] + i];
            if (!nc->mac || esw_parse_mac(nc->mac, &r->mac) != 0)
                r->mac = esw_assigned_mac((int)v, (int)i);
            r->vlan = nc->vlan;
            r->trust = nc->trust;
            r->spoofchk = nc->spoofchk;
        }
    return 0;
}

static esw_verdict verdict_of(const sim_ctx *c, struct esw_state *s, size_t f)
{
    const flow_config *fc = sim_flow_cfg(c, f);
    const esw_flow *ef = &s->flows[f];
    int src_is_vf = c->topo->endpoints[sim_flow_src_ep(c, f)].kind == EP_VF;
    return esw_check(rules_of(s, fc->src), src_is_vf, rules_of(s, fc->dst),
                     ef->has_src_mac, ef->src_mac);
}

static int esw_init(sim_ctx *c)
{
    struct esw_state *s = calloc(1, sizeof *s);
    if (s)
        sim_set_model_state(c, &eswitch_model, s);
    if (!s || init_rules(c, s) != 0 ||
        !(s->flows = calloc(sim_n_flows(c) ? sim_n_flows(c) : 1, sizeof *s->flows))) {
        snprintf(c->error, sizeof c->error, "eswitch: out of memory");
        return -1;
    }
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        esw_flow *ef = &s->flows[f];
        const char *mac = sim_flow_cfg(c, f)->src_mac;
        ef->has_src_mac = mac && esw_parse_mac(mac, &ef->src_mac) == 0;
        ef->verdict = verdict_of(c, s, f);
    }
    return 0;
}

/* The VF a flow's eSwitch counters belong to: its sender if a VF, else its
 * receiver; the endpoint index, or -1. */
static int counted_ep(const sim_ctx *c, size_t f)
{
    int src = sim_flow_src_ep(c, f), dst = sim_flow_dst_ep(c, f);
    if (c->topo->endpoints[src].kind == EP_VF)
        return src;
    return c->topo->endpoints[dst].kind == EP_VF ? dst : -1;
}

static int log_flow(sim_ctx *c, size_t f, const char *type, const char *why)
{
    const flow_config *fc = sim_flow_cfg(c, f);
    int ep = counted_ep(c, f);
    const topo_endpoint *e = ep >= 0 ? &c->topo->endpoints[ep] : NULL;
    char detail[200];
    snprintf(detail, sizeof detail, "flow %s (%s -> %s): %s", fc->name, fc->from, fc->to, why);
    return eventlog_add(c, simgrid_get_clock(), e ? e->host_idx : -1, e ? e->adapter_idx : -1,
                        e ? e->vf : -1, type, detail);
}

static const char *why_dropped(esw_verdict v)
{
    return v == ESW_DROP_VLAN ? "VLAN isolation (sender and receiver on different VLANs)"
                              : "spoof check (source MAC not the VF's)";
}

/* Offered while blocked: an inelastic flow's rate over the blocked time
 * (up to its planned stop); an elastic flow waits and offers nothing. */
static double blocked_bytes(const sim_ctx *c, size_t f, double from_s, double to_s)
{
    if (sim_flow_cfg(c, f)->kind != FLOW_INELASTIC)
        return 0.0;
    return sim_flow_offered_Bps(c, f) * fmax(0.0, fmin(to_s, sim_flow_stop_s(c, f)) - from_s);
}

static void settle_drops(const sim_ctx *c, size_t f, esw_flow *ef, double now)
{
    ef->drop_bytes[ef->blocked_for] += blocked_bytes(c, f, ef->blocked_since_s, now);
    ef->blocked_since_s = now;
}

static int block(sim_ctx *c, struct esw_state *s, size_t f)
{
    esw_flow *ef = &s->flows[f];
    flow_pause(c, f);
    ef->blocked = 1;
    ef->blocked_for = ef->verdict;
    ef->blocked_since_s = simgrid_get_clock();
    return log_flow(c, f, "esw_drop", why_dropped(ef->verdict));
}

static int unblock(sim_ctx *c, struct esw_state *s, size_t f)
{
    esw_flow *ef = &s->flows[f];
    settle_drops(c, f, ef, simgrid_get_clock());
    ef->blocked = 0;
    flow_resume(c, f);
    return log_flow(c, f, "esw_pass", "the rules let it pass again");
}

/* Flows that started since the last replan meet the rules here. Walks the
 * active list backwards: a pause moves the last entry into the freed slot. */
static void esw_replan(sim_ctx *c)
{
    struct esw_state *s = esw_of(c);
    if (!s)
        return;
    for (size_t i = sim_n_active(c); i-- > 0;) {
        size_t f = sim_active_flow(c, i);
        if (f >= sim_n_flows(c)) /* a workload's flow: not ours (spawn.h) */
            continue;
        if (s->flows[f].verdict != ESW_PASS && block(c, s, f) != 0)
            sim_fail(c);
    }
}

/* A flow the rules drop is blocked the moment it starts. */
static void esw_flow_started(sim_ctx *c, size_t f)
{
    struct esw_state *s = esw_of(c);
    if (s && sim_flow_phase(c, f) == FLOW_ACTIVE && s->flows[f].verdict != ESW_PASS &&
        block(c, s, f) != 0)
        sim_fail(c);
}

static int esw_supports(event_type_t type)
{
    return type == EV_SET_VF;
}

static void change_rules(vf_rules *r, const event_config *ev)
{
    uint64_t mac;
    if (ev->detail && esw_parse_mac(ev->detail, &mac) == 0)
        r->mac = mac;
    if (ev->vf_rules.vlan >= 0)
        r->vlan = ev->vf_rules.vlan;
    if (ev->vf_rules.trust >= 0)
        r->trust = ev->vf_rules.trust;
    if (ev->vf_rules.spoofchk >= 0)
        r->spoofchk = ev->vf_rules.spoofchk;
}

/* Every flow meets the new rules now. */
static int reapply(sim_ctx *c, struct esw_state *s)
{
    int rc = 0;
    double now = simgrid_get_clock();
    for (size_t f = 0; f < sim_n_flows(c) && rc == 0; f++) {
        esw_flow *ef = &s->flows[f];
        ef->verdict = verdict_of(c, s, f);
        if (ef->blocked && ef->verdict == ESW_PASS) {
            rc = unblock(c, s, f);
        } else if (ef->blocked && ef->verdict != ef->blocked_for) {
            settle_drops(c, f, ef, now);
            ef->blocked_for = ef->verdict;
        } else if (!ef->blocked && ef->verdict != ESW_PASS && sim_flow_phase(c, f) == FLOW_ACTIVE) {
            rc = block(c, s, f);
        }
    }
    return rc;
}

static int esw_handle(sim_ctx *c, const event_config *ev)
{
    struct esw_state *s = esw_of(c);
    vf_rules *r = rules_of(s, ev->nic);
    change_rules(r, ev);
    int ep = sim_nic_endpoint(c, ev->nic); /* where a migration put it */
    const topo_endpoint *e = &c->topo->endpoints[ep];
    char mac[18], detail[160];
    esw_format_mac(r->mac, mac);
    snprintf(detail, sizeof detail, "mac=%s vlan=%d trust=%s spoofchk=%s", mac, r->vlan,
             r->trust ? "on" : "off", r->spoofchk ? "on" : "off");
    if (eventlog_add(c, simgrid_get_clock(), e->host_idx, e->adapter_idx, e->vf, "vf_set",
                     detail) != 0)
        return -1;
    return reapply(c, s);
}

/* Where a flow's bytes went: through the eSwitch (VEB) or out on a wire. */
static void classify(const sim_ctx *c, size_t f, esw_flow *ef, double bytes)
{
    if (bytes <= 0 || c->topo->endpoints[sim_flow_src_ep(c, f)].kind != EP_VF)
        return;
    for (size_t h = 0; h < sim_flow_n_hops(c, f); h++) {
        link_kind_t k = c->topo->links[sim_dlink_topo_link(c, sim_flow_hop(c, f, h))].kind;
        if (k == LK_ESWITCH) {
            ef->switched_bytes += bytes;
            return;
        }
    }
    ef->forwarded_bytes += bytes;
}

static void account(const sim_ctx *c, struct esw_state *s)
{
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        esw_flow *ef = &s->flows[f];
        double now_bytes = sim_flow_delivered_now(c, f);
        classify(c, f, ef, now_bytes - ef->sampled_bytes);
        ef->sampled_bytes = now_bytes;
    }
}

static void esw_sample(sim_ctx *c, size_t k, double dt_s)
{
    (void)k;
    (void)dt_s;
    struct esw_state *s = esw_of(c);
    if (s)
        account(c, s);
}

typedef struct esw_counts {
    double switched, forwarded, vlan_bytes, vlan_pkts, spoof_bytes, spoof_pkts;
} esw_counts;

static void add_flow_counts(const sim_ctx *c, size_t f, esw_flow *ef, esw_counts *n)
{
    double pkt = sim_flow_mean_pkt_bytes(c, f);
    if (ef->blocked) {
        double end = sim_flow_end_s(c, f);
        double until = isnan(end) ? c->cfg->sim.duration_s : end;
        ef->drop_bytes[ef->blocked_for] += blocked_bytes(c, f, ef->blocked_since_s, until);
        ef->blocked = 0;
    }
    n->switched += ef->switched_bytes;
    n->forwarded += ef->forwarded_bytes;
    n->vlan_bytes += ef->drop_bytes[ESW_DROP_VLAN];
    n->vlan_pkts += ef->drop_bytes[ESW_DROP_VLAN] / pkt;
    n->spoof_bytes += ef->drop_bytes[ESW_DROP_SPOOF];
    n->spoof_pkts += ef->drop_bytes[ESW_DROP_SPOOF] / pkt;
}

static void put_vf(vf_result *v, const esw_counts *n)
{
    v->switched_bytes += n->switched;
    v->forwarded_bytes += n->forwarded;
    v->drop_vlan_bytes += n->vlan_bytes;
    v->drop_vlan_packets += llround(n->vlan_pkts);
    v->drop_spoof_bytes += n->spoof_bytes;
    v->drop_spoof_packets += llround(n->spoof_pkts);
}

/* One adapter port's eSwitch counters (/ports): traffic its VFs sent, by
 * what the eSwitch did with it. */
typedef struct port_result {
    char *name;                 /* "h1.nic0.p0", as its wire link */
    char *host;
    char *adapter;
    int32_t port;
    double switched_bytes;      /* VF<->VF inside the adapter (VEB) */
    double forwarded_bytes;     /* from its VFs to the wire */
    int64_t drop_vlan_packets;
    double drop_vlan_bytes;
    int64_t drop_spoof_packets;
    double drop_spoof_bytes;
} port_result;

static const results_column port_cols[] = {
    RESULTS_STR(port_result, name),
    RESULTS_STR(port_result, host),
    RESULTS_STR(port_result, adapter),
    RESULTS_I32(port_result, port, "index"),
    RESULTS_F64(port_result, switched_bytes, "bytes"),
    RESULTS_F64(port_result, forwarded_bytes, "bytes"),
    RESULTS_I64(port_result, drop_vlan_packets, "packets"),
    RESULTS_F64(port_result, drop_vlan_bytes, "bytes"),
    RESULTS_I64(port_result, drop_spoof_packets, "packets"),
    RESULTS_F64(port_result, drop_spoof_bytes, "bytes"),
};
static const results_schema ports_schema = RESULTS_SCHEMA("ports", port_result, port_cols);

static void put_port(port_result *p, const vf_result *v)
{
    p->switched_bytes += v->switched_bytes;
    p->forwarded_bytes += v->forwarded_bytes;
    p->drop_vlan_bytes += v->drop_vlan_bytes;
    p->drop_vlan_packets += v->drop_vlan_packets;
    p->drop_spoof_bytes += v->drop_spoof_bytes;
    p->drop_spoof_packets += v->drop_spoof_packets;
}

/* One row per adapter port, in host and adapter order; base[adapter row]
 * is the row of its port 0. *out: the rows. */
static int make_ports(const sim_ctx *c, run_results *r, size_t *base, port_result **out)
{
    const scenario_config *cfg = c->cfg;
    size_t n = 0, row = 0;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++) {
            base[row++] = n;
            n += (size_t)cfg->hosts[h].adapters[a].ports;
        }
    port_result *ports = *out = results_table_add(&r->reg, &ports_schema, n);
    if (!ports)
        return -1;
    for (size_t h = 0, i = 0; h < cfg->n_hosts; h++)
        for (size_t a = 0; a < cfg->hosts[h].n_adapters; a++)
            for (int p = 0; p < cfg->hosts[h].adapters[a].ports; p++, i++) {
                port_result *pr = &ports[i];
                char name[256];
                snprintf(name, sizeof name, "%s.%s.p%d", cfg->hosts[h].name,
                         cfg->hosts[h].adapters[a].name, p);
                pr->name = strdup(name);
                pr->host = strdup(cfg->hosts[h].name);
                pr->adapter = strdup(cfg->hosts[h].adapters[a].name);
                pr->port = p;
                if (!pr->name || !pr->host || !pr->adapter)
                    return -1;
            }
    return 0;
}

static int esw_collect(const sim_ctx *c, run_results *r)
{
    struct esw_state *s = esw_of(c);
    if (!s)
        return 0;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        int ep = counted_ep(c, f);
        /* a copy: the run's state stays as it was */
        esw_flow ef = s->flows[f];
        classify(c, f, &ef, sim_flow_delivered_now(c, f) - ef.sampled_bytes);
        esw_counts n = {0};
        add_flow_counts(c, f, &ef, &n);
        if (ep >= 0)
            put_vf(&r->vfs[c->topo->endpoints[ep].vf_row], &n);
    }
    size_t n_rows = 0;
    for (size_t h = 0; h < c->cfg->n_hosts; h++)
        n_rows += c->cfg->hosts[h].n_adapters;
    size_t *base = calloc(n_rows ? n_rows : 1, sizeof *base);
    port_result *ports = NULL;
    int rc = base ? make_ports(c, r, base, &ports) : -1;
    for (size_t v = 0; rc == 0 && v < c->topo->n_vfs; v++) {
        const topo_vf *tv = &c->topo->vfs[v];
        const topo_endpoint *e = &c->topo->endpoints[tv->endpoint];
        size_t row = (size_t)(c->topo->host_adapter_row[tv->host_idx] + tv->adapter_idx);
        put_port(&ports[base[row] + (size_t)e->port], &r->vfs[v]);
    }
    free(base);
    return rc;
}

static void esw_fini(sim_ctx *c)
{
    struct esw_state *s = esw_of(c);
    if (!s)
        return;
    free(s->rules);
    free(s->nic_base);
    free(s->flows);
    free(s);
    sim_set_model_state(c, &eswitch_model, NULL);
}

const sim_model_ops eswitch_model = {
    .name = "eswitch",
    .init = esw_init,
    .supports_event = esw_supports,
    .handle_event = esw_handle,
    .replan = esw_replan,
    .flow_started = esw_flow_started,
    .sample = esw_sample,
    .collect = esw_collect,
    .fini = esw_fini,
};
