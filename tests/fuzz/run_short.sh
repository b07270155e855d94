#!/usr/bin/env bash
# run_short.sh [scenario|report] -- builds the libFuzzer targets with clang
# (fuzz/, a separate CMake project) and fuzzes one for a bounded time on a
# copy of its seed corpus:
#   scenario (default): fuzz_scenario, the scenario loader, on scenarios/,
#     the test scenarios and fixtures, the adversarial cases and
#     tests/fuzz/regressions/;
#   report: fuzz_report, the report's results-file readers, on
#     tests/fuzz/seeds-report/ (a results file and a sweep summary.h5) and
#     tests/fuzz/regressions-report/.
#
# Env: SRCDIR (repo), FUZZ_BUILD (build directory, default $SRCDIR/build-fuzz),
#      FUZZ_SECONDS (default 60; ctest gives 45 to each target). Only a
#      crash, a sanitizer report, a leak, a timeout (10 s on one input, 30 s
#      for report) or an out-of-memory fails it; the failing input is kept in
#      FUZZ_BUILD/artifacts/ -- minimise it (fuzz_<target> -minimize_crash=1
#      FILE), fix the bug and add it to the target's regression directory.
set -euo pipefail
TARGET=${1:-scenario}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_BUILD=${FUZZ_BUILD:-$SRCDIR/build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

cmake -S "$SRCDIR/fuzz" -B "$FUZZ_BUILD" -DCMAKE_C_COMPILER=clang > /dev/null
cmake --build "$FUZZ_BUILD" > /dev/null

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/sriov-fuzz.XXXXXX")
trap 'rm -rf "$CORPUS"' EXIT
case $TARGET in
scenario)
    SEEDS=("$SRCDIR"/scenarios/*.yaml "$SRCDIR"/tests/e2e/scenarios/*.yaml
           "$SRCDIR"/tests/unit/fixtures/*.yaml "$SRCDIR"/tests/adversarial/*.yaml
           "$SRCDIR"/tests/fuzz/regressions/*)
    # -max_len: scenarios are a few KiB; longer inputs only slow the search.
    ARGS=(-dict="$SRCDIR/fuzz/scenario.dict" -timeout=10 -max_len=16384) ;;
report)
    SEEDS=("$SRCDIR"/tests/fuzz/seeds-report/* "$SRCDIR"/tests/fuzz/regressions-report/*)
    # A results file is tens of KiB. An input that hangs libhdf5 costs the
    # reader 1 s per string read (fuzz/fuzz_report.c), hence 30 s.
    ARGS=(-timeout=30 -max_len=131072) ;;
*)
    echo "usage: $0 [scenario|report]" >&2
    exit 2 ;;
esac
for f in "${SEEDS[@]}"; do
    [ -f "$f" ] && cp "$f" "$CORPUS/$(basename "$(dirname "$f")")_$(basename "$f")"
done
mkdir -p "$FUZZ_BUILD/artifacts"
# The environment of scripts/test.sh is meant for the SimGrid build; the
# fuzzer has its own defaults (leak checks on, abort on the first error).
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
[ "$TARGET" = report ] &&
    export LSAN_OPTIONS="suppressions=$SRCDIR/fuzz/report.lsan.supp:print_suppressions=0"
exec "$FUZZ_BUILD/fuzz_$TARGET" "$CORPUS" "${ARGS[@]}" \
    -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/${TARGET}_"
