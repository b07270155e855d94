#!/usr/bin/env bash
# Software datapath costs: with 64 B packets, VF and vDPA run at the
# hardware limit, vhost-user (OVS-DPDK) below, vhost-net lowest; the
# software rates and host CPU use follow from models/virtio/backends.yaml.
. "$(dirname "$0")/lib.sh"

OUT="$WORK/c64.h5"
run_sim "$SCN/virt_compare64.yaml" "$OUT"

# mean rates over the 2 s run
vf=$(gbps "$OUT" f_vf 2); vdpa=$(gbps "$OUT" f_vdpa 2); vuser=$(gbps "$OUT" f_vuser 2); vnet=$(gbps "$OUT" f_vnet 2)
HZ=2.5e9; PKT=64
expect() { # cores cycles_per_packet cycles_per_byte -> Gbit/s
    awk -v c="$1" -v p="$2" -v b="$3" -v hz=$HZ -v s=$PKT 'BEGIN { print c * hz / (p / s + b) * 8 / 1e9 }'
}
# each NIC has one queue (the default): its Tx ring is polled by one PMD
# (OVS-DPDK gives a port's rx queue to one PMD), so one of the PMD cores
# carries it; the other polls idle; one vhost-net thread per queue pair
pmds=$(param vhost-user cores)
e_user=$(expect "$(awk -v c="$pmds" 'BEGIN { print c < 1 ? c : 1 }')" "$(param vhost-user cycles_per_packet)" "$(param vhost-user cycles_per_byte)")
e_net=$(expect "$(param vhost-net cores)" "$(param vhost-net cycles_per_packet)" "$(param vhost-net cycles_per_byte)")

check_near "vDPA runs on the VF datapath" "$vdpa" "$vf" 0.001
check_near "vhost-user rate = one PMD's cycles / cost per byte" "$vuser" "$e_user" 0.01
check_near "vhost-net rate = vhost thread cycles / cost per byte" "$vnet" "$e_net" 0.01
CHECKS=$((CHECKS + 1))
if awk -v a="$vf" -v b="$vuser" -v c="$vnet" 'BEGIN { exit !(a > b && b > c && c > 0) }'; then
    pass "ordering vf ($vf) > vhost-user ($vuser) > vhost-net ($vnet)"
else
    fail "ordering vf ($vf) > vhost-user ($vuser) > vhost-net ($vnet)"
fi
check_near "ratio vhost-user / vhost-net from the parameters" \
    "$(awk -v a="$vuser" -v b="$vnet" 'BEGIN { print a / b }')" \
    "$(awk -v a="$e_user" -v b="$e_net" 'BEGIN { print a / b }')" 0.01

# host CPU: columns hvf hvdpa huser hnet; 16 cores each; every VM's guest
# runs DPDK, whose poll-mode lcores keep one vCPU (a host thread) busy per
# queue: the VF and vDPA NICs use min(the E810 VF's 16 queues, 2 vCPUs) = 2,
# the virtio NICs 1 (docs/queues-interrupts.md)
g=$(param dpdk cores)
cpu=$("$H5READ" "$OUT" --series /timeseries/host_cpu_utilisation | sed -n 5p)
read -r c_vf c_vdpa c_user c_net <<<"$cpu"
check_near "VF: no host datapath CPU, the guest's 2 DPDK lcores only" "$c_vf" "$(awk -v g="$g" 'BEGIN { print 2 * g / 16 }')" 0.001
check_near "vDPA: no host datapath CPU, the guest's 2 DPDK lcores only" "$c_vdpa" "$(awk -v g="$g" 'BEGIN { print 2 * g / 16 }')" 0.001
check_near "OVS-DPDK PMD cores busy" "$c_user" "$(awk -v c="$(param vhost-user cores)" -v g="$g" 'BEGIN { print (c + g) / 16 }')" 0.001
check_near "vhost-net thread saturated" "$c_net" "$(awk -v c="$(param vhost-net cores)" -v g="$g" 'BEGIN { print (c + g) / 16 }')" 0.001

# the software hop adds its fixed latency on top of queueing: ordering only
l_vf=$(field "$OUT" flows latency_mean_s f_vf)
l_net=$(field "$OUT" flows latency_mean_s f_vnet)
CHECKS=$((CHECKS + 1))
if awk -v a="$l_vf" -v b="$l_net" 'BEGIN { exit !(b > a) }'; then pass "vhost-net latency above VF"
else fail "vhost-net latency $l_net not above VF $l_vf"; fi
finish
