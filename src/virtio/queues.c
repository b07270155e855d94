/* queues.c -- see queues.h. */
#include "virtio/queues.h"

#include <math.h>

int virt_vf_queues(const adapter_config *a)
{
    int q = a->queues_per_vf > 0 ? a->queues_per_vf : 1;
    if (a->msix_per_vf > 1 && a->msix_per_vf - 1 < q)
        q = a->msix_per_vf - 1;
    if (a->total_queues > 0 && a->num_vfs > 0 && a->total_queues / a->num_vfs < q)
        q = a->total_queues / a->num_vfs;
    return q > 0 ? q : 1;
}

static bool on_vf(const nic_config *nic)
{
    return (nic->attach == ATTACH_VF || nic->attach == ATTACH_VDPA) && nic->adapter_idx >= 0 &&
           !nic->fell_back_to_virtio;
}

/* Queue pairs a virtio backend serves per device: vhost-net's tap device
 * MAX_TAP_QUEUES 256 (Linux drivers/net/tun.c), DPDK vhost-user
 * VHOST_MAX_QUEUE_PAIRS 0x80 (DPDK lib/vhost/vhost.h). */
static int backend_queue_limit(const nic_config *nic)
{
    return nic->attach == ATTACH_VIRTIO && virt_backend_by_name(nic->backend) == VB_VHOST_USER
               ? 128
               : 256;
}

int virt_nic_queues(const scenario_config *cfg, const vm_config *vm, const nic_config *nic)
{
    int q = 1;
    if (on_vf(nic))
        q = virt_vf_queues(&cfg->hosts[vm->host_idx].adapters[nic->adapter_idx]);
    else if (nic->queues > 0)
        q = nic->queues < backend_queue_limit(nic) ? nic->queues : backend_queue_limit(nic);
    if (vm->vcpus < q)
        q = vm->vcpus;
    if (nic->queues > 0 && nic->queues < q)
        q = nic->queues;
    return q > 0 ? q : 1;
}

bool virt_nic_moderation(const scenario_config *cfg, const vm_config *vm,
                         const nic_config *nic, double *interval_s, int *packets)
{
    *interval_s = 0;
    *packets = 0;
    if (!nic->guest_written || nic->guest_dpdk || !on_vf(nic))
        return false;
    const adapter_config *a = &cfg->hosts[vm->host_idx].adapters[nic->adapter_idx];
    *interval_s = nic->irq_moderation_s >= 0 ? nic->irq_moderation_s : a->irq_moderation_s;
    *packets = *interval_s > 0 ? a->irq_moderation_packets : 0;
    return true;
}

double virt_irq_rate_hz(double pps, double interval_s, int packets)
{
    if (!(pps > 0))
        return 0;
    if (!isfinite(pps))
        return interval_s > 0 && packets <= 0 ? 1.0 / interval_s : INFINITY;
    if (interval_s <= 0)
        return pps;
    double r = 1.0 / interval_s;
    if (packets > 0 && pps / packets > r)
        r = pps / packets;
    return fmin(pps, r);
}

void virt_irq_cost(double pps, double interval_s, int packets, double cycles,
                   double *per_packet, double *fixed_cps)
{
    *per_packet = 0;
    *fixed_cps = 0;
    if (!(pps > 0) || cycles <= 0)
        return;
    if (interval_s <= 0 || pps <= 1.0 / interval_s)
        *per_packet = cycles;                   /* each packet interrupts */
    else if (packets > 0 && pps / packets > 1.0 / interval_s)
        *per_packet = cycles / packets;         /* the packet count fires first */
    else
        *fixed_cps = cycles / interval_s;       /* the timer: 1/T per second */
}

double virt_notify_rate_hz(double pps, double busy, double batch)
{
    if (!(pps > 0) || !isfinite(pps))
        return 0;
    double idle = 1.0 - fmin(1.0, fmax(0.0, busy));
    return pps * idle / (batch >= 1 ? batch : 1);
}
