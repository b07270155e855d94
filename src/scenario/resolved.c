/* resolved.c -- see resolved.h. */
#include "scenario/resolved.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/gpu_resolved.h"
#include "scenario/sbuf.h"
#include "scenario/units.h"
#include "scenario/wl_load.h"
#include "scenario/ynode.h"

/* key: "text", escaped for a YAML double-quoted scalar. */
static void put_string(sbuf *b, const char *indent, const char *key, const char *s)
{
    sbuf_put(b, "%s%s: \"", indent, key);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            sbuf_put(b, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            sbuf_put(b, "\\x%02x", *c);
        else
            sbuf_put(b, "%c", *c);
    }
    sbuf_put(b, "\"\n");
}

static double given_or(double given, double dflt)
{
    return given >= 0 ? given : dflt;
}

/* Every setting: the scenario's, else the model's default
 * (models/virtio/migration.yaml, loaded with the scenario when it
 * migrates), so the file runs the same under another model file. */
static void put_migrate_params(sbuf *b, const migrate_params *p, const mig_defaults *d)
{
    const char *in = "      ";
    sbuf_put_quantity(b, in, "unplug_time", given_or(p->unplug_s, d->unplug_s), "s");
    sbuf_put_quantity(b, in, "plug_time", given_or(p->plug_s, d->plug_s), "s");
    sbuf_put_quantity(b, in, "min_downtime", given_or(p->min_downtime_s, d->min_downtime_s), "s");
    sbuf_put_quantity(b, in, "max_downtime", given_or(p->max_downtime_s, d->max_downtime_s), "s");
    sbuf_put_quantity(b, in, "bandwidth", given_or(p->bandwidth_Bps, d->bandwidth_Bps) * 8.0, "bps");
    sbuf_put(b, "%smax_rounds: %d\n", in, p->max_rounds >= 0 ? p->max_rounds : d->max_rounds);
}

static void put_link(sbuf *b, const char *key, const link_spec *l)
{
    sbuf_put(b, "  %s:\n", key);
    sbuf_put_quantity(b, "    ", "rate", l->rate_bps, "bps");
    sbuf_put_quantity(b, "    ", "latency", l->latency_s, "s");
}

static void put_simulation(sbuf *b, const sim_config *sim)
{
    static const char *const grans[] = {"flow", "burst", "packet"};
    sbuf_put(b, "simulation:\n");
    sbuf_put_quantity(b, "  ", "duration", sim->duration_s, "s");
    sbuf_put(b, "  seed: %llu\n", (unsigned long long)sim->seed);
    sbuf_put(b, "  granularity: %s\n", grans[sim->granularity]);
    sbuf_put(b, "  burst_packets: %d\n", sim->burst_packets);
    if (sim->port_fifo)
        sbuf_put(b, "  port_queues: fifo\n");
    sbuf_put_quantity(b, "  ", "rate_epoch", sim->rate_epoch_s, "s");
    put_string(b, "  ", "network_model", sim->network_model);
    sbuf_put(b, "  fast_path: %s\n", sim->fast_path ? "true" : "false");
}

/* A group's mapping (config.h, group_config) as an item of its list, at
 * the list's indent, once: where its first instance would be. */
static void put_group(sbuf *b, const scenario_config *cfg, int group, bool *done,
                      const char *indent)
{
    if (group <= 0 || done[group - 1])
        return;
    done[group - 1] = true;
    const char *text = cfg->groups[group - 1].yaml;
    bool first = true;
    while (*text) {
        size_t len = strcspn(text, "\n");
        sbuf_put(b, "%s%s%.*s\n", indent, first ? "- " : "  ", (int)len, text);
        first = false;
        text += len + (text[len] == '\n');
    }
}

/* A default rack of generated hosts goes unwritten: reloading makes it
 * again, and its list would be every host's name (10,000 for pod-10k). */
static bool implicit_rack_of_groups(const scenario_config *cfg)
{
    return cfg->fabric.implicit_rack && cfg->n_groups > 0;
}

static void put_fabric(sbuf *b, const scenario_config *cfg, bool *done)
{
    const fabric_config *fab = &cfg->fabric;
    sbuf_put(b, "fabric:\n%s", implicit_rack_of_groups(cfg) ? "" : "  racks:\n");
    for (size_t r = 0; r < fab->n_racks && !implicit_rack_of_groups(cfg); r++) {
        if (fab->racks[r].group) {
            put_group(b, cfg, fab->racks[r].group, done, "    ");
            continue;
        }
        sbuf_put(b, "    - name: %s\n      hosts: [", fab->racks[r].name);
        for (size_t i = 0; i < fab->racks[r].n_hosts; i++)
            sbuf_put(b, "%s%s", i ? ", " : "", cfg->hosts[fab->racks[r].host_idx[i]].name);
        sbuf_put(b, "]\n");
    }
    put_link(b, "host_link", &fab->host_link);
    put_link(b, "tor_uplink", &fab->tor_uplink);
    sbuf_put(b, "  spines: %d\n", fab->spines);
    sbuf_put_quantity(b, "  ", "tor_latency", fab->tor_latency_s, "s");
    put_link(b, "external", &fab->external);
    sbuf_put_quantity(b, "  ", "tor_port_buffer", fab->tor_port_buffer_bytes, "B");
}

static void put_adapter(sbuf *b, const adapter_config *a)
{
    const char *in = "        ";
    sbuf_put(b, "      - name: %s\n", a->name);
    put_string(b, in, "model", a->model);
    sbuf_put(b, "%smode: %s\n", in, a->mode == ADAPTER_SIOV ? "siov" : "sriov");
    sbuf_put(b, "%snum_vfs: %d\n", in, a->num_vfs);
    sbuf_put(b, "%seswitch: %s\n", in, a->eswitch == ESWITCH_VEPA ? "vepa" : "veb");
    sbuf_put(b, "%stotal_vfs: %d\n", in, a->total_vfs);
    sbuf_put(b, "%sports: %d\n", in, a->ports);
    sbuf_put_quantity(b, in, "port_rate", a->port_rate_bps, "bps");
    sbuf_put_quantity(b, in, "port_latency", a->port_latency_s, "s");
    sbuf_put_quantity(b, in, "port_buffer", a->port_buffer_bytes, "B");
    sbuf_put(b, "%squeues_per_vf: %d\n", in, a->queues_per_vf);
    if (a->total_queues > 0)
        sbuf_put(b, "%stotal_queues: %d\n", in, a->total_queues);
    sbuf_put(b, "%spcie:\n", in);
    sbuf_put(b, "%s  gen: %d\n%s  lanes: %d\n", in, a->pcie.gen, in, a->pcie.lanes);
    sbuf_put_quantity(b, "          ", "mps", a->pcie.mps_bytes, "B");
    sbuf_put_quantity(b, "          ", "mrrs", a->pcie.mrrs_bytes, "B");
    sbuf_put_quantity(b, in, "eswitch_capacity", a->eswitch_capacity_bps, "bps");
    if (a->total_rate_bps > 0)
        sbuf_put_quantity(b, in, "total_rate", a->total_rate_bps, "bps");
    if (a->total_packet_rate_pps > 0)
        sbuf_put(b, "%stotal_packet_rate_pps: %.17g\n", in, a->total_packet_rate_pps);
    if (a->keeps_crc)
        sbuf_put(b, "%skeeps_crc: true\n", in);
    if (a->multi_host_hosts > 0)    /* else single-host: earlier outputs unchanged */
        sbuf_put(b, "%smulti_host_hosts: %d\n", in, a->multi_host_hosts);
    if (a->multi_host)
        put_string(b, in, "multi_host", a->multi_host);
    if (a->host_max_rate_bps > 0)   /* else none: earlier outputs unchanged */
        sbuf_put_quantity(b, in, "host_max_rate", a->host_max_rate_bps, "bps");
    if (a->irq_written) {   /* else the catalogue's: earlier outputs unchanged */
        sbuf_put(b, "%smsix_per_vf: %d\n", in, a->msix_per_vf);
        sbuf_put_quantity(b, in, "interrupt_moderation", a->irq_moderation_s, "s");
        sbuf_put(b, "%sinterrupt_moderation_packets: %d\n", in, a->irq_moderation_packets);
    }
}

static void put_iommu_walk(sbuf *b, const iommu_config *io)
{
    sbuf_put(b, "      mode: %s\n", io->passthrough ? "passthrough" : "translate");
    sbuf_put(b, "      iotlb_ways: %d\n", io->iotlb_ways);
    sbuf_put(b, "      nested: %s\n      strict: %s\n      pwc: %s\n", io->nested ? "true" : "false",
        io->strict ? "true" : "false", io->pwc ? "true" : "false");
    sbuf_put(b, "      walkers: %d\n", io->walkers);
    sbuf_put_quantity(b, "      ", "mem_ref_latency", io->mem_ref_latency_s, "s");
    sbuf_put_quantity(b, "      ", "invalidation_latency", io->invalidation_latency_s, "s");
}

/* The PF keys of a host: what it lacks, and its OS profile's costs in full
 * (as pf_costs, so reloading gives the same numbers). */
static void put_pf_host(sbuf *b, const host_config *h)
{
    const sriov_support *s = &h->sriov;
    const os_profile *p = &h->os_prof;
    sbuf_put(b, "    sriov_support: { adapter: %s, firmware_iommu: %s, kernel_iommu: %s, os: %s }\n",
        s->adapter ? "true" : "false", s->firmware_iommu ? "true" : "false",
        s->kernel_iommu ? "true" : "false", s->os ? "true" : "false");
    sbuf_put(b, "    pf_costs:\n");
    if (p->passthrough)
        put_string(b, "      ", "passthrough", p->passthrough);
    sbuf_put(b, "      synthetic_fallback: %s\n", p->synthetic_fallback ? "true" : "false");
    const struct { const char *key; double v; } costs[] = {
        {"vf_enable", p->vf_enable_s}, {"vf_disable", p->vf_disable_s}, {"unbind", p->unbind_s},
        {"bind", p->bind_s}, {"hotplug", p->hotplug_s}, {"unplug", p->unplug_s},
        {"flr", p->flr_s}, {"domain_rebuild", p->domain_rebuild_s},
        {"mailbox_latency", p->mailbox_latency_s}, {"mailbox_service", p->mailbox_service_s},
        {"mailbox_timeout", p->mailbox_timeout_s}};
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++)
        sbuf_put_quantity(b, "      ", costs[i].key, costs[i].v, "s");
}

static void put_tags(sbuf *b, char *const *tags, size_t n)
{
    if (n == 0)
        return;
    sbuf_put(b, "    tags: [");
    for (size_t i = 0; i < n; i++)
        sbuf_put(b, "%s%s", i ? ", " : "", tags[i]);
    sbuf_put(b, "]\n");
}

static void put_host(sbuf *b, const host_config *h)
{
    {
        sbuf_put(b, "  - name: %s\n", h->name);
        sbuf_put(b, "    cores: %d\n", h->cores);
        sbuf_put_quantity(b, "    ", "core_speed", h->core_speed_hz, "Hz");
        sbuf_put_quantity(b, "    ", "memory", h->memory_bytes, "B");
        put_string(b, "    ", "os", h->os);
        put_tags(b, h->tags, h->n_tags);
        sbuf_put(b, "    iommu:\n      enabled: %s\n", h->iommu.enabled ? "true" : "false");
        sbuf_put_quantity(b, "      ", "page_size", h->iommu.page_size_bytes, "B");
        sbuf_put(b, "      iotlb_entries: %d\n", h->iommu.iotlb_entries);
        put_iommu_walk(b, &h->iommu);
        if (!h->posted_interrupts)
            sbuf_put(b, "    posted_interrupts: false\n");
        put_pf_host(b, h);
        sbuf_put(b, "    adapters:%s\n", h->n_adapters ? "" : " []");
        for (size_t a = 0; a < h->n_adapters; a++)
            put_adapter(b, &h->adapters[a]);
    }
}

static void put_qos(sbuf *b, const char *indent, const qos_config *q)
{
    sbuf_put(b, "%sqos:\n", indent);
    char in[32];
    snprintf(in, sizeof in, "%s  ", indent);
    sbuf_put_quantity(b, in, "max_rate", q->max_rate_bps, "bps");
    sbuf_put_quantity(b, in, "burst", q->burst_bytes, "B");
    sbuf_put_quantity(b, in, "min_rate", q->min_rate_bps, "bps");
}

static void put_nic(sbuf *b, const nic_config *n)
{
    static const char *const attaches[] = {"vf", "virtio", "vdpa"};
    const char *in = "        ";
    sbuf_put(b, "      - name: %s\n", n->name);
    if (n->fell_back_to_virtio)
        sbuf_put(b, "%s# %s: runs as virtio (vhost-net)\n", in,
            n->fallback_reason ? n->fallback_reason : "no VF was left, policy.vf_exhausted");
    attach_t attach = n->fell_back_to_virtio ? ATTACH_VF : n->attach;
    sbuf_put(b, "%sattach: %s\n", in, attaches[attach]);
    if (n->adapter)
        sbuf_put(b, "%sadapter: %s\n%sport: %d\n", in, n->adapter, in, n->port);
    if (n->backend && !n->fell_back_to_virtio)
        sbuf_put(b, "%sbackend: %s\n", in, n->backend);
    if (n->standby)
        sbuf_put(b, "%sstandby: %s\n", in, n->standby);
    if (n->mac)
        put_string(b, in, "mac", n->mac);
    sbuf_put(b, "%svlan: %d\n", in, n->vlan);
    sbuf_put(b, "%strust: %s\n", in, n->trust ? "true" : "false");
    sbuf_put(b, "%sspoofchk: %s\n", in, n->spoofchk ? "true" : "false");
    if (n->guest_written)
        sbuf_put(b, "%sguest: %s\n", in, n->guest_dpdk ? "dpdk" : "kernel");
    if (attach == ATTACH_VF) {
        if (n->vf_pin >= 0)
            sbuf_put(b, "%svf: %d\n", in, n->vf_pin);
        sbuf_put(b, "%splugged: %s\n%sguest_vf_driver: %s\n", in, n->plugged ? "true" : "false",
            in, n->guest_vf_driver ? "true" : "false");
    }
    sbuf_put_quantity(b, in, "buffer_working_set", n->buffer_working_set_bytes, "B");
    if (n->buffer_access_random) /* the default (cyclic) left out: earlier outputs unchanged */
        sbuf_put(b, "%sbuffer_access: random\n", in);
    if (n->queues > 0)
        sbuf_put(b, "%squeues: %d\n", in, n->queues);
    if (n->irq_moderation_s == 0)
        sbuf_put(b, "%sinterrupt_moderation: off\n", in);
    else if (n->irq_moderation_s > 0)
        sbuf_put_quantity(b, in, "interrupt_moderation", n->irq_moderation_s, "s");
    put_qos(b, in, &n->qos);
}

static void put_vm(sbuf *b, const vm_config *vm)
{
    {
        sbuf_put(b, "  - name: %s\n    host: %s\n", vm->name, vm->host);
        sbuf_put(b, "    vcpus: %d\n", vm->vcpus);
        put_tags(b, vm->tags, vm->n_tags);
        if (vm->cpu_load > 0)
            sbuf_put(b, "    cpu_load: %.17g\n", vm->cpu_load);
        sbuf_put_quantity(b, "    ", "memory", vm->memory_bytes, "B");
        sbuf_put_quantity(b, "    ", "dirty_rate", vm->dirty_rate_Bps, "Bps");
        if (vm->zero_page_fraction > 0)
            sbuf_put(b, "    zero_page_fraction: %.17g\n", vm->zero_page_fraction);
        sbuf_put(b, "    nics:%s\n", vm->n_nics ? "" : " []");
        for (size_t n = 0; n < vm->n_nics; n++)
            put_nic(b, &vm->nics[n]);
    }
}

static void put_flow(sbuf *b, const flow_config *f)
{
    static const char *const arrivals[] = {"constant", "poisson", "onoff"};
    {
        bool elastic = f->kind == FLOW_ELASTIC;
        sbuf_put(b, "  - name: %s\n    from: %s\n    to: %s\n", f->name, f->from, f->to);
        sbuf_put(b, "    kind: %s\n", elastic ? "elastic" : "inelastic");
        sbuf_put_quantity(b, "    ", "rate", f->rate_bps, "bps");
        if (elastic)
            sbuf_put_quantity(b, "    ", "size", f->size_bytes, "B");
        sbuf_put(b, "    packet_sizes:\n");
        for (size_t p = 0; p < f->n_pkt_sizes; p++) {
            char w[64];
            units_format_double(f->pkt_sizes[p].weight, w, sizeof w);
            sbuf_put_quantity(b, "      - ", "size", f->pkt_sizes[p].size_bytes, "B");
            sbuf_put(b, "        weight: %s\n", w);
        }
        sbuf_put(b, "    arrivals: %s\n", arrivals[f->arrivals]);
        if (f->arrivals == ARRIVALS_ONOFF && !elastic) {
            sbuf_put_quantity(b, "    ", "on_mean", f->on_mean_s, "s");
            sbuf_put_quantity(b, "    ", "off_mean", f->off_mean_s, "s");
        }
        sbuf_put_quantity(b, "    ", "start", f->start_s, "s");
        if (!elastic)
            sbuf_put_quantity(b, "    ", "duration", f->duration_s, "s");
        if (f->src_mac)
            put_string(b, "    ", "src_mac", f->src_mac);
        if (f->connections > 1)
            sbuf_put(b, "    connections: %d\n", f->connections);
    }
}

static void put_optional_quantity(sbuf *b, const char *key, double v, const char *unit)
{
    if (v >= 0)
        sbuf_put_quantity(b, "      ", key, v, unit);
}

static void put_event(sbuf *b, const scenario_config *cfg, const event_config *ev)
{
    char at[64];
    units_format_double(ev->at_s, at, sizeof at);
    sbuf_put(b, "  - at: %ss\n", at);
    const char *nic_vm = ev->nic.vm_idx >= 0 ? cfg->vms[ev->nic.vm_idx].name : NULL;
    const char *nic = nic_vm ? cfg->vms[ev->nic.vm_idx].nics[ev->nic.nic_idx].name : NULL;
    const host_config *h = ev->host_idx >= 0 ? &cfg->hosts[ev->host_idx] : NULL;
    switch (ev->type) {
    case EV_SET_QOS:
        sbuf_put(b, "    set_qos:\n      nic: %s.%s\n", nic_vm, nic);
        put_optional_quantity(b, "max_rate", ev->qos.max_rate_bps, "bps");
        put_optional_quantity(b, "min_rate", ev->qos.min_rate_bps, "bps");
        put_optional_quantity(b, "burst", ev->qos.burst_bytes, "B");
        break;
    case EV_FLR:
        if (nic_vm)
            sbuf_put(b, "    flr:\n      nic: %s.%s\n", nic_vm, nic);
        else
            sbuf_put(b, "    flr:\n      host: %s\n      adapter: %s\n      vf: %d\n", h->name,
                h->adapters[ev->adapter_idx].name, ev->vf_idx);
        if (ev->duration_s == ev->duration_s)   /* not NaN: an override */
            sbuf_put_quantity(b, "      ", "duration", ev->duration_s, "s");
        break;
    case EV_MIGRATE:
        sbuf_put(b, "    migrate:\n      vm: %s\n      to: %s\n", cfg->vms[ev->vm_idx].name,
            cfg->hosts[ev->to_host_idx].name);
        put_migrate_params(b, &ev->mig, &cfg->virtio.mig);
        break;
    case EV_SET_NUM_VFS:
        sbuf_put(b, "    set_num_vfs:\n      host: %s\n      adapter: %s\n      num_vfs: %d\n",
            h->name, h->adapters[ev->adapter_idx].name, ev->num_vfs);
        break;
    case EV_FAULT:
        sbuf_put(b, "    fault:\n      vm: %s\n", cfg->vms[ev->vm_idx].name);
        put_string(b, "      ", "kind", ev->detail);
        if (ev->target.vm_idx >= 0)
            sbuf_put(b, "      target: %s.%s\n", cfg->vms[ev->target.vm_idx].name,
                cfg->vms[ev->target.vm_idx].nics[ev->target.nic_idx].name);
        break;
    case EV_ASSIGN_VF:
    case EV_RELEASE_VF:
        sbuf_put(b, "    %s:\n      nic: %s.%s\n", event_type_name(ev->type), nic_vm, nic);
        break;
    case EV_VF_REQUEST:
        sbuf_put(b, "    vf_request:\n      nic: %s.%s\n      op: %s\n", nic_vm, nic, ev->detail);
        if (ev->value)
            put_string(b, "      ", "value", ev->value);
        break;
    case EV_PF_BUSY:
        sbuf_put(b, "    pf_busy:\n      host: %s\n      adapter: %s\n", h->name,
            h->adapters[ev->adapter_idx].name);
        sbuf_put_quantity(b, "      ", "duration", ev->duration_s, "s");
        break;
    case EV_SET_VF:
        sbuf_put(b, "    set_vf:\n      nic: %s.%s\n", nic_vm, nic);
        if (ev->detail)
            put_string(b, "      ", "mac", ev->detail);
        if (ev->vf_rules.vlan >= 0)
            sbuf_put(b, "      vlan: %d\n", ev->vf_rules.vlan);
        if (ev->vf_rules.trust >= 0)
            sbuf_put(b, "      trust: %s\n", ev->vf_rules.trust ? "true" : "false");
        if (ev->vf_rules.spoofchk >= 0)
            sbuf_put(b, "      spoofchk: %s\n", ev->vf_rules.spoofchk ? "true" : "false");
        break;
    }
}

/* Each section: its items, and each group once in place of its instances. */
static void put_sections(sbuf *b, const scenario_config *cfg, bool *done)
{
    sbuf_put(b, "hosts:\n");
    for (size_t i = 0; i < cfg->n_hosts; i++)
        if (cfg->hosts[i].mark.group)
            put_group(b, cfg, cfg->hosts[i].mark.group, done, "  ");
        else
            put_host(b, &cfg->hosts[i]);
    sbuf_put(b, "vms:%s\n", cfg->n_vms ? "" : " []");
    for (size_t i = 0; i < cfg->n_vms; i++)
        if (cfg->vms[i].mark.group)
            put_group(b, cfg, cfg->vms[i].mark.group, done, "  ");
        else
            put_vm(b, &cfg->vms[i]);
    sbuf_put(b, "traffic:%s\n", cfg->n_flows ? "" : " []");
    for (size_t i = 0; i < cfg->n_flows; i++)
        if (cfg->flows[i].mark.group)
            put_group(b, cfg, cfg->flows[i].mark.group, done, "  ");
        else
            put_flow(b, &cfg->flows[i]);
    workloads_put_yaml(b, cfg);
    gpus_put_yaml(b, cfg);
    sbuf_put(b, "events:%s\n", cfg->n_events ? "" : " []");
    for (size_t i = 0; i < cfg->n_events; i++)
        if (cfg->events[i].mark.group)
            put_group(b, cfg, cfg->events[i].mark.group, done, "  ");
        else
            put_event(b, cfg, &cfg->events[i]);
}

char *resolved_item_yaml(const scenario_config *cfg, resolved_section sec, size_t idx)
{
    sbuf b = {0};
    static const char *const keys[] = {"hosts", "vms", "traffic", "events"};
    sbuf_put(&b, "%s:\n", keys[sec]);
    switch (sec) {
    case RES_HOSTS: put_host(&b, &cfg->hosts[idx]); break;
    case RES_VMS: put_vm(&b, &cfg->vms[idx]); break;
    case RES_FLOWS: put_flow(&b, &cfg->flows[idx]); break;
    case RES_EVENTS: put_event(&b, cfg, &cfg->events[idx]); break;
    }
    return b.data;
}

char *config_to_yaml(const scenario_config *cfg)
{
    sbuf b = {0};
    bool *done = sc_xcalloc(cfg->n_groups + 1, sizeof *done);
    sbuf_put(&b, "# resolved scenario: every default filled in, values in base units\n");
    sbuf_put(&b, "name: %s\n", cfg->name ? cfg->name : "");
    put_simulation(&b, &cfg->sim);
    put_fabric(&b, cfg, done);
    put_sections(&b, cfg, done);
    free(done);
    sbuf_put(&b, "policy:\n  vf_exhausted: %s\n",
        cfg->vf_exhausted == VF_EXHAUSTED_VIRTIO ? "virtio" : "fail");
    sbuf_put(&b, "output:\n");
    if (cfg->output.file)
        put_string(&b, "  ", "file", cfg->output.file);
    sbuf_put_quantity(&b, "  ", "sample_interval", cfg->output.sample_interval_s, "s");
    if (!b.data)
        b.data = sc_xcalloc(1, 1);
    return b.data;
}
