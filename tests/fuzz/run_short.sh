#!/usr/bin/env bash
# run_short.sh -- builds the scenario loader's libFuzzer target with clang
# (fuzz/, a separate CMake project) and fuzzes it for a bounded time on a
# copy of the seed corpus: scenarios/, the test scenarios and fixtures, the
# adversarial cases and the regression corpus.
#
# Env: SRCDIR (repo), FUZZ_BUILD (build directory, default $SRCDIR/build-fuzz),
#      FUZZ_SECONDS (default 60). Only a crash, a sanitizer report, a leak,
#      a timeout (10 s on one input) or an out-of-memory fails it; the
#      failing input is kept in FUZZ_BUILD/artifacts/ -- minimise it
#      (fuzz_scenario -minimize_crash=1 FILE), fix the bug and add it to
#      tests/fuzz/regressions/.
set -euo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_BUILD=${FUZZ_BUILD:-$SRCDIR/build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

cmake -S "$SRCDIR/fuzz" -B "$FUZZ_BUILD" -DCMAKE_C_COMPILER=clang > /dev/null
cmake --build "$FUZZ_BUILD" > /dev/null

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/sriov-fuzz.XXXXXX")
trap 'rm -rf "$CORPUS"' EXIT
for f in "$SRCDIR"/scenarios/*.yaml "$SRCDIR"/tests/e2e/scenarios/*.yaml \
         "$SRCDIR"/tests/unit/fixtures/*.yaml "$SRCDIR"/tests/adversarial/*.yaml \
         "$SRCDIR"/tests/fuzz/regressions/*; do
    [ -f "$f" ] && cp "$f" "$CORPUS/$(basename "$(dirname "$f")")_$(basename "$f")"
done
mkdir -p "$FUZZ_BUILD/artifacts"
# The environment of scripts/test.sh is meant for the SimGrid build; the
# fuzzer has its own defaults (leak checks on, abort on the first error).
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
# -max_len: scenarios are a few KiB; longer inputs only slow the search.
exec "$FUZZ_BUILD/fuzz_scenario" "$CORPUS" \
    -dict="$SRCDIR/fuzz/scenario.dict" \
    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/"
