#!/usr/bin/env bash
# Our max-min solver (src/sim/netsolve.h) against SimGrid's, on random
# congested pods: bench/gen_pod --congested (elastic transfers with Poisson
# starts and log-normal sizes over 4:1 oversubscribed uplinks, so uplinks
# and host ports fill up and transfers pile up), for several seeds, as
# written and with a third of the transfers capped at random rates and
# exact start times. simulation.fast_path: false makes every flow a SimGrid
# transfer; the datasets must agree to 1e-9 relative (measured: ~1e-13),
# completion times included.
source "$(dirname "$0")/lib.sh"
GEN_POD=${GEN_POD:?GEN_POD: the bench/gen_pod binary}

# rel_diff A B TABLE FIELD: the largest relative difference of a column
# (NaN must meet NaN).
rel_diff() {
    paste <("$H5READ" "$1" "$3" "$4") <("$H5READ" "$2" "$3" "$4") | awk '
        { a = $1; b = $2
          if (a ~ /nan/ || b ~ /nan/) { if ((a ~ /nan/) != (b ~ /nan/)) bad++; next }
          d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
          if (m > 0 && d / m > w) w = d / m; n++ }
        END { if (bad) print "nan-mismatch"; else printf "%.3g %d\n", w, n }'
}

check_same() {
    local name=$1 on=$2 off=$3 col worst
    for col in completion_time_s delivered_bytes; do
        CHECKS=$((CHECKS + 1))
        read -r worst n <<< "$(rel_diff "$on" "$off" flows "$col")"
        if [ "$worst" != nan-mismatch ] && [ "${n:-0}" -gt 0 ] &&
           awk -v w="$worst" 'BEGIN { exit !(w <= 1e-9) }'; then
            pass "$name flows.$col: $n agree (worst relative difference $worst)"
        else
            fail "$name flows.$col: worst relative difference $worst over ${n:-0} flows"
        fi
    done
}

# variant SEED EPOCH CAPPED: a 12-host pod in 3 racks, 1 simulated s.
variant() {
    local seed=$1 epoch=$2 capped=$3 name="pod-s$1-e$2-c$3"
    "$GEN_POD" --congested 12 4 4 1 "$seed" 0.5 "$epoch" 0.1 2> /dev/null |
        awk -v capped="$capped" -v seed="$seed" '
            BEGIN { srand(seed) }
            /kind: elastic/ && capped && rand() < 1 / 3 { sub(/kind: elastic,/, sprintf("kind: elastic, rate: %.3fGbps,", 0.5 + 20 * rand())) }
            { print }' > "$WORK/$name.yaml"
    sed "s/^simulation:\$/simulation:\n  fast_path: false/" "$WORK/$name.yaml" > "$WORK/$name-off.yaml"
    run_sim "$WORK/$name.yaml" "$WORK/$name.h5"
    run_sim "$WORK/$name-off.yaml" "$WORK/$name-off.h5"
    check_same "$name" "$WORK/$name.h5" "$WORK/$name-off.h5"
    check_eq "$name: our solver took every flow" "$("$H5READ" "$WORK/$name.h5" --attr /meta peak_solver_flows)" 0
}

for seed in 1 2 3; do
    variant "$seed" 0.5 0
    variant "$seed" 0 1
done
finish
