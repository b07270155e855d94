#!/usr/bin/env bash
# Adapter-wide limits (src/adapter/total.h): an E810 forwards 100 Gb/s of
# line rate in total over its two 100GbE ports (catalogue total_rate), shared
# max-min; a packet-rate limit caps small frames at pps x frame size.
source "$(dirname "$0")/lib.sh"

# 100 Gb/s of line rate carries 100e9 x 1500 / (1500 + 20) bit/s of 1500 B
# frames (preamble, SFD and inter-frame gap: 20 B a frame).
line1500=$(awk 'BEGIN { printf "%.17g", 100e9 / 8 * 1500 / 1520 }')

run_sim "$SCN/adapter_total.yaml" "$WORK/total.h5"
half=$(awk -v l="$line1500" 'BEGIN { printf "%.17g", l / 2 }')
check_near "2 x 100G on an E810: port 0 gets half" "$(field "$WORK/total.h5" flows delivered_bytes fa)" "$half" 1e-6
check_near "2 x 100G on an E810: port 1 gets half" "$(field "$WORK/total.h5" flows delivered_bytes fb)" "$half" 1e-6
check_near "the adapter link is full" "$(field "$WORK/total.h5" links peak_utilisation h1.nic0.total_UP)" 1 1e-6
check_eq "its kind" "$(field "$WORK/total.h5" links kind h1.nic0.total_UP)" adapter_up
# Ports count line time (frame + preamble, SFD and gap, issue 15) like the
# adapter's total: each carries exactly half of its line rate.
check_near "each port half used" "$(field "$WORK/total.h5" links peak_utilisation h1.nic0.p0_UP)" 0.5 1e-6
"$SRIOV_SIM" run "$SCN/adapter_total.yaml" -o "$WORK/total2.h5" > "$WORK/summary.txt"
CHECKS=$((CHECKS + 1))
if grep -q "adapter-wide limit reached: h1.nic0.total_UP" "$WORK/summary.txt"; then
    pass "the run summary names the adapter limit"
else fail "the run summary does not name the adapter limit: $(cat "$WORK/summary.txt")"; fi

# Max-min: 30 Gb/s gets all of it, 100 Gb/s the rest of the line rate.
run_sim "$SCN/adapter_total_maxmin.yaml" "$WORK/mm.h5"
check_near "max-min: the small flow is whole" "$(field "$WORK/mm.h5" flows delivered_bytes fa)" 3.75e9 1e-6
check_near "max-min: the large one gets the rest" "$(field "$WORK/mm.h5" flows delivered_bytes fb)" \
    "$(awk -v l="$line1500" 'BEGIN { printf "%.17g", l - 3.75e9 }')" 1e-6

# Packet rate: 10 Mpps shared by two 64 B flows = 5 Mpps x 64 B each; the
# 1500 B flow on an identical card (1.7 Mpps of 50 Gb/s) is not held.
run_sim "$SCN/adapter_pps.yaml" "$WORK/pps.h5"
check_near "pps limit, 64 B, fa" "$(field "$WORK/pps.h5" flows delivered_bytes fa)" 3.2e8 1e-6
check_near "pps limit, 64 B, fb" "$(field "$WORK/pps.h5" flows delivered_bytes fb)" 3.2e8 1e-6
check_near "pps limit, 1500 B untouched" "$(field "$WORK/pps.h5" flows delivered_bytes fc)" 6.25e9 1e-6

# A bad value is refused at load time with its line and column.
sed 's/total_packet_rate_pps: 10e6 }]/total_packet_rate_pps: 5 }]/' "$SCN/adapter_pps.yaml" > "$WORK/bad.yaml"
set +e; "$SRIOV_SIM" validate "$WORK/bad.yaml" > "$WORK/bad.out" 2>&1; rc=$?; set -e
check_eq "a packet rate of 5 pps is refused" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "bad.yaml:[0-9]*:[0-9]*: error: total_packet_rate_pps" "$WORK/bad.out"; then
    pass "refusal names the key at its line"
else fail "refusal: $(cat "$WORK/bad.out")"; fi

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
