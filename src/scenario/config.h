/* config.h -- the typed, validated scenario: the contract between the scenario
 * loader and everything downstream.
 *
 * Units: every double is in base SI units named by its suffix: _s seconds,
 * _bytes bytes, _bps bits per second, _Bps bytes per second, _hz hertz.
 * Ownership: a scenario_config owns every string and array it points to;
 * config_free() releases all of it. Nothing downstream keeps pointers into a
 * config beyond its lifetime.
 *
 * The loader (load.h) fills every field: defaults are applied and every
 * cross-reference is resolved into an index (the *_idx fields), so a model
 * never looks a name up again. Indices are -1 where a reference is absent
 * (e.g. a flow to the external endpoint).
 */
#ifndef SRIOV_CONFIG_H
#define SRIOV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/virtio_params.h"
#include "scenario/gpu_config.h"
#include "scenario/workload_config.h"

/* Where a value came from, for error messages raised after loading
 * (e.g. a VF NIC that finds no free VF). file points at config->path. */
typedef struct src_mark {
    const char *file;
    int line;   /* 1-based; 0 when the value is a default */
    int col;    /* 1-based */
    int group;  /* 0, or 1 + the index in scenario_config.groups of the group
                 * that generated the item (line:col is then the group's) */
    long long index;    /* the instance's index i in that group */
} src_mark;

typedef enum { GRAN_FLOW = 0, GRAN_BURST, GRAN_PACKET } granularity_t;
typedef enum { ADAPTER_SRIOV = 0, ADAPTER_SIOV } adapter_mode_t;
typedef enum { ESWITCH_VEB = 0, ESWITCH_VEPA } eswitch_mode_t;
typedef enum { ATTACH_VF = 0, ATTACH_VIRTIO, ATTACH_VDPA } attach_t;
typedef enum { FLOW_INELASTIC = 0, FLOW_ELASTIC } flow_kind_t;
typedef enum { ARRIVALS_CONSTANT = 0, ARRIVALS_POISSON, ARRIVALS_ONOFF } arrivals_t;
typedef enum { VF_EXHAUSTED_FAIL = 0, VF_EXHAUSTED_VIRTIO } vf_exhausted_t;

typedef struct sim_config {
    double duration_s;          /* required, > 0 */
    uint64_t seed;              /* default 1; --seed overrides */
    granularity_t granularity;  /* default flow */
    int burst_packets;          /* packets per burst in burst mode, default 64 */
    bool port_fifo;             /* port_queues: fifo (burst granularity): latency
                                   from per-port FIFO queues (sim/portfifo.h) */
    double rate_epoch_s;        /* 0 = exact: rate changes applied at event time */
    char *network_model;        /* SimGrid network model, default "CM02" */
    bool fast_path;             /* flows on uncongested routes skip SimGrid's
                                   solver (src/sim/fluid.h), default true */
} sim_config;

typedef struct link_spec {
    double rate_bps;
    double latency_s;
} link_spec;

typedef struct pcie_config {
    int gen;                    /* 1..5 */
    int lanes;                  /* 1,2,4,8,16,32 */
    double mps_bytes;           /* Max Payload Size, default 256 */
    double mrrs_bytes;          /* Max Read Request Size, default 512 */
} pcie_config;

typedef struct iommu_config {
    bool enabled;               /* default true */
    double page_size_bytes;     /* 4KiB | 2MiB | 1GiB, default 4KiB */
    int iotlb_entries;          /* default 64 */
    int iotlb_ways;             /* set associativity, default = entries (fully) */
    bool passthrough;           /* key mode: passthrough: DMA untranslated (identity),
                                 * VFs still allowed; default translate */
    bool nested;                /* guest paging too: 2-D walks, default false */
    bool strict;                /* invalidate on every unmap; default false (lazy) */
    bool pwc;                   /* page-walk cache hits upper levels, default false */
    int walkers;                /* concurrent page walks, default 5 (docs/pcie-iommu.md) */
    double mem_ref_latency_s;   /* one walk memory reference, default 56.5ns */
    double invalidation_latency_s; /* IOMMU time per invalidation, default 1us */
} iommu_config;

/* Port buffers (adapters[].port_buffer, fabric.tor_port_buffer): 1 MiB
 * by default (the per-port share of a ToR's packet buffer, e.g. 32 MiB
 * over 32 ports; docs/latency-model.md), 1KiB..1GiB: below a jumbo frame
 * or above a second at 10 Gb/s is not a switch port. */
#define SCN_DEFAULT_PORT_BUFFER_BYTES 1048576.0

typedef struct adapter_config {
    char *name;
    char *model;                /* catalogue entry, models/adapters/<model>.yaml */
    adapter_mode_t mode;
    int total_vfs;              /* from the catalogue unless overridden */
    int num_vfs;                /* 0..total_vfs; default 0 */
    int ports;                  /* >= 1 */
    double port_rate_bps;       /* line rate of each port */
    double port_latency_s;      /* wire + PHY latency of each port, default 1us */
    double port_buffer_bytes;   /* each port's Tx buffer (adapter to wire): the
                                 * longest wait there is its drain time;
                                 * default 1 MiB (docs/latency-model.md) */
    int queues_per_vf;
    int total_queues;           /* Tx/Rx queue pairs of the device: bounds SIOV
                                 * ADIs (total_queues / queues_per_vf); 0 = unknown */
    int msix_per_vf;            /* MSI-X vectors of a VF (one is the VF driver's
                                 * misc/mailbox vector): bounds its queues at
                                 * msix_per_vf - 1; 0 = not limiting (docs/queues-interrupts.md) */
    double irq_moderation_s;    /* the VF driver's default interrupt moderation
                                 * interval (Intel ITR, mlx5 cq period); 0 = none */
    int irq_moderation_packets; /* mlx5: an interrupt after this many packets
                                 * at the latest; 0 = no packet count (Intel ITR) */
    bool irq_written;           /* the scenario overrides an interrupt key: the
                                 * resolved scenario repeats them */
    pcie_config pcie;
    bool keeps_crc;             /* Rx/Tx buffers hold the 4 B FCS too (DMA length =
                                 * frame); default false: frame - 4 (scenario/ether.h) */
    double eswitch_capacity_bps;/* internal VF<->VF switching capacity */
    double total_rate_bps;      /* what the whole adapter forwards per direction,
                                 * all ports and the eSwitch together; 0 = no
                                 * limit beyond the ports */
    double total_packet_rate_pps; /* packets per second the adapter forwards per
                                 * direction, all ports together; 0 = no limit */
    eswitch_mode_t eswitch;
    /* Multi-host adapters (docs/multi-host.md): one adapter whose ports and
     * eSwitch serve several hosts, each through its own PCIe link and PF. */
    int multi_host_hosts;       /* catalogue: hosts one adapter serves at most;
                                 * 0 = a single-host adapter */
    char *multi_host;           /* scenario key multi_host: the shared adapter's
                                 * name; NULL = this host's own adapter */
    int share_host;             /* resolved: 1 + the host index of the member
                                 * whose ports and eSwitch the group uses (the
                                 * first in host order); 0 = not shared, or
                                 * this adapter is that member (zeroed = own) */
    int share_adapter;          /* that member's adapter index */
    double host_max_rate_bps;   /* scenario key host_max_rate: this host's cap on
                                 * the shared ports, bits/s of flow bytes each
                                 * way (as qos.max_rate); 0 = none */
    src_mark host_max_rate_mark;
    src_mark multi_host_mark;
    src_mark mark;              /* the adapter's mapping */
    src_mark num_vfs_mark;
    bool load_failed;           /* its mapping had an error (already reported):
                                 * checks that depend on it stay quiet */
} adapter_config;

/* An OS / hypervisor profile, read from models/os/<name>.yaml
 * (scenario/os_profile.c): what the PF driver and the VF hand-over cost there. */
typedef struct os_profile {
    char *name;                 /* linux-kvm | hyperv | esxi */
    char *passthrough;          /* vfio-pci | hyperv-sriov | directpath-io */
    double vf_enable_s;         /* per VF, while writing sriov_numvfs */
    double vf_disable_s;        /* per VF */
    double unbind_s;            /* unbind the VF from its host driver */
    double bind_s;              /* bind the passthrough driver (driver_override) */
    double hotplug_s;           /* hot-plug into the VM, guest driver probe */
    double unplug_s;            /* hot-unplug from the VM */
    double flr_s;               /* FLR wait (PCIe: at most 100 ms) */
    double domain_rebuild_s;    /* IOMMU domain rebuild + IOTLB flush */
    double mailbox_latency_s;   /* one way, VF <-> PF */
    double mailbox_service_s;   /* PF time to serve one request */
    double mailbox_timeout_s;   /* VF gives up after this */
    bool synthetic_fallback;    /* guest without a VF driver keeps a synthetic NIC */
} os_profile;

/* What a host needs to give VFs (host key sriov_support); all default true. */
typedef struct sriov_support {
    bool adapter;               /* an SR-IOV capable adapter (BIOS SR-IOV on) */
    bool firmware_iommu;        /* VT-d / AMD-Vi enabled in firmware */
    bool kernel_iommu;          /* intel_iommu=on / amd_iommu=on */
    bool os;                    /* OS / hypervisor support for VF passthrough */
} sriov_support;

typedef struct host_config {
    char *name;
    int cores;                  /* default 32 */
    double core_speed_hz;       /* default 2.5GHz (used as flop/s by SimGrid) */
    double memory_bytes;        /* default 256GiB */
    char *os;                   /* linux-kvm | hyperv | esxi, default linux-kvm */
    iommu_config iommu;
    os_profile os_prof;         /* models/os/<os>.yaml */
    sriov_support sriov;
    bool posted_interrupts;     /* APICv/AVIC + VT-d posted interrupts: a VF's
                                 * interrupt enters the guest without a VM exit;
                                 * default true (docs/queues-interrupts.md) */
    adapter_config *adapters;
    size_t n_adapters;
    int rack_idx;               /* index into fabric.racks */
    char **tags;                /* key tags: names a workload selects by */
    size_t n_tags;
    src_mark mark;
} host_config;

typedef struct qos_config {
    double max_rate_bps;        /* 0 = uncapped */
    double burst_bytes;         /* token bucket depth, default 64KiB */
    double min_rate_bps;        /* guaranteed floor, 0 = none */
} qos_config;

typedef struct nic_config {
    char *name;
    attach_t attach;
    char *adapter;              /* for vf/vdpa */
    int port;                   /* port index on the adapter, default 0 */
    char *backend;              /* virtio: vhost-net | vhost-user; NULL otherwise */
    char *standby;              /* failover NIC kind, NULL if none */
    char *mac;                  /* NULL = assigned */
    int vlan;                   /* 0 = untagged */
    bool trust;
    bool spoofchk;              /* default true */
    bool guest_dpdk;            /* guest datapath: false kernel driver (default),
                                 * true DPDK poll mode (key guest: kernel|dpdk) */
    bool guest_written;         /* key guest given: its vCPU cost is enforced
                                 * (src/virtio/); absent = not modelled */
    qos_config qos;
    int adapter_idx;            /* resolved: index in the VM's host's adapters */
    int vf_idx;                 /* resolved: VF number on that adapter, -1 if not a VF */
    double buffer_working_set_bytes; /* rings + buffers a VF's DMAs touch, default 8MiB */
    bool buffer_access_random;  /* key buffer_access: false cyclic (default), true
                                 * random: DMAs land uniformly over the working set */
    bool fell_back_to_virtio;   /* written attach: vf, but the adapter had no VF
                                 * left and policy.vf_exhausted is virtio: the
                                 * loader made it attach virtio, backend vhost-net */
    char *fallback_reason;      /* why it fell back (or NULL), for the PF log */
    int vf_pin;                 /* key vf: the VF number asked for, -1 = any */
    bool plugged;               /* key plugged (default true): VF assigned at t=0;
                                 * false: an assign_vf event plugs it later */
    bool guest_vf_driver;       /* default true: the guest has a VF driver */
    int queues;                 /* key queues: queue pairs the guest uses at most;
                                 * 0 = as many as the VF and the vCPUs allow
                                 * (virtio: 0 = 1, QEMU's default) */
    double irq_moderation_s;    /* key interrupt_moderation: < 0 adaptive (the
                                 * adapter's driver default), 0 off, else the
                                 * minimum interval between a queue's interrupts */
    src_mark mark;
} nic_config;

typedef struct vm_config {
    char *name;
    char *host;
    int host_idx;               /* resolved */
    int vcpus;                  /* default 2 */
    double memory_bytes;        /* default 4GiB */
    double dirty_rate_Bps;      /* default 0 */
    double zero_page_fraction;  /* share of RAM that is zero pages at a
                                 * migration's start, 0..1, default 0: QEMU
                                 * sends them as a header, not a page */
    double cpu_load;            /* fraction of each vCPU busy computing, 0..1,
                                 * default 0 (src/virtio/ runs it on the host) */
    nic_config *nics;
    size_t n_nics;
    char **tags;                /* key tags: names a workload selects by */
    size_t n_tags;
    src_mark mark;
} vm_config;

typedef struct pkt_size {
    double size_bytes;
    double weight;              /* relative; normalised by the loader to sum 1 */
} pkt_size;

/* An endpoint of a flow: a VM NIC, or the external world (vm_idx == -1). */
typedef struct endpoint_ref {
    int vm_idx;
    int nic_idx;
} endpoint_ref;

typedef struct flow_config {
    char *name;
    char *from;                 /* as written: "vm.nic" */
    char *to;                   /* "vm.nic" or "external" */
    endpoint_ref src, dst;
    flow_kind_t kind;
    double rate_bps;            /* inelastic: offered rate; elastic: 0 or a cap */
    double size_bytes;          /* elastic: bytes to move */
    pkt_size *pkt_sizes;        /* at least one entry */
    size_t n_pkt_sizes;
    arrivals_t arrivals;
    double on_mean_s;           /* onoff: mean on period (exponential) */
    double off_mean_s;          /* onoff: mean off period (exponential) */
    double peak_rate_bps;       /* onoff: rate while on = rate x (on + off) / on */
    double start_s;             /* default 0 */
    double duration_s;          /* inelastic; default: until the end */
    char *src_mac;              /* source MAC its frames carry; NULL = the
                                 * sending NIC's own (key src_mac) */
    int connections;            /* 5-tuples the flow aggregates, each hashed to
                                 * a queue by RSS (key connections, default 1) */
    src_mark mark;
} flow_config;

typedef struct rack_config {
    char *name;
    int *host_idx;              /* hosts in this rack */
    size_t n_hosts;
    int group;                  /* 0, or 1 + index of the rack group that made it */
} rack_config;

typedef struct fabric_config {
    rack_config *racks;         /* absent in YAML: one rack "r0" holding every host */
    size_t n_racks;
    link_spec host_link;        /* default 25Gbps, 1us: ports without a rate */
    link_spec tor_uplink;       /* default 400Gbps, 1us (per ToR, to each spine) */
    int spines;                 /* default 1 */
    link_spec external;         /* the DC's link to the external endpoint, default 100Gbps 10us */
    double tor_port_buffer_bytes; /* each ToR output port's buffer (to a host,
                                   * to a spine), default 1 MiB */
    double tor_latency_s;       /* each ToR's forwarding delay, default 0.5us */
    bool implicit_rack;         /* racks not given: the one rack r0 was made */
} fabric_config;

typedef enum {
    EV_SET_QOS = 0, EV_FLR, EV_MIGRATE, EV_SET_NUM_VFS, EV_FAULT,
    EV_ASSIGN_VF, EV_RELEASE_VF, EV_VF_REQUEST, EV_PF_BUSY,
    EV_SET_VF
} event_type_t;

/* vf_request: the operations, in the order of their names
 * (pf_vf_request_ops[], NULL-terminated); event_config.detail holds the name. */
typedef enum {
    VFREQ_SET_MAC = 0, VFREQ_ADD_VLAN, VFREQ_SET_MTU, VFREQ_PROMISC, VFREQ_ALLMULTI,
    VFREQ_RESET
} vf_request_op;
extern const char *const pf_vf_request_ops[];

/* fault: the kinds, in the order of their names (pf_fault_kinds[]). */
typedef enum {
    FAULT_DMA_OUT_OF_DOMAIN = 0, FAULT_P2P_DMA, FAULT_PF_REGISTER_WRITE, FAULT_DRIVER_ERROR
} fault_kind;
extern const char *const pf_fault_kinds[];

/* set_vf: the PF's per-VF forwarding rules; -1 = unchanged. The new MAC,
 * if any, is in event_config.detail. */
typedef struct vf_rule_change {
    int vlan;                   /* 0..4094 */
    int trust;                  /* 0 | 1 */
    int spoofchk;               /* 0 | 1 */
} vf_rule_change;

/* migrate: per-migration settings; < 0 means the model's default
 * (models/virtio/migration.yaml). */
typedef struct migrate_params {
    double unplug_s;            /* VF hot-unplug before pre-copy */
    double plug_s;              /* VF hot-plug on the destination */
    double min_downtime_s;      /* fixed stop-and-copy cost (device state, resume) */
    double max_downtime_s;      /* pre-copy stops when the rest fits in this */
    double bandwidth_Bps;       /* migration stream cap; 0 = uncapped */
    int max_rounds;             /* stop rule: forced stop-and-copy after this many */
} migrate_params;

typedef struct event_config {
    double at_s;
    event_type_t type;
    endpoint_ref nic;           /* set_qos, flr (when given by nic) */
    qos_config qos;             /* set_qos: fields < 0 mean "unchanged" */
    int host_idx, adapter_idx, vf_idx; /* flr/set_num_vfs by position; -1 unused */
    int num_vfs;                /* set_num_vfs */
    int vm_idx;                 /* migrate / fault */
    int to_host_idx;            /* migrate */
    migrate_params mig;         /* migrate */
    char *detail;               /* fault kind, vf_request op; owned */
    char *value;                /* vf_request value as written, owned; NULL = none */
    endpoint_ref target;        /* fault: the NIC a DMA aims at; {-1,-1} = none */
    double duration_s;          /* flr (NaN = the OS profile's), pf_busy */
    vf_rule_change vf_rules;    /* set_vf (nic names the VF; detail its new MAC) */
    src_mark mark;
} event_config;

typedef struct output_config {
    char *file;                 /* NULL = results/<name>.h5 */
    double sample_interval_s;   /* default 100ms */
} output_config;

/* A group of generated items (hosts, racks, VMs, flows or events; see
 * docs/scenario.md, "Groups"), as the resolved scenario writes it back. */
typedef struct group_config {
    char *name;
    const char *kind;           /* "host", "rack", "VM", "traffic", "event" (static) */
    char *yaml;                 /* the group item as a YAML mapping (yemit.h), owned */
} group_config;

typedef struct scenario_config {
    char *path;                 /* the file the scenario was read from */
    char *text;                 /* its full text, for /meta */
    char *name;
    sim_config sim;
    fabric_config fabric;
    host_config *hosts;
    size_t n_hosts;
    vm_config *vms;
    size_t n_vms;
    flow_config *flows;
    size_t n_flows;
    event_config *events;       /* sorted by at_s, stable */
    size_t n_events;
    workload_config *workloads; /* generated flows (workload_config.h) */
    size_t n_workloads;
    gpu_config *gpus;           /* GPUs and their jobs (gpu_config.h) */
    size_t n_gpus;
    vf_exhausted_t vf_exhausted;
    output_config output;
    /* models/virtio/{backends,migration}.yaml, read only when the scenario
     * has something the virtio or migration model plays (a virtio, vDPA or
     * standby NIC, a guest driver, a CPU load, a migration) */
    bool virtio_loaded;
    virt_params virtio;
    group_config *groups;       /* items' src_mark.group - 1 indexes this */
    size_t n_groups;
} scenario_config;

void config_free(scenario_config *cfg);

/* The scenario key of an event type ("set_qos", "flr", ...). */
const char *event_type_name(event_type_t type);

/* Whether any VM NIC has a guaranteed minimum rate, at time 0 or by a
 * set_qos event (the QoS planner and the VF shaper links are needed). */
bool config_has_min_rate(const scenario_config *cfg);

#endif
