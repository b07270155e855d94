#!/usr/bin/env bash
# Live migration: pre-copy closed forms, the stop rule, VF -> virtio
# failover and VF re-plug, and the loader's refusal of a VF without standby.
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

# 2. dirty rate (20 Gb/s) above the bandwidth (10 Gb/s): ends by max_rounds 5,
# the last copy is the working set (90 % of RAM)
D="$WORK/dirty.h5"
run_sim "$SCN/mig_dirty.yaml" "$D"
check_eq "stopped by the round cap" "$(mig "$D" rounds)" 5
check_near "stop-and-copy sends the working set" "$(mig "$D" downtime_s)" \
    "$(awk 'BEGIN { print 0.9 * 4 * 2^30 * 8 / 10e9 + 0.020 }')" 0.02
CHECKS=$((CHECKS + 1))
if "$H5READ" "$D" events type | grep -qx mig_stop_rule; then pass "stop rule logged"
else fail "no mig_stop_rule event"; fi

# 3. failover: virtio phase throughput = the vhost-net model's capacity at
# 1500 B; the VF comes back on h2 (free VF), not on h3 (taken)
F="$WORK/fo.h5"
run_sim "$SCN/mig_failover.yaml" "$F"
vnet=$(awk -v c="$(param vhost-net cores)" -v p="$(param vhost-net cycles_per_packet)" \
    -v b="$(param vhost-net cycles_per_byte)" 'BEGIN { print c * 2.5e9 / (p / 1500 + b) * 8 }')
row() { "$H5READ" "$F" --series /timeseries/flow_throughput_bps | sed -n "$1p" | awk -v k="$2" '{ print $k }'; }
# sample 30 ends at 3.0 s: (2.9, 3.0] is inside pre-copy, on virtio
check_near "vma on virtio during pre-copy = vhost-net capacity" "$(row 30 1)" "$vnet" 0.001
check_near "vma back on a VF on h2 at full rate" "$(row 60 1)" 20e9 0.001
check_near "vmb stays on virtio on h3" "$(row 60 2)" "$vnet" 0.001
check_eq "vma VF re-plugged" "$(mig "$F" vf_replugged 1)" 1
check_eq "vmb VF not re-plugged" "$(mig "$F" vf_replugged 2)" 0
check_near "unplug time before pre-copy" "$(mig "$F" precopy_start_s 1)" 2.1 1e-9
CHECKS=$((CHECKS + 1))
if "$H5READ" "$F" events type | grep -qx mig_vf_unavailable; then pass "no free VF logged"
else fail "no mig_vf_unavailable event"; fi

# 4. a VF NIC without a standby cannot migrate
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
