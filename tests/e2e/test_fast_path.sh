#!/usr/bin/env bash
# Performance issue: the fast path (src/sim/fluid.h) changes nothing but
# speed. Flows whose every link has room for all the caps crossing it run
# free of SimGrid's solver; max-min gives them their caps; the others get
# their max-min rates from our own solver (src/sim/netsolve.h). So the
# datasets with the fast path on and off (every flow a SimGrid transfer)
# must agree to SimGrid's rounding (1e-9 relative here; measured
# differences are ~1e-13).
source "$(dirname "$0")/lib.sh"

# with_keys SCENARIO OUT.yaml "KEY: VALUE"...: a copy with these keys added
# to its simulation mapping (flow or block style).
with_keys() {
    local in=$1 out=$2; shift 2
    local flow block
    flow=$(printf '%s, ' "$@")
    block=$(printf '\\n  %s' "$@")
    sed -e "s/^simulation: *{/simulation: { $flow/" -e "s/^simulation: *\$/simulation:$block/" \
        "$in" > "$out"
}

# same_series A.h5 B.h5 PATH NAME: every cell within 1e-9 relative (1e-6 absolute floor).
same_series() {
    CHECKS=$((CHECKS + 1))
    local worst
    worst=$(paste <("$H5READ" "$1" --series "$3" | tr ' ' '\n') \
                  <("$H5READ" "$2" --series "$3" | tr ' ' '\n') |
        awk '{ d = $1 - $2; if (d < 0) d = -d; m = ($1 < 0 ? -$1 : $1); if (($2 < 0 ? -$2 : $2) > m) m = ($2 < 0 ? -$2 : $2);
               if (d > 1e-9 * m + 1e-6) bad++; if (m > 0 && d / m > w) w = d / m }
             END { printf "%d %.3g %d\n", bad, w, NR }')
    set -- "$@" $worst
    if [ "$5" = 0 ] && [ "$7" -gt 0 ]; then
        pass "$4 $3: $7 cells agree (worst relative difference $6)"
    else
        fail "$4 $3: $5 of $7 cells differ by more than 1e-9 (worst $6)"
    fi
}

compare() {
    local name=$1 scn=$2; shift 2
    with_keys "$scn" "$WORK/$name-on.yaml" "fast_path: true" "$@"
    with_keys "$scn" "$WORK/$name-off.yaml" "fast_path: false" "$@"
    run_sim "$WORK/$name-on.yaml" "$WORK/$name-on.h5"
    run_sim "$WORK/$name-off.yaml" "$WORK/$name-off.h5"
    for s in /timeseries/flow_throughput_bps /timeseries/vf_throughput_bps /timeseries/link_utilisation; do
        same_series "$WORK/$name-on.h5" "$WORK/$name-off.h5" "$s" "$name"
    done
}

for n in quickstart noisy-neighbour tenant-churn multi-tenant-security migration-failover \
         datapath-comparison pcie-iommu-study; do
    compare "$n" "$SRCDIR/scenarios/$n.yaml"
done
compare tenant-churn-epoch "$SRCDIR/scenarios/tenant-churn.yaml" "rate_epoch: 100ms"
compare flip "$SCN/fast_path_flip.yaml"
compare pod "$SCN/fast_path_pod.yaml"

# It did take flows off the solver: tenant-churn's flows never meet a full
# link; with the fast path off every moving flow is a SimGrid transfer.
peak() { "$H5READ" "$1" --attr /meta "$2"; }
check_eq "tenant-churn on: flows moving at once" "$(peak "$WORK/tenant-churn-on.h5" peak_active_flows)" 5
check_eq "tenant-churn on: in the solver" "$(peak "$WORK/tenant-churn-on.h5" peak_solver_flows)" 0
check_eq "tenant-churn off: in the solver" "$(peak "$WORK/tenant-churn-off.h5" peak_solver_flows)" 5
check_eq "pod on: no flow in the solver (its one migration is capped)" \
    "$(peak "$WORK/pod-on.h5" peak_solver_flows)" 0
check_eq "pod: the migration ran" "$("$H5READ" "$WORK/pod-on.h5" migrations vm)" vm0_0_0
# Over-asked, the port is shared by our own max-min solver
# (src/sim/netsolve.h), not SimGrid's: no flow becomes a transfer.
check_eq "flip on: none in SimGrid's solver while the port is over-asked" \
    "$(peak "$WORK/flip-on.h5" peak_solver_flows)" 0
check_eq "flip off: all three in SimGrid's solver" "$(peak "$WORK/flip-off.h5" peak_solver_flows)" 3

# Closed form of the flip: 10 Gb/s each while free, a third of the port's
# frame capacity (25 Gb/s x 1500/1520 for 1500 B frames) each while the
# port is full, 10 Gb/s again after the third leaves (1e-9).
tp=$("$H5READ" "$WORK/flip-on.h5" --series /timeseries/flow_throughput_bps)
row() { echo "$tp" | sed -n "${1}p" | awk -v c="$2" '{ print $c }'; }
check_near "flip 0-0.5 s fa (free)" "$(row 1 1)" 1e10 1e-9
check_near "flip 1-1.5 s fa (bound)" "$(row 3 1)" "$(awk 'BEGIN { printf "%.17g", 25e9 * 1500 / 1520 / 3 }')" 1e-9
check_near "flip 1-1.5 s fc (bound)" "$(row 3 3)" "$(awk 'BEGIN { printf "%.17g", 25e9 * 1500 / 1520 / 3 }')" 1e-9
check_near "flip 2.5-3 s fb (free again)" "$(row 6 2)" 1e10 1e-9
check_near "flip fa delivered" "$(field "$WORK/flip-on.h5" flows delivered_bytes fa)" \
    "$(awk 'BEGIN { printf "%.17g", (2 * 10e9 + 25e9 * 1500 / 1520 / 3) / 8 }')" 1e-9
finish
