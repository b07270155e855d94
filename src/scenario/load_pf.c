/* load_pf.c -- what the PF model needs from a scenario, read by the
 * loader (load_internal.h) into config.h structs, so the model itself never
 * reads YAML: the host key sriov_support, the NIC keys vf, plugged and
 * guest_vf_driver, the PF's rules for handing out VFs at load time, and the
 * PF control-plane events (assign_vf, release_vf, vf_request, pf_busy,
 * fault). Each returns 0, or -1 after reporting a file:line:col error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

/* nic: vm.nic naming a NIC that has a VF (attach: vf, not fallen back). */
static int vf_nic(loader *L, event_config *ev, const ynode *m, const char *where)
{
    if (ld_require(L, m, "nic", where) ||
        ld_resolve_endpoint(L, ynode_get(m, "nic"), false, &ev->nic))
        return -1;
    const vm_config *vm = &L->cfg->vms[ev->nic.vm_idx];
    const nic_config *n = &vm->nics[ev->nic.nic_idx];
    if (n->vf_idx < 0) {
        ynode_error(L->d, ynode_get(m, "nic"), "name a NIC with attach: vf",
                    "%s needs a VF, and NIC '%s' has none%s%s%s", where,
                    ynode_get(m, "nic")->text, n->fallback_reason ? " (" : "",
                    n->fallback_reason ? n->fallback_reason : "", n->fallback_reason ? ")" : "");
        return -1;
    }
    ev->host_idx = vm->host_idx;
    ev->adapter_idx = n->adapter_idx;
    ev->vf_idx = n->vf_idx;
    return 0;
}

int ld_event_assign_vf(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", NULL};
    return ynode_check_keys(L->d, m, keys, "assign_vf") ? -1 : vf_nic(L, ev, m, "assign_vf");
}

int ld_event_release_vf(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", NULL};
    return ynode_check_keys(L->d, m, keys, "release_vf") ? -1 : vf_nic(L, ev, m, "release_vf");
}

/* The value each op takes: a MAC, a VLAN id, an MTU, on/off, nothing. */
static int request_value(loader *L, event_config *ev, const ynode *m, int op)
{
    const ynode *v = ynode_get(m, "value");
    long long n;
    if (op == VFREQ_RESET) {
        if (v)
            ynode_error(L->d, v, "remove it", "vf_request reset takes no value");
        return v ? -1 : 0;
    }
    if (!v && (op == VFREQ_PROMISC || op == VFREQ_ALLMULTI)) {
        ev->value = sc_xstrdup("on");
        return 0;
    }
    if (ld_require(L, m, "value", "vf_request") || ynode_as_scalar(L->d, v, "'value'"))
        return -1;
    int bad = 0;
    if (op == VFREQ_SET_MAC)
        bad = ld_check_mac(L, v);
    else if (op == VFREQ_ADD_VLAN)
        bad = ynode_as_int(L->d, v, "'value' (a VLAN id)", 1, 4094, &n);
    else if (op == VFREQ_SET_MTU)
        bad = ynode_as_int(L->d, v, "'value' (an MTU in bytes)", 68, 9216, &n);
    else if (strcmp(v->text, "on") && strcmp(v->text, "off") && strcmp(v->text, "true") &&
             strcmp(v->text, "false")) {
        ynode_error(L->d, v, "write on or off", "%s takes on or off, not '%s'",
                    pf_vf_request_ops[op], v->text);
        bad = -1;
    }
    if (bad)
        return -1;
    const char *text = v->text;
    if (!strcmp(text, "true"))
        text = "on";
    else if (!strcmp(text, "false"))
        text = "off";
    ev->value = sc_xstrdup(text);
    return 0;
}

int ld_event_vf_request(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", "op", "value", NULL};
    int op = 0;
    if (ynode_check_keys(L->d, m, keys, "vf_request") || vf_nic(L, ev, m, "vf_request") ||
        ld_require(L, m, "op", "vf_request") ||
        yget_enum(L->d, m, "op", pf_vf_request_ops, &op) < 0)
        return -1;
    ev->detail = sc_xstrdup(pf_vf_request_ops[op]);
    return request_value(L, ev, m, op);
}

int ld_event_pf_busy(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"host", "adapter", "duration", NULL};
    if (ynode_check_keys(L->d, m, keys, "pf_busy") || ld_require(L, m, "host", "pf_busy") ||
        ld_require(L, m, "adapter", "pf_busy") || ld_require(L, m, "duration", "pf_busy"))
        return -1;
    ev->host_idx = ld_resolve_host(L, ynode_get(m, "host"));
    if (ev->host_idx < 0)
        return -1;
    ev->adapter_idx = ld_resolve_adapter(L, ynode_get(m, "adapter"), &L->cfg->hosts[ev->host_idx]);
    if (ev->adapter_idx < 0)
        return -1;
    return yget_quantity(L->d, m, "duration", UNIT_TIME, true, &ev->duration_s) < 0 ? -1 : 0;
}

/* The VM's first NIC that has a VF: the function whose driver misbehaves. */
static int first_vf_nic(const vm_config *vm)
{
    for (size_t i = 0; i < vm->n_nics; i++)
        if (vm->nics[i].vf_idx >= 0)
            return (int)i;
    return -1;
}

int ld_event_fault(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"vm", "kind", "target", NULL};
    int kind = 0;
    if (ynode_check_keys(L->d, m, keys, "fault") || ld_require(L, m, "vm", "fault") ||
        ld_require(L, m, "kind", "fault"))
        return -1;
    ev->vm_idx = ld_resolve_vm(L, ynode_get(m, "vm"));
    if (ev->vm_idx < 0 || yget_enum(L->d, m, "kind", pf_fault_kinds, &kind) < 0)
        return -1;
    ev->detail = sc_xstrdup(pf_fault_kinds[kind]);
    const vm_config *vm = &L->cfg->vms[ev->vm_idx];
    int nic = first_vf_nic(vm);
    if (nic < 0) {
        ynode_error(L->d, ynode_get(m, "vm"), "give the VM a NIC with attach: vf",
                    "VM '%s' has no VF: a fault is a VF driver misbehaving", vm->name);
        return -1;
    }
    ev->nic = (endpoint_ref){ev->vm_idx, nic};
    ev->host_idx = vm->host_idx;
    ev->adapter_idx = vm->nics[nic].adapter_idx;
    ev->vf_idx = vm->nics[nic].vf_idx;
    const ynode *target = ynode_get(m, "target");
    if (target) {
        if (kind != FAULT_DMA_OUT_OF_DOMAIN && kind != FAULT_P2P_DMA) {
            ynode_error(L->d, target, "remove it", "'target' applies to dma_out_of_domain and "
                        "p2p_dma only");
            return -1;
        }
        if (ld_resolve_endpoint(L, target, false, &ev->target))
            return -1;
        if (ev->target.vm_idx == ev->vm_idx) {
            ynode_error(L->d, target, "aim at another VM's NIC",
                        "a fault's target must be another tenant");
            return -1;
        }
    }
    return 0;
}

int ld_sriov_support(loader *L, const ynode *host_map, sriov_support *out)
{
    static const char *const keys[] = {"adapter", "firmware_iommu", "kernel_iommu", "os", NULL};
    *out = (sriov_support){true, true, true, true};
    const ynode *n = ynode_get(host_map, "sriov_support");
    if (!n)
        return 0;
    if (ynode_expect(L->d, n, YNODE_MAP, "'sriov_support'") ||
        ynode_check_keys(L->d, n, keys, "sriov_support"))
        return -1;
    int errors = yget_bool(L->d, n, "adapter", &out->adapter) < 0;
    errors += yget_bool(L->d, n, "firmware_iommu", &out->firmware_iommu) < 0;
    errors += yget_bool(L->d, n, "kernel_iommu", &out->kernel_iommu) < 0;
    errors += yget_bool(L->d, n, "os", &out->os) < 0;
    return errors ? -1 : 0;
}

int ld_nic_pf_keys(loader *L, const ynode *nic_map, nic_config *nic)
{
    nic->vf_pin = -1;
    nic->plugged = true;
    nic->guest_vf_driver = true;
    int errors = yget_int(L->d, nic_map, "vf", 0, 65535, &nic->vf_pin) < 0;
    errors += yget_bool(L->d, nic_map, "plugged", &nic->plugged) < 0;
    errors += yget_bool(L->d, nic_map, "guest_vf_driver", &nic->guest_vf_driver) < 0;
    const char *vf_only[] = {"vf", "plugged", "guest_vf_driver"};
    for (int k = 0; k < 3 && nic->attach != ATTACH_VF; k++) {
        const ynode *v = ynode_get(nic_map, vf_only[k]);
        if (v) {
            ynode_error(L->d, v, "remove it, or use attach: vf", "'%s' applies only to "
                        "attach: vf", vf_only[k]);
            errors++;
        }
    }
    return errors ? -1 : 0;
}

/* Why host h cannot give VFs ("the IOMMU is off in firmware (VT-d / AMD-Vi)"),
 * or NULL when it can. Static strings. */
static const char *host_lacks(const host_config *h)
{
    if (!h->sriov.adapter)
        return "it has no SR-IOV capable adapter (sriov_support.adapter: false)";
    if (!h->sriov.firmware_iommu)
        return "the IOMMU is off in firmware (VT-d / AMD-Vi; sriov_support.firmware_iommu: false)";
    if (!h->sriov.kernel_iommu || !h->iommu.enabled)
        return "the kernel IOMMU is off (no intel_iommu=on / amd_iommu=on)";
    if (!h->sriov.os)
        return "its OS cannot pass VFs through (sriov_support.os: false)";
    return NULL;
}

static void fall_back(nic_config *nic, const char *reason)
{
    nic->attach = ATTACH_VIRTIO;
    free(nic->backend);
    nic->backend = sc_xstrdup("vhost-net");
    nic->fell_back_to_virtio = true;
    free(nic->fallback_reason);
    nic->fallback_reason = sc_xstrdup(reason);
}

/* 1 when a NIC of the same adapter (other than nic) pins VF vf; plugged_only
 * counts only NICs plugged at t=0. */
static int pinned_elsewhere(const scenario_config *cfg, const host_config *host,
                            const adapter_config *ad, const nic_config *nic, int vf,
                            int plugged_only)
{
    int host_idx = (int)(host - cfg->hosts), ad_idx = (int)(ad - host->adapters);
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t i = 0; cfg->vms[v].host_idx == host_idx && i < cfg->vms[v].n_nics; i++) {
            const nic_config *o = &cfg->vms[v].nics[i];
            if (o != nic && o->attach == ATTACH_VF && o->adapter_idx == ad_idx &&
                o->vf_pin == vf && (!plugged_only || o->plugged))
                return 1;
        }
    return 0;
}

static int any_pins(loader *L)
{
    if (L->vf_pins == 0) {
        L->vf_pins = 1;
        for (size_t v = 0; v < L->cfg->n_vms && L->vf_pins == 1; v++)
            for (size_t i = 0; i < L->cfg->vms[v].n_nics; i++)
                if (L->cfg->vms[v].nics[i].vf_pin >= 0)
                    L->vf_pins = 2;
    }
    return L->vf_pins == 2;
}

static int cannot(loader *L, const vm_config *vm, nic_config *nic, const char *why,
                  const char *hint)
{
    if (L->cfg->vf_exhausted == VF_EXHAUSTED_VIRTIO) {
        fall_back(nic, why);
        return PF_ASSIGN_DONE;
    }
    diag_error(L->d, L->cfg->path, nic->mark.line, nic->mark.col, hint,
               "NIC '%s.%s' cannot have a VF: %s", vm->name, nic->name, why);
    return -1;
}

static int pin_vf(loader *L, const host_config *host, const adapter_config *ad,
                  const vm_config *vm, nic_config *nic)
{
    if (nic->vf_pin >= ad->num_vfs) {
        char hint[128];
        snprintf(hint, sizeof hint, "use a VF from 0 to %d, or raise num_vfs", ad->num_vfs - 1);
        diag_error(L->d, L->cfg->path, nic->mark.line, nic->mark.col, hint,
                   "NIC '%s.%s' asks for VF %d, but adapter '%s' has num_vfs %d", vm->name,
                   nic->name, nic->vf_pin, ad->name, ad->num_vfs);
        return -1;
    }
    /* two tenants may share a VF over time, one plugged at t=0 */
    const vm_config *vms = L->cfg->vms;
    for (size_t v = 0; nic->plugged && &vms[v] != vm + 1; v++)
        for (size_t i = 0; i < vms[v].n_nics && &vms[v].nics[i] != nic; i++) {
            const nic_config *o = &vms[v].nics[i];
            if (o->plugged && o->vf_pin == nic->vf_pin && o->attach == ATTACH_VF &&
                vms[v].host_idx == vm->host_idx && o->adapter_idx == nic->adapter_idx) {
                diag_error(L->d, L->cfg->path, nic->mark.line, nic->mark.col,
                           "give one of them plugged: false and an assign_vf event",
                           "VF %d is plugged into both '%s.%s' and '%s.%s' at t=0",
                           nic->vf_pin, vms[v].name, o->name, vm->name, nic->name);
                return -1;
            }
        }
    (void)host;
    nic->vf_idx = nic->vf_pin;
    return PF_ASSIGN_DONE;
}

int ld_pf_assign_nic(loader *L, const host_config *host, const adapter_config *ad,
                     const vm_config *vm, nic_config *nic, int *next_vf)
{
    char why[256];
    const char *lacks = host_lacks(host);
    if (nic->attach == ATTACH_VF && lacks) {
        snprintf(why, sizeof why, "host '%s' cannot give VFs: %s", host->name, lacks);
        return cannot(L, vm, nic, why, "fix the host, or set policy.vf_exhausted: virtio");
    }
    if (nic->attach == ATTACH_VF && !nic->guest_vf_driver) {
        if (host->os_prof.synthetic_fallback) {
            snprintf(why, sizeof why, "guest has no VF driver: %s keeps the synthetic adapter",
                     host->os);
            fall_back(nic, why);
            return PF_ASSIGN_DONE;
        }
        snprintf(why, sizeof why, "the guest of VM '%s' has no VF driver (%s has no "
                 "synthetic fallback)", vm->name, host->os);
        return cannot(L, vm, nic, why, "install the VF driver in the guest, or set "
                      "policy.vf_exhausted: virtio");
    }
    if (nic->attach == ATTACH_VF && nic->vf_pin >= 0)
        return pin_vf(L, host, ad, vm, nic);
    if (nic->attach == ATTACH_VF && !nic->plugged) {
        diag_error(L->d, L->cfg->path, nic->mark.line, nic->mark.col,
                   "add vf: N to say which VF it will get",
                   "NIC '%s.%s' is plugged: false without a vf number", vm->name, nic->name);
        return -1;
    }
    while (*next_vf < ad->num_vfs && any_pins(L) &&
           pinned_elsewhere(L->cfg, host, ad, nic, *next_vf, 0))
        ++*next_vf;
    return PF_ASSIGN_DEFAULT;
}
