#!/usr/bin/env bash
# virtio multi-queue and notifications (docs/queues-interrupts.md, "virtio"),
# closed forms on tests/e2e/scenarios/virt_mq.yaml (64 B unless said, 2.5 GHz):
#   vhost-net: one thread per queue pair, R = hz / cost per byte each; a flow
#   of C connections over Q queues carries R x C / (busiest queue's share);
#   one connection gets one thread's R; on a host with fewer cores than
#   threads each gets cores x hz / threads;
#   vhost-user: the guest's Tx rings on the host's PMDs round robin;
#   kicks/s = packets/s x (1 - vhost thread busy) / packets_per_notification,
#   interrupts/s = packets/s x (1 - guest vCPU busy) / packets_per_notification.
. "$(dirname "$0")/lib.sh"

HZ=2.5e9; PKT=64
rate() { # cycles_per_packet cycles_per_byte packet_bytes -> bytes/s of one core
    awk -v p="$1" -v b="$2" -v s="$3" -v hz=$HZ 'BEGIN { print hz / (p / s + b) }'; }
irqkey() { awk -v k="$1:" '$1 == k { print $2 }' "$SRIOV_MODELS_DIR/virtio/backends.yaml"; }
vp=$(param vhost-net cycles_per_packet); vb=$(param vhost-net cycles_per_byte)
up=$(param vhost-user cycles_per_packet); ub=$(param vhost-user cycles_per_byte)
kp=$(param kernel cycles_per_packet); kb=$(param kernel cycles_per_byte)
batch=$(irqkey packets_per_notification); kick=$(irqkey exit_cycles_per_kick)
ge=$(irqkey exit_cycles_per_interrupt)
R=$(rate "$vp" "$vb" $PKT)

O="$WORK/mq.h5"
run_sim "$SCN/virt_mq.yaml" "$O"
Bps() { field "$O" flows delivered_bytes "$1"; }
col() { paste <(field "$O" queues vm) <(field "$O" queues "$2") | awk -v v="$1" '$1 == v { print $2 }'; }
maxc() { col "$1" connections | sort -n | tail -n 1; }

# --- vhost-net: 4 queues, 4 threads ------------------------------------------
check_eq "4 queues (key queues 4, 4 vCPUs)" "$(col mq connections | wc -l)" 4
check_near "64 connections: R x 64 / busiest queue" "$(Bps f_mq)" \
    "$(awk -v r="$R" -v m="$(maxc mq)" 'BEGIN { print r * 64 / m }')" 0.01
check_near "one elephant flow: one vhost thread's R" "$(Bps f_el)" "$R" 0.01
check_eq "one queue carries it" "$(col el packets | awk '$1 > 0' | wc -l)" 1
# 2 cores: 4 vhost threads + 4 polling DPDK lcores, each 2/8 of a core
check_near "threads capped by host cores: 2/8 core each" "$(Bps f_sh)" \
    "$(awk -v r="$R" -v m="$(maxc sh)" 'BEGIN { print r * 2 / 8 * 64 / m }')" 0.01

# --- vhost-user: 2 queues on 2 PMDs round robin ---------------------------------
U=$(rate "$up" "$ub" $PKT)
check_near "vhost-user: one PMD per Tx ring, R_pmd x 64 / busiest queue" "$(Bps f_u)" \
    "$(awk -v r="$U" -v m="$(maxc u)" 'BEGIN { print r * 64 / m }')" 0.01

# --- notifications: kernel guest, vhost-net, 200 Mb/s each way of 512 B ----------
pps=$(awk 'BEGIN { print 200e6 / 8 / 512 }')
vbusy=$(awk -v p="$vp" -v b="$vb" -v hz=$HZ 'BEGIN { print 2 * 25e6 * (p / 512 + b) / hz }')
gbusy=$(awk -v p="$kp" -v b="$kb" -v hz=$HZ 'BEGIN { print 2 * 25e6 * (p / 512 + b) / hz }')
kicks=$("$H5READ" "$O" --series /timeseries/nic_kicks_per_s | sed -n 5p | awk '{ print $5 }')
check_near "kicks/s = Tx packets/s x (1 - vhost busy) / batch" "$kicks" \
    "$(awk -v p="$pps" -v u="$vbusy" -v n="$batch" 'BEGIN { print p * (1 - u) / n }')" 0.001
irq=$("$H5READ" "$O" --series /timeseries/nic_interrupts_per_s | sed -n 5p)
check_near "interrupts/s = Rx packets/s x (1 - vCPU busy) / batch" "$(echo "$irq" | awk '{ print $5 }')" \
    "$(awk -v p="$pps" -v u="$gbusy" -v n="$batch" 'BEGIN { print p * (1 - u) / n }')" 0.001
xbusy=$(awk -v g="$gbusy" 'BEGIN { print g / 2 }')
check_near "Rx only, no posted interrupts: interrupts/s" "$(echo "$irq" | awk '{ print $6 }')" \
    "$(awk -v p="$pps" -v u="$xbusy" -v n="$batch" 'BEGIN { print p * (1 - u) / n }')" 0.001
check_near "no posted interrupts: a VM exit per interrupt on the host" \
    "$(col x host_exit_cycles)" "$(awk -v i="$(col x interrupts)" -v e="$ge" 'BEGIN { print i * e }')" 1e-6
check_near "posted interrupts: the exits are the kicks'" "$(col k host_exit_cycles)" \
    "$(awk -v k="$kicks" -v e="$kick" 'BEGIN { print k * 1.0 * e }')" 0.001
check_eq "DPDK guests take no interrupts" "$(col mq interrupts | awk '$1 > 0' | wc -l)" 0
check_eq "a polling backend is never kicked (vhost-user: no kicks series column > 0)" \
    "$("$H5READ" "$O" --series /timeseries/nic_kicks_per_s | sed -n 5p | awk '{ print $4 }')" 0

finish
