#!/usr/bin/env bash
# Host CPU as SimGrid resources: vhost threads, guest driver vCPUs and VM
# compute load are execs on the host's cores; SimGrid's fair CPU sharing
# sets what each gets, and that sets the datapath's throughput.
# Closed form: a host of C cores running K one-core compute threads and one
# vhost thread gives the vhost thread min(1, C / (K + 1)) of a core.
. "$(dirname "$0")/lib.sh"

HZ=2.5e9; PKT=64
# cores cycles_per_packet cycles_per_byte -> Gbit/s of 64 B packets
rate() { awk -v c="$1" -v p="$2" -v b="$3" -v hz=$HZ -v s=$PKT 'BEGIN { print c * hz / (p / s + b) * 8 / 1e9 }'; }
share() { awk -v C="$1" -v K="$2" 'BEGIN { s = C / (K + 1); print s < 1 ? s : 1 }'; }
no_mismatch() {
    CHECKS=$((CHECKS + 1))
    if "$H5READ" "$1" events type | grep -qx virt_cpu_mismatch; then
        fail "$2: an exec's progress differs from the predicted share"
    else pass "$2: every exec got the share predicted"; fi
}

# --- vhost-net vs VM compute load ------------------------------------------
L="$WORK/load.h5"
run_sim "$SCN/virt_cpu_load.yaml" "$L"
one=$(rate 1 "$(param vhost-net cycles_per_packet)" "$(param vhost-net cycles_per_byte)")
check_near "no load: one vhost core" "$(gbps "$L" f_idle 2)" "$one" 0.01
check_near "7 busy vCPUs on 4 cores: x min(1, 4/8)" "$(gbps "$L" f_busy 2)" \
    "$(awk -v r="$one" -v s="$(share 4 7)" 'BEGIN { print r * s }')" 0.02
check_near "9 busy vCPUs on 4 cores: x min(1, 4/10)" "$(gbps "$L" f_mid 2)" \
    "$(awk -v r="$one" -v s="$(share 4 9)" 'BEGIN { print r * s }')" 0.02
check_near "6 vCPUs at 50 % leave the vhost thread its core" "$(gbps "$L" f_half 2)" "$one" 0.01
cpu=$("$H5READ" "$L" --series /timeseries/host_cpu_utilisation | sed -n 5p)
read -r u_idle u_busy u_mid u_half <<<"$cpu"
check_near "host CPU, vhost only: 1 of 4 cores" "$u_idle" 0.25 0.001
check_near "host CPU, oversubscribed: all cores" "$u_busy" 1 0.001
check_near "host CPU, oversubscribed (9 vCPUs): all cores" "$u_mid" 1 0.001
check_near "host CPU, 6 x 0.5 + 1 vhost core of 4" "$u_half" 1 0.001
no_mismatch "$L" "load"

# --- guest driver cost on the VM's vCPUs ------------------------------------
G="$WORK/guest.h5"
run_sim "$SCN/virt_cpu_guest.yaml" "$G"
k=$(gbps "$G" f_k 2); d=$(gbps "$G" f_d 2); kb=$(gbps "$G" f_kb 2)
# a kernel guest's queue also takes the moderated interrupts: the E810's
# iavf default 50 us -> 20k/s at saturation, guest_cycles_per_interrupt each
# (posted interrupts: no VM exit); the one flow is one connection: one queue
irq=$(awk '$1 == "guest_cycles_per_interrupt:" { print $2 }' "$SRIOV_MODELS_DIR/virtio/backends.yaml")
kc=$(awk -v i="$irq" -v hz=$HZ 'BEGIN { print 1 - 20000 * i / hz }')
ek=$(rate "$kc" "$(param kernel cycles_per_packet)" "$(param kernel cycles_per_byte)")
ed=$(rate "$(param dpdk cores)" "$(param dpdk cycles_per_packet)" "$(param dpdk cycles_per_byte)")
check_near "kernel guest: its vCPU's cycles / kernel cost" "$k" "$ek" 0.01
CHECKS=$((CHECKS + 1))
if awk -v d="$d" -v k="$k" -v ed="$ed" 'BEGIN { exit !(d > 2 * k && d <= ed * 1.0001) }'; then
    pass "64 B: dpdk guest ($d) well above kernel ($k), within its own limit ($ed)"
else fail "64 B: dpdk guest $d vs kernel $k (dpdk limit $ed)"; fi
# two queue threads (2 vCPUs) but one flow: one runs; 31 + 1 threads on 16 cores
kbe=$(rate "$(awk -v s="$(share 16 31)" -v i="$irq" -v hz=$HZ 'BEGIN { print s - 20000 * i / hz }')" \
    "$(param kernel cycles_per_packet)" "$(param kernel cycles_per_byte)")
check_near "kernel guest with 31 busy vCPUs on 16 cores: x 16/32" "$kb" "$kbe" 0.02
cpu=$("$H5READ" "$G" --series /timeseries/host_cpu_utilisation | sed -n 5p)
read -r u_k u_d u_p u_kb <<<"$cpu"
check_near "kernel guest saturates its vCPU: 1 of 16 cores" "$u_k" 0.0625 0.001
# DPDK: one lcore per queue, min(VF queues 16, 2 vCPUs) = 2 of 16 cores
check_near "dpdk guest: its 2 lcores" "$u_d" 0.125 0.001
check_near "dpdk guest without traffic still polls its 2 lcores" "$u_p" 0.125 0.001
check_near "kernel guest + 31 busy vCPUs: all 16 cores" "$u_kb" 1 0.001
no_mismatch "$G" "guest"

# --- determinism ------------------------------------------------------------
run_sim "$SCN/virt_cpu_load.yaml" "$WORK/load2.h5"
check_eq "same scenario, same series" \
    "$("$H5READ" "$L" --series /timeseries/host_cpu_utilisation | md5sum)" \
    "$("$H5READ" "$WORK/load2.h5" --series /timeseries/host_cpu_utilisation | md5sum)"
finish
