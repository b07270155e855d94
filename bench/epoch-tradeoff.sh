#!/usr/bin/env bash
# bench/epoch-tradeoff.sh -- what simulation.rate_epoch and SimGrid's
# optimisation mode cost and save on pod-64 (bench/gen_pod): wall time, and
# per-flow delivered bytes against the exact run (rate_epoch 0). Usage:
#   bench/epoch-tradeoff.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=results/bench/epoch
mkdir -p "$OUT"
H5READ=$BUILD/tests/h5read
run() { # NAME EPOCH [extra args]
    local name=$1 epoch=$2; shift 2
    "$BUILD/bench/gen_pod" 64 16 2 32 4096 60 1 "$epoch" 1 4 > "$OUT/$name.yaml"
    local t0 t1
    t0=$(date +%s.%N)
    "$BUILD/sriov-sim" run "$OUT/$name.yaml" -o "$OUT/$name.h5" --quiet "$@"
    t1=$(date +%s.%N)
    "$H5READ" "$OUT/$name.h5" flows delivered_bytes > "$OUT/$name.bytes"
    "$H5READ" "$OUT/$name.h5" flows offered_bytes > "$OUT/$name.offered"
    echo "$(echo "$t1 - $t0" | bc -l)" > "$OUT/$name.wall"
}
compare() { # NAME: error of delivered bytes vs exact, relative to offered bytes
    paste "$OUT/exact.bytes" "$OUT/$1.bytes" "$OUT/exact.offered" | awk -v n="$1" -v w="$(cat "$OUT/$1.wall")" '
        { d = $2 - $1; if (d < 0) d = -d; if ($3 > 0) { e = d / $3; s += e; if (e > m) m = e; k++ } }
        END { printf "%-22s %8.2f %14.4f %14.4f\n", n, w, 100 * s / k, 100 * m }'
}
run exact 0
run epoch-0.1 0.1
run epoch-0.5 0.5
run epoch-1 1
run epoch-0.5-lazy 0.5 --cfg network/optim:Lazy
run epoch-0.5-xtraffic 0.5 --cfg network/crosstraffic:1
printf '%-22s %8s %14s %14s\n' case wall_s "mean_err_%" "max_err_%"
for c in exact epoch-0.1 epoch-0.5 epoch-1 epoch-0.5-lazy epoch-0.5-xtraffic; do compare "$c"; done
