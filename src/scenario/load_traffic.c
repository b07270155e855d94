/* load_traffic.c -- the traffic section: flows between VM NICs (or the
 * external endpoint), their kind, rate or size, packet sizes, start and
 * duration within the simulation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

/* Ethernet frames: 64B minimum; 9216B covers every jumbo setting in use. */
static int check_packet_size(loader *L, const ynode *at, double size)
{
    if (size >= 64 && size <= 9216)
        return 0;
    ynode_error(L->d, at, "use a frame size from 64B to 9216B",
                "packet size '%s' is not an Ethernet frame size", at->text);
    return -1;
}

static void set_imix(flow_config *f)
{
    /* simple IMIX, by packet count: 7 x 64B, 4 x 594B, 1 x 1518B */
    static const pkt_size imix[] = {{64, 7}, {594, 4}, {1518, 1}};
    f->pkt_sizes = sc_xcalloc(3, sizeof *f->pkt_sizes);
    memcpy(f->pkt_sizes, imix, sizeof imix);
    f->n_pkt_sizes = 3;
}

static int load_size_mix(loader *L, flow_config *f, const ynode *mix)
{
    static const char *const keys[] = {"size", "weight", NULL};
    if (mix->kind == YNODE_SCALAR && strcmp(mix->text, "imix") == 0) {
        set_imix(f);
        return 0;
    }
    if (mix->kind != YNODE_SEQ || mix->n == 0) {
        ynode_error(L->d, mix, "write imix, or a list like [{size: 64B, weight: 7}, ...]",
                    "expected imix or a non-empty list of {size, weight} for 'packet_sizes'");
        return -1;
    }
    f->pkt_sizes = sc_xcalloc(mix->n, sizeof *f->pkt_sizes);
    int errors = 0;
    for (size_t i = 0; i < mix->n; i++) {
        const ynode *item = mix->items[i];
        pkt_size *p = &f->pkt_sizes[f->n_pkt_sizes++];
        if (ld_item_map(L, item, keys, "packet_sizes") || ld_require(L, item, "size", "packet_sizes") ||
            ld_require(L, item, "weight", "packet_sizes")) {
            errors++;
            continue;
        }
        if (yget_quantity(L->d, item, "size", UNIT_SIZE, true, &p->size_bytes) < 0 ||
            check_packet_size(L, ynode_get(item, "size"), p->size_bytes))
            errors++;
        if (yget_number(L->d, item, "weight", 0, 1e9, &p->weight) < 0) {
            errors++;
        } else if (!(p->weight > 0)) {
            ynode_error(L->d, ynode_get(item, "weight"), NULL, "weight must be greater than zero");
            errors++;
        }
    }
    return errors ? -1 : 0;
}

static int load_packet_sizes(loader *L, flow_config *f, const ynode *map)
{
    const ynode *one = ynode_get(map, "packet_size");
    const ynode *mix = ynode_get(map, "packet_sizes");
    if (one && mix) {
        ynode_error(L->d, mix, "keep one of them", "give 'packet_size' or 'packet_sizes', not both");
        return -1;
    }
    if (mix) {
        if (load_size_mix(L, f, mix))
            return -1;
    } else {
        double size = 1500;
        if (yget_quantity(L->d, map, "packet_size", UNIT_SIZE, true, &size) < 0 ||
            (one && check_packet_size(L, one, size)))
            return -1;
        f->pkt_sizes = sc_xcalloc(1, sizeof *f->pkt_sizes);
        f->pkt_sizes[0] = (pkt_size){size, 1};
        f->n_pkt_sizes = 1;
    }
    double total = 0;
    for (size_t i = 0; i < f->n_pkt_sizes; i++)
        total += f->pkt_sizes[i].weight;
    for (size_t i = 0; i < f->n_pkt_sizes; i++)
        f->pkt_sizes[i].weight /= total;
    return 0;
}

/* kind-specific keys: rate (required when inelastic), size (elastic only),
 * duration (inelastic only). */
static int load_flow_kind(loader *L, flow_config *f, const ynode *map)
{
    int errors = 0;
    if (f->kind == FLOW_INELASTIC) {
        errors += ld_require(L, map, "rate", "an inelastic flow") < 0;
        errors += yget_quantity(L->d, map, "rate", UNIT_RATE, true, &f->rate_bps) < 0;
        if (ynode_get(map, "size")) {
            ynode_error(L->d, ynode_get(map, "size"), "remove it, or set kind: elastic",
                        "'size' applies only to elastic flows; an inelastic flow sends "
                        "'rate' for 'duration'");
            errors++;
        }
        return errors ? -1 : 0;
    }
    errors += ld_require(L, map, "size", "an elastic flow") < 0;
    errors += yget_quantity(L->d, map, "size", UNIT_SIZE, true, &f->size_bytes) < 0;
    errors += yget_quantity(L->d, map, "rate", UNIT_RATE, false, &f->rate_bps) < 0;
    if (ynode_get(map, "duration")) {
        ynode_error(L->d, ynode_get(map, "duration"), "remove it, or set kind: inelastic",
                    "'duration' applies only to inelastic flows; an elastic flow "
                    "lasts until 'size' is delivered");
        errors++;
    }
    return errors ? -1 : 0;
}

static int load_flow_times(loader *L, flow_config *f, const ynode *map)
{
    double end = L->cfg->sim.duration_s;
    f->start_s = 0;
    if (yget_quantity(L->d, map, "start", UNIT_TIME, false, &f->start_s) < 0)
        return -1;
    if (f->start_s >= end) {
        ynode_error(L->d, ynode_get(map, "start"), "start it before the simulation ends",
                    "flow '%s' starts at %gs, at or after the end of the simulation (%gs)",
                    f->name, f->start_s, end);
        return -1;
    }
    f->duration_s = f->kind == FLOW_INELASTIC ? end - f->start_s : 0;
    int got = yget_quantity(L->d, map, "duration", UNIT_TIME, true, &f->duration_s);
    if (got < 0)
        return -1;
    /* a relative slack absorbs decimal round-off such as 0.1s + 9.9s */
    if (got > 0 && f->start_s + f->duration_s > end * (1 + 1e-12)) {
        char hint[128];
        snprintf(hint, sizeof hint, "shorten it to at most %gs, or lengthen simulation.duration",
                 end - f->start_s);
        ynode_error(L->d, ynode_get(map, "duration"), hint,
                    "flow '%s' would end at %gs, after the simulation ends (%gs)",
                    f->name, f->start_s + f->duration_s, end);
        return -1;
    }
    return 0;
}

static int load_flow_endpoints(loader *L, flow_config *f, const ynode *map)
{
    if (ld_require(L, map, "from", "a flow") || ld_require(L, map, "to", "a flow"))
        return -1;
    const ynode *from = ynode_get(map, "from"), *to = ynode_get(map, "to");
    int errors = ld_resolve_endpoint(L, from, true, &f->src) < 0;
    errors += ld_resolve_endpoint(L, to, true, &f->dst) < 0;
    if (errors)
        return -1;
    f->from = sc_xstrdup(from->text);
    f->to = sc_xstrdup(to->text);
    if (f->src.vm_idx < 0 && f->dst.vm_idx < 0) {
        ynode_error(L->d, to, "one end must be a VM NIC", "a flow from external to external");
        return -1;
    }
    if (f->src.vm_idx == f->dst.vm_idx && f->src.nic_idx == f->dst.nic_idx) {
        ynode_error(L->d, to, "send to another NIC", "flow '%s' goes from '%s' to itself",
                    f->name, f->from);
        return -1;
    }
    return 0;
}

/* src_mac: the source MAC a VM NIC's frames carry (spoof checking). */
static int load_flow_src_mac(loader *L, flow_config *f, const ynode *map)
{
    const ynode *n = ynode_get(map, "src_mac");
    if (!n)
        return 0;
    if (yget_string(L->d, map, "src_mac", &f->src_mac) < 0 || ld_check_mac(L, n) < 0)
        return -1;
    if (f->src.vm_idx < 0) {
        ynode_error(L->d, n, "remove it: the external world has no VF to check",
                    "'src_mac' applies only to flows from a VM NIC");
        return -1;
    }
    return 0;
}

/* arrivals: onoff takes on_mean and one of off_mean or peak_rate (the
 * other follows from rate = peak x on / (on + off)); the keys apply to
 * onoff only. Periods 1us..1000s. */
static int load_flow_onoff(loader *L, flow_config *f, const ynode *map)
{
    static const char *const keys[] = {"on_mean", "off_mean", "peak_rate"};
    const unit_range per = {1e-6, 1e3, "1us", "1000s"};
    if (f->arrivals != ARRIVALS_ONOFF || f->kind != FLOW_INELASTIC) {
        for (size_t i = 0; i < 3; i++)
            if (ynode_get(map, keys[i])) {
                ynode_error(L->d, ynode_get(map, keys[i]),
                            "remove it, or set kind: inelastic and arrivals: onoff",
                            "'%s' applies only to inelastic flows with arrivals: onoff",
                            keys[i]);
                return -1;
            }
        if (f->arrivals == ARRIVALS_ONOFF) {
            ynode_error(L->d, ynode_get(map, "arrivals"), "set kind: inelastic",
                        "arrivals: onoff describes an inelastic source");
            return -1;
        }
        return 0;
    }
    bool has_off = ynode_get(map, "off_mean") != NULL, has_peak = ynode_get(map, "peak_rate") != NULL;
    int errors = ld_require(L, map, "on_mean", "an onoff flow") < 0;
    if (has_off == has_peak) {
        ynode_error(L->d, ynode_get(map, "arrivals"),
                    "add 'off_mean: 2ms' or 'peak_rate: 25Gbps' (one of them)",
                    "arrivals: onoff needs exactly one of off_mean and peak_rate besides "
                    "on_mean (rate = peak_rate x on_mean / (on_mean + off_mean))");
        return -1;
    }
    errors += yget_quantity_in(L->d, map, "on_mean", UNIT_TIME, true, per, &f->on_mean_s) < 0;
    errors += yget_quantity_in(L->d, map, "off_mean", UNIT_TIME, true, per, &f->off_mean_s) < 0;
    errors += yget_quantity(L->d, map, "peak_rate", UNIT_RATE, true, &f->peak_rate_bps) < 0;
    if (errors)
        return -1;
    if (has_peak && !(f->peak_rate_bps > f->rate_bps * (1 + 1e-9))) {
        ynode_error(L->d, ynode_get(map, "peak_rate"),
                    "make peak_rate larger than rate, or use arrivals: constant",
                    "peak_rate (%g bps) must exceed the flow's mean rate (%g bps)",
                    f->peak_rate_bps, f->rate_bps);
        return -1;
    }
    if (has_peak)
        f->off_mean_s = f->on_mean_s * (f->peak_rate_bps / f->rate_bps - 1);
    else
        f->peak_rate_bps = f->rate_bps * (f->on_mean_s + f->off_mean_s) / f->on_mean_s;
    if (!(f->off_mean_s >= per.lo && f->off_mean_s <= per.hi) ||
        !(f->peak_rate_bps <= units_range(UNIT_RATE).hi)) {
        ynode_error(L->d, ynode_get(map, "arrivals"),
                    "bring peak_rate and rate closer, or change on_mean",
                    "onoff: off_mean %gs must be within 1us..1000s and the peak %g bps "
                    "at most 1.6Tbps", f->off_mean_s, f->peak_rate_bps);
        return -1;
    }
    return 0;
}

static int load_flow(loader *L, size_t idx, const ynode *map)
{
    static const char *const keys[] = {"name", "from", "to", "kind", "rate", "size",
                                       "packet_size", "packet_sizes", "arrivals", "start",
                                       "duration", "src_mac", "connections", "on_mean",
                                       "off_mean", "peak_rate", NULL};
    static const char *const kinds[] = {"inelastic", "elastic", NULL};
    static const char *const arrivals[] = {"constant", "poisson", "onoff", NULL};
    flow_config *f = &L->cfg->flows[idx];
    f->mark = ld_mark_of(L, map);
    if (ld_item_map(L, map, keys, "a flow") || ld_read_name(L, map, "flow", &f->name))
        return -1;
    int errors = ld_unique_indexed(L, ynode_get(map, "name"), &L->flow_index, (int)idx,
                                      "flow") < 0;
    errors += load_flow_endpoints(L, f, map) < 0;
    int kind = 0, arrival = 0;
    if (yget_enum(L->d, map, "kind", kinds, &kind) < 0)
        return -1;
    f->kind = (flow_kind_t)kind;
    errors += yget_enum(L->d, map, "arrivals", arrivals, &arrival) < 0;
    f->arrivals = (arrivals_t)arrival;
    errors += load_flow_kind(L, f, map) < 0;
    errors += errors == 0 && load_flow_onoff(L, f, map) < 0;
    errors += load_packet_sizes(L, f, map) < 0;
    errors += load_flow_times(L, f, map) < 0;
    errors += load_flow_src_mac(L, f, map) < 0;
    /* 5-tuples spread by RSS over the receiving NIC's queues */
    f->connections = 1;
    errors += yget_int(L->d, map, "connections", 1, 65536, &f->connections) < 0;
    return errors ? -1 : 0;
}

int load_traffic(loader *L, const ynode *root)
{
    static const char *const keys[] = {"flows", NULL};
    const ynode *list = ynode_get(root, "traffic");
    if (!list || ynode_is_null(list))
        return 0;
    /* a list of flows, or { flows: [...] } */
    if (list->kind == YNODE_MAP) {
        if (ynode_check_keys(L->d, list, keys, "traffic"))
            return -1;
        list = ynode_get(list, "flows");
        if (!list || ynode_is_null(list))
            return 0;
    }
    if (ynode_expect(L->d, list, YNODE_SEQ, "'traffic'"))
        return -1;
    L->cfg->flows = sc_xcalloc(list->n, sizeof *L->cfg->flows);
    int errors = 0;
    for (size_t i = 0; i < list->n; i++) {
        L->cfg->n_flows = i + 1;
        const ynode *item = list->items[i];
        if (ld_enter_item(L, item)) {
            errors++;
            continue;
        }
        int before = L->d->n_errors;
        errors += load_flow(L, i, item) < 0;
        ld_leave_item(L, item, before);
    }
    return errors ? -1 : 0;
}
