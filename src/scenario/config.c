/* config.c -- releasing a scenario_config, and the names of event kinds
 * (see config.h). */
#include "scenario/config.h"

#include <stdlib.h>
#include <string.h>

static void free_tags(char **tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(tags[i]);
    free(tags);
}

static void free_adapter(adapter_config *a)
{
    free(a->name);
    free(a->model);
    free(a->multi_host);
}

static void free_host(host_config *h)
{
    free(h->name);
    free(h->os);
    free(h->os_prof.name);
    free(h->os_prof.passthrough);
    for (size_t i = 0; i < h->n_adapters; i++)
        free_adapter(&h->adapters[i]);
    free(h->adapters);
    free_tags(h->tags, h->n_tags);
}

static void free_nic(nic_config *n)
{
    free(n->name);
    free(n->adapter);
    free(n->backend);
    free(n->standby);
    free(n->mac);
    free(n->fallback_reason);
}

static void free_vm(vm_config *vm)
{
    free(vm->name);
    free(vm->host);
    for (size_t i = 0; i < vm->n_nics; i++)
        free_nic(&vm->nics[i]);
    free(vm->nics);
    free_tags(vm->tags, vm->n_tags);
}

static void free_flow(flow_config *f)
{
    free(f->name);
    free(f->from);
    free(f->to);
    free(f->pkt_sizes);
    free(f->src_mac);
}

static void free_fabric(fabric_config *fab)
{
    for (size_t i = 0; i < fab->n_racks; i++) {
        free(fab->racks[i].name);
        free(fab->racks[i].host_idx);
    }
    free(fab->racks);
}

/* Safe on a zeroed struct and idempotent: it leaves the struct zeroed. */
void config_free(scenario_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->text);
    free(cfg->name);
    free(cfg->sim.network_model);
    free_fabric(&cfg->fabric);
    for (size_t i = 0; i < cfg->n_hosts; i++)
        free_host(&cfg->hosts[i]);
    free(cfg->hosts);
    for (size_t i = 0; i < cfg->n_vms; i++)
        free_vm(&cfg->vms[i]);
    free(cfg->vms);
    for (size_t i = 0; i < cfg->n_flows; i++)
        free_flow(&cfg->flows[i]);
    free(cfg->flows);
    for (size_t i = 0; i < cfg->n_events; i++) {
        free(cfg->events[i].detail);
        free(cfg->events[i].value);
    }
    free(cfg->events);
    for (size_t i = 0; i < cfg->n_workloads; i++)
        workload_config_free(&cfg->workloads[i]);
    free(cfg->workloads);
    for (size_t i = 0; i < cfg->n_gpus; i++)
        gpu_config_free(&cfg->gpus[i]);
    free(cfg->gpus);
    free(cfg->output.file);
    for (size_t i = 0; i < cfg->n_groups; i++) {
        free(cfg->groups[i].name);
        free(cfg->groups[i].yaml);
    }
    free(cfg->groups);
    memset(cfg, 0, sizeof *cfg);
}

const char *const pf_vf_request_ops[] = {"set_mac", "add_vlan", "set_mtu", "promisc",
                                         "allmulti", "reset", NULL};
const char *const pf_fault_kinds[] = {"dma_out_of_domain", "p2p_dma", "pf_register_write",
                                      "driver_error", NULL};

const char *event_type_name(event_type_t type)
{
    static const char *const names[] = {"set_qos", "flr", "migrate", "set_num_vfs", "fault",
                                        "assign_vf", "release_vf", "vf_request", "pf_busy",
                                        "set_vf"};
    if ((size_t)type < sizeof names / sizeof names[0])
        return names[type];
    return "unknown";
}

bool config_has_min_rate(const scenario_config *cfg)
{
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            if (cfg->vms[v].nics[n].qos.min_rate_bps > 0)
                return true;
    for (size_t e = 0; e < cfg->n_events; e++)
        if (cfg->events[e].type == EV_SET_QOS && cfg->events[e].qos.min_rate_bps > 0)
            return true;
    return false;
}
