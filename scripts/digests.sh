#!/usr/bin/env bash
# digests.sh -- the dataset digest of every scenario we ship or test, for
# changes that must leave results alone (a restructuring, an optimisation).
#
#   scripts/digests.sh [BUILD_DIR] > after.txt; diff tests/digests.txt after.txt
#   scripts/digests.sh --check [BUILD_DIR]     # the same, against tests/digests.txt
#
# Covers scenarios/*.yaml (sweep definitions left out), every runnable
# scenario under tests/e2e/scenarios (flow granularity, and each at burst
# granularity where it ran before), pod-64 from bench/gen_pod (bench/run's
# case) and two packet-granularity (ns-3) cases. A digest is h5read
# --digest: every dataset and attribute but /meta's run attributes
# (wall_time_s, created_utc, host, command_line, source_revision). Scenarios
# that exit non-zero (the refusal tests) record their exit status instead.
# tests/digests.txt is the record; a change that moves numbers on purpose
# records it anew in the same commit and says why.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
BUILD=$(cd "${1:-build}" && pwd)
SIM=$BUILD/sriov-sim H5READ=$BUILD/tests/h5read GEN=$BUILD/bench/gen_pod
for x in "$SIM" "$H5READ" "$GEN"; do
    [ -x "$x" ] || { echo "digests.sh: $x missing: cmake --build $BUILD --target all bench" >&2; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

one() { # NAME SCENARIO
    local rc=0
    "$SIM" run "$2" -o "$WORK/out.h5" --quiet > /dev/null 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then echo "$1 exit=$rc"; return; fi
    echo "$1 $("$H5READ" "$WORK/out.h5" --digest)"
    rm -f "$WORK/out.h5"
}

with_gran() { # SCENARIO GRANULARITY -> a copy with that granularity
    local out=$WORK/$(basename "$1" .yaml).$2.yaml
    sed "s/simulation: { /simulation: { granularity: $2, /" "$1" > "$out"
    echo "$out"
}

all() {
    for s in scenarios/*.yaml; do
        grep -q '^base:' "$s" && continue
        one "$s" "$s"
    done
    # Relative paths inside test scenarios (catalogues, base files) resolve
    # from their own folder.
    (cd tests/e2e/scenarios && for s in *.yaml; do
        grep -q '^base:' "$s" && continue
        one "tests/e2e/scenarios/$s" "$s"
    done)
    for s in gran_paced gran_elastic gran_shaped; do
        one "$s@burst" "$(with_gran tests/e2e/scenarios/$s.yaml burst)"
        one "$s@packet" "$(with_gran tests/e2e/scenarios/$s.yaml packet)"
    done
    "$GEN" 64 16 2 32 4096 60 1 0.5 1 4 > "$WORK/pod-64.yaml"
    one pod-64 "$WORK/pod-64.yaml"
}

if [ "$check" -eq 1 ]; then
    all > "$WORK/now.txt"
    if diff -u tests/digests.txt "$WORK/now.txt"; then
        echo "digests.sh: all $(wc -l < "$WORK/now.txt") digests unchanged"
    else
        echo "digests.sh: datasets changed (above)" >&2; exit 1
    fi
else
    all
fi
