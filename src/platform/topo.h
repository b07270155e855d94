/* topo.h -- the resolved data-centre topology: every network endpoint and
 * link the simulation uses, derived once from the scenario config. The
 * SimGrid platform (platform.h) is written from it, and the simulation maps
 * SimGrid hosts and links back to it by index.
 *
 * Mapping (see docs/architecture.md):
 *   - every enabled VF is an endpoint (a SimGrid host "H.A.vfN"); a VM NIC
 *     attached as vf uses its VF's endpoint;
 *   - every host has one software endpoint "H.sw" for virtio NICs;
 *   - "external" stands for the world outside the data centre;
 *   - links: PCIe per adapter (split duplex: _UP = host to device, Tx DMA
 *     reads; _DOWN = device to host, Rx DMA writes), one wire per adapter port
 *     (split duplex: _UP leaves the host), the adapter's eSwitch (VF to VF on
 *     one port), an optional per-VF Tx shaper (QoS max rate), the ToR of each
 *     rack, ToR-to-spine uplinks, and the external link; per host an IOMMU
 *     link crossed by every VF DMA (when the IOMMU is on) and a vhost link
 *     crossed by the software (virtio) datapath; per adapter whose model
 *     states a total rate or packet rate, one link crossed by every byte
 *     between its PCIe side and its ports or eSwitch; per host on a
 *     multi-host adapter with host_max_rate, one link crossed by that host's
 *     bytes between its PCIe side and the shared ports. Their capacities start
 *     unlimited; the datapath and virtio models set them.
 *
 * Units: bandwidths in bytes per second (SimGrid's unit), latencies in
 * seconds. Ownership: topo owns all its arrays and strings; topo_free.
 */
#ifndef SRIOV_TOPO_H
#define SRIOV_TOPO_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/config.h"

/* The capacity of a link that limits nothing (a VF shaper without a cap,
 * the IOMMU and vhost links before their models size them): far above any
 * real link, in bytes/s. Every model that lifts a cap uses this value. */
#define TOPO_UNCAPPED_Bps 1e15

typedef enum {
    LK_PCIE = 0,    /* split duplex */
    LK_PORT,        /* split duplex */
    LK_ESWITCH,
    LK_VF_SHAPER,
    LK_HOST_NIC,    /* software NIC of a host without adapters, split duplex */
    LK_TOR,
    LK_UPLINK,      /* ToR to spine, split duplex */
    LK_EXTERNAL,    /* split duplex */
    LK_IOMMU,       /* a host's IOMMU (page walker): every VF DMA crosses it */
    LK_VHOST,       /* a host's software datapath (vhost/OVS CPU) */
    LK_ADAPTER,     /* an adapter's total forwarding capacity (catalogue
                       total_rate, total_packet_rate_pps), split duplex: _UP
                       host to wire or eSwitch, _DOWN wire or eSwitch to host */
    LK_HOST_SHARE,  /* one host's cap on a multi-host adapter's shared ports
                       (scenario host_max_rate), split duplex: _UP host to
                       wire, _DOWN wire to host; not crossed between hosts
                       through the eSwitch */
    LK_GPU_PCIE,    /* a GPU's PCIe link (docs/gpu.md), split duplex: _UP
                       host to device (the copy engines' DMA reads of host
                       memory), _DOWN device to host */
} link_kind_t;

typedef struct topo_link {
    char *name;             /* SimGrid link id; split-duplex links get _UP/_DOWN */
    link_kind_t kind;
    bool split_duplex;
    double bandwidth_Bps;
    double latency_s;       /* propagation, used by the latency model */
    int host_idx;           /* -1 for fabric links */
    int adapter_idx;
    int port;
} topo_link;

/* EP_GPU: a GPU (its copy engines); EP_HOST_MEM: the memory of a host with
 * GPUs, where their host-to-device copies start. Flow granularity only. */
typedef enum { EP_VF = 0, EP_SOFTWARE, EP_EXTERNAL, EP_GPU, EP_HOST_MEM } endpoint_kind_t;

typedef struct topo_endpoint {
    char *name;             /* SimGrid host id */
    endpoint_kind_t kind;
    int host_idx;           /* -1 for external */
    int adapter_idx;        /* VF: its adapter; EP_GPU: its GPU (cfg->gpus) */
    int port;               /* VF: the port its traffic leaves by */
    int vf;                 /* VF number, -1 otherwise */
    int shaper_link;        /* index in links, -1 when the VF has no shaper */
    int vf_row;             /* index in topo.vfs, -1 otherwise */
} topo_endpoint;

typedef struct topo_vf {
    int host_idx;
    int adapter_idx;
    int vf;
    char bdf[16];           /* "0000:18:02.0" */
    int endpoint;
    int vm_idx;             /* -1 when unassigned */
    int nic_idx;
} topo_vf;

typedef struct topo {
    topo_link *links;
    size_t n_links;
    topo_endpoint *endpoints;
    size_t n_endpoints;
    topo_vf *vfs;
    size_t n_vfs;
    int **nic_endpoint;     /* [vm][nic] -> endpoint index */
    size_t n_vms;
    int external_endpoint;
    int external_link;
    int *host_sw_endpoint;  /* [host] the host's software endpoint */
    int *host_nic_link;     /* [host] LK_HOST_NIC link, -1 if it has adapters */
    int *host_iommu_link;   /* [host] LK_IOMMU, -1 when the IOMMU is off */
    int *host_vhost_link;   /* [host] LK_VHOST */
    int *host_adapter_row;  /* [host] row of its first adapter below */
    int *adapter_pcie_link; /* [adapter row] its PCIe link (one per host, also
                               on a multi-host adapter) */
    int *adapter_port_link; /* [adapter row] its port 0 wire, the other ports
                               follow; a multi-host adapter's hosts share them */
    int *adapter_esw_link;  /* [adapter row] its eSwitch, shared the same way */
    int *adapter_first_vf;  /* [adapter row] endpoint of VF 0 */
    int *adapter_total_link;/* [adapter row] its LK_ADAPTER link, -1 when the
                               model states no adapter-wide limit */
    int *adapter_host_share_link; /* [adapter row] its LK_HOST_SHARE link,
                               -1 without host_max_rate */
    int *rack_tor_link;     /* [rack] */
    int *rack_uplink;       /* [rack * spines + spine] */
    int spines;
    /* GPUs (cfg->gpus order), built last and at flow granularity only, so
     * the other endpoints and links keep their indices: */
    int *gpu_endpoint;      /* [gpu] EP_GPU, -1 when not built */
    int *gpu_link;          /* [gpu] LK_GPU_PCIE, -1 when not built */
    int *host_mem_endpoint; /* [host] EP_HOST_MEM, -1 for a host without GPUs */
} topo;

/* Builds the topology. Returns 0, or -1 with a message in err. */
int topo_build(const scenario_config *cfg, topo *t, char *err, size_t errlen);
void topo_free(topo *t);

/* The endpoint a flow endpoint (VM NIC or external) sends from / to. */
int topo_flow_endpoint(const topo *t, endpoint_ref ref);

/* Link indices (in topo.links) of an adapter's PCIe, port wire and eSwitch.
 * The hosts of one multi-host adapter (adapter_config.multi_host) get their
 * own PCIe link and the same port, eSwitch and adapter links. */
int topo_pcie_link(const topo *t, int host_idx, int adapter_idx);
int topo_port_link(const topo *t, int host_idx, int adapter_idx, int port);
int topo_eswitch_link(const topo *t, int host_idx, int adapter_idx);
/* The adapter's total-capacity link (LK_ADAPTER), -1 when it has none. */
int topo_adapter_link(const topo *t, int host_idx, int adapter_idx);
/* A multi-host member's cap on the shared ports (LK_HOST_SHARE), -1 when
 * it has none. */
int topo_host_share_link(const topo *t, int host_idx, int adapter_idx);

/* A GPU's PCIe payload rates, bytes/s: up, host to device (DMA reads of
 * host memory in MRRS requests answered by MPS completions, 1 MiB
 * transfers), and down (posted writes of MPS). */
double topo_gpu_up_Bps(const gpu_config *g);
double topo_gpu_down_Bps(const gpu_config *g);

/* Raw and effective PCIe bandwidth are in pcie/pcie.h; the topology uses the
 * effective payload bandwidth at the adapter's MPS for its PCIe links. */

#endif
