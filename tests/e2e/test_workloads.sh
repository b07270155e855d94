#!/usr/bin/env bash
# Workloads (docs/scenario.md "workloads[]"): the Poisson arrival count
# within its confidence interval, the ideal FCT closed form with and
# without the start-up term, slowdown 1 for a flow alone, the max-min
# slowdown of an incast, the per-flow table streamed into a chunked
# dataset, determinism for a seed.
source "$(dirname "$0")/lib.sh"
BASE="$SCN/wl_base.yaml"

# scenario NAME: the base platform plus the workloads section on stdin
scenario() { { cat "$BASE"; cat; } > "$WORK/$1.yaml"; }

# --- Poisson arrivals: N flows in [0, 5 s) at 2 kHz, E[N] = 10,000; the
# 99.9 % interval of a Poisson count is E +- 3.29 sqrt(E) (= +- 329).
scenario poisson <<'EOF2'
workloads:
  - { name: p, from: { vms: v1 }, to: { vms: v3 }, size: 1kB, flow_rate: 2kHz,
      stop: 5s, record_flows: false }
EOF2
run_sim "$WORK/poisson.yaml" "$WORK/poisson.h5"
n=$(field "$WORK/poisson.h5" workloads flows)
CHECKS=$((CHECKS + 1))
if awk -v n="$n" 'BEGIN { exit !(n >= 10000 - 329 && n <= 10000 + 329) }'; then
    pass "Poisson count $n within 10000 +- 329"
else fail "Poisson count $n outside 10000 +- 329 (99.9 % interval)"; fi
check_eq "every flow completes or is cut" \
    "$(( $(field "$WORK/poisson.h5" workloads completed) + $(field "$WORK/poisson.h5" workloads unfinished) ))" "$n"
check_eq "record_flows: false writes no per-flow table" \
    "$(h5dump -H "$WORK/poisson.h5" | grep -c 'DATASET "workload_flows"' || true)" 0
run_sim "$WORK/poisson.yaml" "$WORK/poisson2.h5"
check_eq "same seed, same datasets" "$("$H5READ" "$WORK/poisson.h5" --digest)" \
    "$("$H5READ" "$WORK/poisson2.h5" --digest)"
run_sim "$WORK/poisson.yaml" "$WORK/poisson3.h5" --seed 12
CHECKS=$((CHECKS + 1))
if [ "$(field "$WORK/poisson3.h5" workloads flows)" != "$n" ]; then pass "another seed, other arrivals"
else fail "seed 12 made as many flows as seed 11 ($n)"; fi

# --- A flow alone: 1 MB capped at 5 Gb/s, one a second (they never meet).
# Ideal FCT = wire bytes / rate + one-way delay (+ the start-up term, 0
# here: the initial window of 10 x 1518 B frames covers rate x RTT); the
# fluid FCT equals it, slowdown 1. Wire bytes: 1 MB of payload in
# ceil(1e6 / 1460) = 685 segments of 58 B of headers each (wl_fct.h).
scenario alone <<'EOF2'
workloads:
  - { name: a, from: { vms: v1 }, to: { vms: v3 }, size: 1MB, flow_rate: 1Hz,
      rate_cap: 5Gbps }
EOF2
run_sim "$WORK/alone.yaml" "$WORK/alone.h5"
rows=$(field "$WORK/alone.h5" workload_flows slowdown | wc -l)
check_eq "one row per flow" "$rows" "$(field "$WORK/alone.h5" workloads flows)"
CHECKS=$((CHECKS + 1))
if [ "$rows" -ge 3 ] && paste <(field "$WORK/alone.h5" workload_flows slowdown) \
        <(field "$WORK/alone.h5" workload_flows completed) |
        awk '{ if ($2 == 1 && ($1 < 1 - 1e-9 || $1 > 1 + 1e-9)) bad = 1 } END { exit bad }'; then
    pass "slowdown 1.0 for each of $rows lone flows"
else fail "a lone flow's slowdown is not 1: $(field "$WORK/alone.h5" workload_flows slowdown | head -3 | tr '\n' ' ')"; fi
rtt=$(field "$WORK/alone.h5" workload_flows base_rtt_s | sed -n 1p)
check_near "ideal FCT = wire bytes / cap + RTT/2" "$(field "$WORK/alone.h5" workload_flows ideal_fct_s | sed -n 1p)" \
    "$(awk -v r="$rtt" 'BEGIN { printf "%.12g", (1e6 + 685 * 58) / 6.25e8 + r / 2 }')" 1e-9
check_near "size_bytes is the payload drawn" "$(field "$WORK/alone.h5" workload_flows size_bytes | sed -n 1p)" 1e6 1e-12
check_eq "the per-flow table is chunked (extendible)" \
    "$(h5dump -p -H -d workload_flows "$WORK/alone.h5" | grep -c CHUNKED)" 1

# --- The start-up term: 100 us uplinks make the cross-rack RTT exceed what
# the first window covers; k = ceil(log2(rate RTT / w0)) rounds, S = w0 (2^k
# - 1) bytes in them, and a 1 MB flow (> S) loses k RTT - S / rate (in
# frame bytes: w0 = 10 x 1518 B).
sed 's/tor_uplink: { rate: 40Gbps, latency: 1us }/tor_uplink: { rate: 40Gbps, latency: 100us }/' \
    "$WORK/alone.yaml" > "$WORK/slow.yaml"
run_sim "$WORK/slow.yaml" "$WORK/slow.h5"
rtt=$(field "$WORK/slow.h5" workload_flows base_rtt_s | sed -n 1p)
expect=$(awk -v r="$rtt" 'BEGIN { rate = 6.25e8; w0 = 15180; bdp = rate * r; z = 1e6 + 685 * 58;
    k = log(bdp / w0) / log(2); k = (k == int(k)) ? k : int(k) + 1; s = w0 * (2 ^ k - 1);
    printf "%.12g", z / rate + r / 2 + k * r - s / rate }')
check_near "ideal FCT with the start-up term (RTT $rtt s)" \
    "$(field "$WORK/slow.h5" workload_flows ideal_fct_s | sed -n 1p)" "$expect" 1e-9
check_near "a lone flow's FCT equals it" "$(field "$WORK/slow.h5" workload_flows fct_s | sed -n 1p)" \
    "$expect" 1e-9

# --- slow_start: hystart (wl_fct.h, docs/granularity.md "Slow start's early
# exit"): under a 2 ms RTT the window doubles to the first round at or
# above 16 segments (10, 20 x 1518 B) and then grows 5 % a round trip until
# it covers rate x RTT (253,750 B: 167 segments); the 1 MB flow (684.9
# segments of frames) ends during that growth: after j rounds it has sent
# 10 + 20 (1.05^(j-1) - 1) / 0.05 segments, 671.3 after 21, 705.0 after
# 22: it ends in round 22 and loses 21 RTT - 671.3 x 1518 B / rate.
sed 's/rate_cap: 5Gbps }/rate_cap: 5Gbps, slow_start: hystart }/' "$WORK/slow.yaml" > "$WORK/hystart.yaml"
run_sim "$WORK/hystart.yaml" "$WORK/hystart.h5"
rtt=$(field "$WORK/hystart.h5" workload_flows base_rtt_s | sed -n 1p)
expect=$(awk -v r="$rtt" 'BEGIN { rate = 6.25e8; seg = 1518; z = 1e6 + 685 * 58;
    for (j = 1; 10 + 20 * (1.05 ^ j - 1) / 0.05 < z / seg; j++) ;
    before = (10 + 20 * (1.05 ^ (j - 1) - 1) / 0.05) * seg
    printf "%.12g", z / rate + r / 2 + j * r - before / rate }')
check_near "hystart: ideal FCT with the early exit (RTT $rtt s)" \
    "$(field "$WORK/hystart.h5" workload_flows ideal_fct_s | sed -n 1p)" "$expect" 1e-9
check_near "hystart: a lone flow's slowdown is 1" \
    "$(field "$WORK/hystart.h5" workload_flows slowdown | sed -n 1p)" 1 1e-12

# --- Incast: three senders, one receiver port (10 Gb/s): each 10 MB flow
# gets a third of it, slowdown 3 x (size/rate) + d over size/rate + d.
scenario incast <<'EOF2'
workloads:
  - { name: i, from: { vms: [v2, v3, v4] }, to: { vms: v1 }, pattern: incast, fan_in: 3,
      size: 10MB, flow_rate: 1Hz, initial_window: 0 }
EOF2
run_sim "$WORK/incast.yaml" "$WORK/incast.h5"
check_eq "incast: 3 flows per arrival" "$(field "$WORK/incast.h5" workloads flows_per_arrival)" 3
rtt=$(field "$WORK/incast.h5" workload_flows base_rtt_s | sed -n 1p)
check_near "incast: p50 slowdown (0.5 % bins)" "$(field "$WORK/incast.h5" workload_fct p50_slowdown)" \
    "$(awk -v r="$rtt" 'BEGIN { t = 1e7 / 1.25e9; printf "%.9g", (3 * t + r / 2) / (t + r / 2) }')" 0.005

# --- The report draws p99 slowdown against flow size from /workload_fct.
"$SRIOV_SIM" report "$WORK/incast.h5" -o "$WORK/rep" > /dev/null
check_figures "$WORK/rep" workload_slowdown

finish
