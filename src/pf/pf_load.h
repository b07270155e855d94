/* pf_load.h -- readers of the PF control-plane events (assign_vf,
 * release_vf, vf_request, pf_busy, fault) and of the host keys the PF
 * model needs (sriov_support, the OS profile). Called by the scenario
 * loader (load_events.c, load.c); they only fill config.h structs, so the
 * model itself never reads YAML. Each returns 0, or -1 after reporting a
 * file:line:col error. */
#ifndef SRIOV_PF_LOAD_H
#define SRIOV_PF_LOAD_H

#include "scenario/load_internal.h"

int pf_event_assign_vf(loader *L, event_config *ev, const ynode *m);
int pf_event_release_vf(loader *L, event_config *ev, const ynode *m);
int pf_event_vf_request(loader *L, event_config *ev, const ynode *m);
int pf_event_pf_busy(loader *L, event_config *ev, const ynode *m);
int pf_event_fault(loader *L, event_config *ev, const ynode *m);

/* The vf_request operations, in the order of their names. */
typedef enum {
    VFREQ_SET_MAC = 0, VFREQ_ADD_VLAN, VFREQ_SET_MTU, VFREQ_PROMISC, VFREQ_ALLMULTI,
    VFREQ_RESET
} vf_request_op;
extern const char *const pf_vf_request_ops[];

/* The fault kinds, in the order of their names. */
typedef enum {
    FAULT_DMA_OUT_OF_DOMAIN = 0, FAULT_P2P_DMA, FAULT_PF_REGISTER_WRITE, FAULT_DRIVER_ERROR
} fault_kind;
extern const char *const pf_fault_kinds[];

/* Host key sriov_support: {adapter, firmware_iommu, kernel_iommu, os}. */
int pf_load_sriov_support(loader *L, const ynode *host_map, sriov_support *out);
/* NIC keys vf, plugged, guest_vf_driver. */
int pf_load_nic_keys(loader *L, const ynode *nic_map, nic_config *nic);
/* Why host h cannot give VFs ("the IOMMU is off in firmware (VT-d / AMD-Vi)"),
 * or NULL when it can. Static strings. */
const char *pf_host_lacks(const host_config *h);

#endif

/* The PF's part of handing out VFs at load time, for one VF/vDPA NIC of
 * vm on adapter ad of host (called by the loader's assign_vfs before its
 * own in-order hand-out). Returns PF_ASSIGN_DONE when it decided (vf_idx
 * set, or the NIC fell back to virtio with fallback_reason set),
 * PF_ASSIGN_DEFAULT to let the loader give the next free VF (*next_vf is
 * moved past VFs pinned by `vf:`), or -1 after reporting an error: the
 * host cannot give VFs, the guest has no VF driver, a bad or doubly
 * plugged pin. */
enum { PF_ASSIGN_DEFAULT = 0, PF_ASSIGN_DONE = 1 };
int pf_assign_nic(loader *L, const host_config *host, const adapter_config *ad,
                  const vm_config *vm, nic_config *nic, int *next_vf);
