#!/usr/bin/env bash
# Queues, RSS and interrupts (docs/queues-interrupts.md), closed forms on
# tests/e2e/scenarios/queues_rss.yaml (E810 VFs, 64 B, 2.5 GHz, 1 s):
#   one kernel queue carries R = (hz - irq/s x cycles per interrupt) / cost
#   per byte; a flow of C connections over Q queues carries
#   min(hardware path, R x C / (the busiest queue's connections));
#   one connection gets one queue's rate; a queue's flows share its R.
. "$(dirname "$0")/lib.sh"

HZ=2.5e9; PKT=64; IRQ_HZ=20000          # iavf default ITR 50 us
cpp=$(param kernel cycles_per_packet); cpb=$(param kernel cycles_per_byte)
gi=$(awk '$1 == "guest_cycles_per_interrupt:" { print $2 }' "$SRIOV_MODELS_DIR/virtio/backends.yaml")
ge=$(awk '$1 == "exit_cycles_per_interrupt:" { print $2 }' "$SRIOV_MODELS_DIR/virtio/backends.yaml")
# qrate IRQ_CYCLES -> one queue's Gbit/s at 64 B, timer-paced interrupts
qrate() { awk -v i="$1" -v hz=$HZ -v p="$cpp" -v b="$cpb" -v s=$PKT -v n=$IRQ_HZ \
    'BEGIN { print (hz - n * i) / (p / s + b) * 8 / 1e9 }'; }
R=$(qrate "$gi")

O="$WORK/q.h5"
run_sim "$SCN/queues_rss.yaml" "$O"
# rows of /queues for VM $1, column $2 (in queue order)
col() { paste <(field "$O" queues vm) <(field "$O" queues "$2") | awk -v v="$1" '$1 == v { print $2 }'; }

# --- many connections over 8 queues ------------------------------------------
conns=$(col many connections)
check_eq "8 vCPUs, 16 VF queues: 8 queues" "$(echo "$conns" | wc -l)" 8
max=$(echo "$conns" | sort -n | tail -n 1)
check_near "4096 connections: R x 4096 / busiest queue" "$(gbps "$O" f_many 1)" \
    "$(awk -v r="$R" -v m="$max" 'BEGIN { print r * 4096 / m }')" 0.01
check_eq "every connection hashed" "$(echo "$conns" | awk '{ s += $1 } END { print s }')" 4096

# --- one elephant: one queue --------------------------------------------------
check_near "one connection: one queue's rate" "$(gbps "$O" f_eleph 1)" "$R" 0.01
check_eq "one queue carries it" "$(col eleph packets | awk '$1 > 0' | wc -l)" 1

# --- 24 equal flows: each queue carries min(R, its flows x 0.4) ---------------
exp=$(col flows connections | awk -v r="$R" '{ d = $1 * 0.4; s += d < r ? d : r } END { print s }')
tot=0; for i in $(seq -w 0 23); do tot=$(awk -v t="$tot" -v g="$(gbps "$O" "g$i" 1)" 'BEGIN { print t + g }'); done
check_near "24 flows over 8 queues: sum of min(R, flows x 0.4 Gb/s)" "$tot" "$exp" 0.01

# --- DPDK: 8 lcores poll, hardware path binds ---------------------------------
cpu=$("$H5READ" "$O" --series /timeseries/host_cpu_utilisation | sed -n 5p)
read -r u_many u_eleph u_flows u_dpdk u_nopi u_off u_msix <<<"$cpu"
check_near "dpdk: 8 lcores of 32 cores" "$u_dpdk" 0.25 0.001
# many: the busiest queue saturates, the others carry their share of the
# one flow: vCPU cycles = sum over queues of packets x cost + interrupts x cost
used=$(paste <(col many packets) <(col many interrupts) | awk -v p="$cpp" -v b="$cpb" -v i="$gi" \
    '{ s += $1 * (p + 64 * b) + $2 * i } END { print s }')
check_near "kernel, 8 queues: their cycles of 32 cores" "$u_many" "$(awk -v u="$used" -v hz=$HZ 'BEGIN { print u / (32 * hz) }')" 0.001
d=$(gbps "$O" f_dpdk 1)
CHECKS=$((CHECKS + 1))
if awk -v d="$d" -v r="$R" 'BEGIN { exit !(d > 8 * r) }'; then pass "dpdk ($d) above 8 kernel queues"
else fail "dpdk $d not above 8 kernel queues ($R each)"; fi

# --- interrupts: posted vs VM exits, moderation off ---------------------------
check_near "no posted interrupts: VM exits take the vCPU's cycles" "$(gbps "$O" f_nopi 1)" \
    "$(qrate "$(awk -v a="$gi" -v b="$ge" 'BEGIN { print a + b }')")" 0.01
check_near "moderated: 20k interrupts/s" "$(col eleph interrupts | awk '{ s += $1 } END { print s }')" 20000 0.001
check_near "host exit cycles = interrupts x exit cost" \
    "$(col nopi host_exit_cycles | awk '{ s += $1 } END { print s }')" "$(awk -v e="$ge" 'BEGIN { print 20000 * e }')" 0.001
check_eq "posted: no exit cycles" "$(col eleph host_exit_cycles | awk '{ s += $1 } END { print s }')" 0
check_near "moderation off: an interrupt per packet" "$(col off interrupts | awk '{ s += $1 } END { print s }')" \
    "$(awk 'BEGIN { print 100e6 / 8 / 64 }')" 0.001
check_near "dpdk takes no interrupts" "$(col dpdk interrupts | awk '{ s += $1 } END { print s + 1 }')" 1 1e-9

# --- queue limits ----------------------------------------------------------------
check_eq "msix_per_vf 5: 4 queues" "$(paste <(field "$O" queues vm) <(field "$O" queues nic) | grep -c '^msix.eth0$' || true)" 4
check_eq "key queues 2: 2 queues" "$(paste <(field "$O" queues vm) <(field "$O" queues nic) | grep -c '^msix.eth1$' || true)" 2

# --- per-VM vCPU series ----------------------------------------------------------
net=$("$H5READ" "$O" --series /timeseries/vm_vcpu_network | sed -n 5p)
read -r n_many n_eleph n_flows n_dpdk n_nopi n_off n_msix <<<"$net"
check_near "many: its queues' cycles of 8 vCPUs" "$n_many" "$(awk -v u="$used" -v hz=$HZ 'BEGIN { print u / (8 * hz) }')" 0.001
check_near "eleph: one vCPU of 8" "$n_eleph" 0.125 0.001
check_near "nopi: one vCPU of 8 less the exits (host time)" "$n_nopi" \
    "$(awk -v e="$ge" -v hz=$HZ 'BEGIN { print (1 - 20000 * e / hz) / 8 }')" 0.001
irq=$("$H5READ" "$O" --series /timeseries/nic_interrupts_per_s | sed -n 5p)
check_near "interrupts/s of many.eth0: 8 queues x 20k" "$(echo "$irq" | awk '{ print $1 }')" 160000 0.001

# --- the report draws vCPU use per VM ---------------------------------------------
"$SRIOV_SIM" report "$O" -o "$WORK/rep" > /dev/null
check_figures "$WORK/rep" vm_vcpu_network
hdr=$(grep -v '^#' "$WORK/rep/vm_vcpu_network.dat" | sed -n 1p)
check_eq "busiest VM first in the figure's data" "$(echo "$hdr" | awk '{ print $2 }')" dpdk

# --- determinism -------------------------------------------------------------------
run_sim "$SCN/queues_rss.yaml" "$WORK/q2.h5"
check_eq "same seed, same spread" "$(field "$O" queues connections | md5sum)" \
    "$(field "$WORK/q2.h5" queues connections | md5sum)"
run_sim "$SCN/queues_rss.yaml" "$WORK/q3.h5" --seed 99
CHECKS=$((CHECKS + 1))
if [ "$(field "$O" queues connections | md5sum)" != "$(field "$WORK/q3.h5" queues connections | md5sum)" ]; then
    pass "another seed, another spread"; else fail "the spread ignores the seed"; fi
finish
