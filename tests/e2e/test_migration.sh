#!/usr/bin/env bash
# Live migration: pre-copy closed forms, the stop rule, VF -> virtio
# failover and VF re-plug, vDPA finding (or not) a free VF on arrival, a
# migrate of a migrating VM, and the loader's refusal of a VF without standby.
. "$(dirname "$0")/lib.sh"

# 1. zero dirty rate: pre-copy = RAM / bandwidth, downtime = min_downtime
P="$WORK/pre.h5"
run_sim "$SCN/mig_precopy.yaml" "$P"
pre=$(awk -v a="$(mig "$P" precopy_end_s)" -v b="$(mig "$P" precopy_start_s)" 'BEGIN { print a - b }')
check_near "pre-copy time = 4 GiB / 10 Gb/s" "$pre" "$(awk 'BEGIN { print 4 * 2^30 * 8 / 10e9 }')" 0.02
check_near "total time = pre-copy + min downtime" \
    "$(awk -v a="$(mig "$P" end_s)" -v b="$(mig "$P" start_s)" 'BEGIN { print a - b }')" \
    "$(awk 'BEGIN { print 4 * 2^30 * 8 / 10e9 + 0.020 }')" 0.02
check_near "downtime = configured minimum" "$(mig "$P" downtime_s)" 0.020 0.001
check_eq "one round" "$(mig "$P" rounds)" 1
check_near "bytes sent = RAM" "$(mig "$P" bytes)" "$(awk 'BEGIN { print 4 * 2^30 }')" 0.0001
check_near "packets lost = rate x downtime / size" "$(mig "$P" lost_packets)" \
    "$(awk 'BEGIN { print 1e9 / 8 * 0.020 / 1500 }')" 0.01

# 1b. zero pages: round 1 sends the non-zero 25 % of RAM and 9 B (QEMU's
# page header + 1 byte) for each 4 KiB zero page
Z="$WORK/zero.h5"
run_sim "$SCN/mig_zero.yaml" "$Z"
zbytes=$(awk 'BEGIN { printf "%.17g", 4 * 2^30 * (0.25 + 0.75 * 9 / 4096) }')
check_near "pre-copy time = those bytes / 10 Gb/s" \
    "$(awk -v a="$(mig "$Z" precopy_end_s)" -v b="$(mig "$Z" precopy_start_s)" 'BEGIN { print a - b }')" \
    "$(awk -v z="$zbytes" 'BEGIN { print z * 8 / 10e9 }')" 0.001
check_near "bytes sent = the non-zero pages + zero-page headers" "$(mig "$Z" bytes)" "$zbytes" 1e-6

# 2. dirty rate (20 Gb/s) above the bandwidth (10 Gb/s): ends by max_rounds 5,
# the last copy is the working set (90 % of RAM), sent at the 25 Gb/s port
# rate: `bandwidth` caps the pre-copy rounds only, as QEMU's stop-and-copy
# flushes the rest regardless of its rate limit (migration/ram.c
# ram_save_complete; at the 10 Gb/s cap this was 3.11 s)
D="$WORK/dirty.h5"
run_sim "$SCN/mig_dirty.yaml" "$D"
check_eq "stopped by the round cap" "$(mig "$D" rounds)" 5
check_near "stop-and-copy sends the working set at the port rate" "$(mig "$D" downtime_s)" \
    "$(awk 'BEGIN { print 0.9 * 4 * 2^30 * 8 / 25e9 + 0.020 }')" 0.02
CHECKS=$((CHECKS + 1))
if "$H5READ" "$D" events type | grep -qx mig_stop_rule; then pass "stop rule logged"
else fail "no mig_stop_rule event"; fi

# 2b. the stop rule re-estimates the bandwidth every round (SimGrid's
# plugin): a rival flow from 1.5 s halves the 10 Gb/s ports. Closed form:
# round 1 sends 1 GiB at 1.25 GB/s for 0.5 s then 0.625 GB/s; each later
# round sends what the last dirtied (2.7 Gb/s x its time) at 0.625 GB/s and
# stops once that fits 300 ms at the round's own bandwidth. On round 1's
# bandwidth it stopped after 2 rounds with a 0.356 s downtime (> 300 ms).
R="$WORK/rebw.h5"
run_sim "$SCN/mig_rebw.yaml" "$R"
# Once the rival's 1500 B frames cross the port, its capacity is in frame
# bytes (preamble, SFD and gap: 1500 / 1520 of line rate, issue 15), and the
# migration gets half of that.
read -r want_rounds want_down < <(awk 'BEGIN { M = 2^30; B = 1.25e9; Bh = B * 1500 / 1520 / 2
    D = 2.7e9 / 8; T = 0.3
    t = 0.5 + (M - 0.5 * B) / Bh; bw = M / t; d = D * t; n = 1
    while (d > bw * T) { t = d / Bh; bw = Bh; d = D * t; n++ }
    print n, d / Bh + 0.001 }')
check_eq "rounds with the bandwidth re-estimated" "$(mig "$R" rounds)" "$want_rounds"
check_near "downtime within max_downtime" "$(mig "$R" downtime_s)" "$want_down" 0.01

# 3. failover: virtio phase throughput = the vhost-net model's capacity at
# 1500 B; the VF comes back on h2 (free VF), not on h3 (taken)
F="$WORK/fo.h5"
run_sim "$SCN/mig_failover.yaml" "$F"
vnet=$(awk -v c="$(param vhost-net cores)" -v p="$(param vhost-net cycles_per_packet)" \
    -v b="$(param vhost-net cycles_per_byte)" 'BEGIN { print c * 2.5e9 / (p / 1500 + b) * 8 }')
# row FILE N K: flow K's throughput in sample N
row() { "$H5READ" "$1" --series /timeseries/flow_throughput_bps | sed -n "$2p" | awk -v k="$3" '{ print $k }'; }
# sample 30 ends at 3.0 s: (2.9, 3.0] is inside pre-copy, on virtio
check_near "vma on virtio during pre-copy = vhost-net capacity" "$(row "$F" 30 1)" "$vnet" 0.001
check_near "vma back on a VF on h2 at full rate" "$(row "$F" 60 1)" 20e9 0.001
check_near "vmb stays on virtio on h3" "$(row "$F" 60 2)" "$vnet" 0.001
check_eq "vma VF re-plugged" "$(mig "$F" vf_replugged 1)" 1
check_eq "vmb VF not re-plugged" "$(mig "$F" vf_replugged 2)" 0
check_near "unplug time before pre-copy" "$(mig "$F" precopy_start_s 1)" 2.1 1e-9
CHECKS=$((CHECKS + 1))
if "$H5READ" "$F" events type | grep -qx mig_vf_unavailable; then pass "no free VF logged"
else fail "no mig_vf_unavailable event"; fi

# 3b. the PF follows the migrated NIC (scenario comment): before, h1's VF 0
# stayed "assigned" to vma and took both FLRs, h2's VF 0 carried vma's
# traffic while "free", and vmb was plugged into a VF the PF had disabled.
PF="$WORK/pff.h5"
run_sim "$SCN/mig_pf_follow.yaml" "$PF"
pfrow() { paste -d' ' <(field "$PF" pf_vfs host) <(field "$PF" pf_vfs vf) <(field "$PF" pf_vfs state) \
    <(field "$PF" pf_vfs flr_count) | sed -n "$1p"; }
check_eq "source VF free after the unplug, no FLR" "$(pfrow 1)" "h1 0 free 0"
check_eq "destination VF assigned, took the FLR" "$(pfrow 3)" "h2 0 assigned 1"
check_eq "destination VF lists the tenant" "$(field "$PF" pf_vfs tenants | sed -n 3p)" "vma.eth0"
check_eq "disabled VFs stay disabled" "$(pfrow 7)" "h4 0 disabled 0"
# the FLR at 6 s (100 ms) pauses vma's flow on h2: sample 61 is (6.0, 6.1]
check_near "vma's flow paused by the FLR of its destination VF" "$(row "$PF" 61 1)" 0 1e-9
check_eq "vma re-plugged, vmb not (no enabled VF on h4)" \
    "$(field "$PF" migrations vf_replugged | tr '\n' ' ')" "1 0 "
refused=$(field "$PF" events detail)
CHECKS=$((CHECKS + 1))
case "$refused" in
*"flr for vma.eth0: the NIC holds no VF now"*) pass "FLR on the standby NIC refused" ;;
*) fail "no refusal of the FLR during the standby window" ;;
esac

# 3b. the NIC's QoS follows it (qos/shaper.c nic_moved): before, h2's VF
# had no shaper and vma ran at its full 15 Gb/s offer after the re-plug,
# and the 6 s set_qos changed h1's (free) VF
Q="$WORK/qos.h5"
run_sim "$SCN/mig_qos_follow.yaml" "$Q"
check_near "vma on virtio: VF QoS does not apply" "$(row "$Q" 25 1)" "$vnet" 0.001
check_near "vma re-plugged on h2 at the cap set while on virtio" "$(row "$Q" 35 1)" 4e9 0.001
check_near "the 6 s set_qos acts on h2's VF" "$(row "$Q" 70 1)" 3e9 0.001
check_near "vmc on h1 keeps its 2 Gb/s cap" "$(row "$Q" 70 2)" 2e9 0.001
check_near "vmn on h2 unaffected" "$(row "$Q" 70 3)" 5e9 0.001
check_near "vmd (unshaped) unshaped after its move" "$(row "$Q" 70 4)" 12e9 0.001
check_eq "the 6 s set_qos logged on h2's VF 1" "$(paste -d' ' <(field "$Q" events time_s) \
    <(field "$Q" events type) <(field "$Q" events host) <(field "$Q" events vf) | grep '^6 qos_set')" \
    "6 qos_set h2 1"

# 4. vDPA: va finds no free VF on h2 and falls back to vhost-net (its
# capacity at 1500 B); vb finds adapter 0's VF on h3 taken and takes
# adapter 1's; a second migrate of va while it migrates is refused
V="$WORK/vdpa.h5"
run_sim "$SCN/mig_vdpa.yaml" "$V"
check_eq "va falls back on h2" "$(paste -d' ' <(field "$V" events type) <(field "$V" events detail) |
    grep -c '^mig_vdpa_fallback va: no free VF for vDPA: vhost-net$')" 1
check_near "va on vhost-net after resume" "$(row "$V" 35 1)" "$vnet" 0.001
check_near "vb on a VF after resume, at full rate" "$(row "$V" 35 2)" 20e9 0.001
check_eq "vb's traffic not on h3's taken adapter" "$(field "$V" links bytes h3.nic0.p0_UP)" 0
CHECKS=$((CHECKS + 1))
if awk -v b="$(field "$V" links bytes h3.nic1.p0_UP)" 'BEGIN { exit !(b > 3.9e9) }'; then
    pass "vb's traffic on h3's other adapter"
else fail "vb's traffic not on h3.nic1"; fi
check_eq "second migrate of va refused" "$(paste -d' ' <(field "$V" events time_s) <(field "$V" events type) <(field "$V" events detail) |
    grep -c '^1.5 mig_refused va is already migrating: event ignored$')" 1
check_eq "two migrations, not three" "$(field "$V" migrations vm | tr '\n' ' ')" "va vb "

# 5. a VF NIC without a standby cannot migrate
CHECKS=$((CHECKS + 1))
set +e
msg=$("$SRIOV_SIM" run "$SCN/mig_nostandby.yaml" -o "$WORK/x.h5" --quiet 2>&1); rc=$?
set -e
if [ "$rc" -eq 2 ] && grep -q "mig_nostandby.yaml:9:5: error: VM 'vm1' cannot migrate" <<<"$msg"; then
    pass "VF without standby refused at file:line:col"
else
    fail "VF without standby: rc $rc, $msg"
fi
finish
