#!/usr/bin/env bash
# coverage.sh -- line and branch coverage of src/, per module (each folder
# under src/), from the test suite run on a gcov-instrumented build.
#
#   scripts/coverage.sh [--no-build] [BUILD_DIR]     # BUILD_DIR: build-cov
#
# Configures BUILD_DIR with -DSRIOV_COVERAGE=ON at -O0 (Debug: one line of
# source is one line of counts), builds, clears old counts, runs the ctest
# suite without the 45 s fuzz runs (a separate clang build, so it adds no
# counts here) and the valgrind tests (instrumented code under memcheck
# only slows the suite down), then runs gcovr (Debian package gcovr,
# scripts/setup.sh) and prints one line per module. Reports go to
# results/coverage/: summary.txt (the table), files.txt (per file, with the
# uncovered line numbers), index.html (per file, annotated sources) and
# summary.json (gcovr's per-file counts, from which the table is made).
# --no-build skips configure and build (the CMake target `coverage` in a
# build configured with -DSRIOV_COVERAGE=ON runs it that way).
# Branches: gcc's, less the ones it marks unreachable and the C++
# exception edges of the SimGrid shim, which no test can take.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
BUILD=${1:-build-cov}
OUT=results/coverage
command -v gcovr > /dev/null || { echo "coverage.sh: gcovr missing: run scripts/setup.sh" >&2; exit 2; }
if [ "$build" -eq 1 ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DSRIOV_COVERAGE=ON > /dev/null
    cmake --build "$BUILD" -j "$(nproc)" > /dev/null
fi
find "$BUILD" -name '*.gcda' -delete
(cd "$BUILD" && ctest -j "$(nproc)" -E '^fuzz\.[a-z]*_short$|^e2e\.test_valgrind_' \
    --output-on-failure > ctest-coverage.log) ||
    echo "coverage.sh: some tests failed (see $BUILD/ctest-coverage.log); figures below are still the runs' counts" >&2
mkdir -p "$OUT"
GCOVR=(gcovr -r . --object-directory "$BUILD" --filter 'src/' -j "$(nproc)"
       --exclude-unreachable-branches --exclude-throw-branches)
"${GCOVR[@]}" --json-summary "$OUT/summary.json" --json-summary-pretty \
    --txt "$OUT/files.txt" --html-details "$OUT/index.html" > /dev/null
"${GCOVR[@]}" --branches --txt "$OUT/files-branches.txt" > /dev/null

# One line per module: sum the per-file counts of each src/<module>/
# (src/main.c, the CLI entry, counts with cli).
python3 - "$OUT/summary.json" <<'EOF' | tee "$OUT/summary.txt"
import json, sys, collections
files = json.load(open(sys.argv[1]))["files"]
tot = collections.defaultdict(lambda: [0, 0, 0, 0])
for f in files:
    parts = f["filename"].split("/")
    mod = parts[1] if len(parts) > 2 else "cli"
    for m in (mod, "TOTAL"):
        a = tot[m]
        a[0] += f["line_covered"]; a[1] += f["line_total"]
        a[2] += f["branch_covered"]; a[3] += f["branch_total"]
pct = lambda c, t: 100.0 * c / t if t else 100.0
print(f"{'module':<10} {'lines':>14} {'line %':>7} {'branches':>14} {'branch %':>8}")
for m in sorted(k for k in tot if k != "TOTAL") + ["TOTAL"]:
    lc, lt, bc, bt = tot[m]
    print(f"{m:<10} {lc:>6} / {lt:<6} {pct(lc, lt):6.1f}% {bc:>6} / {bt:<6} {pct(bc, bt):7.1f}%")
EOF
echo "coverage.sh: per-file reports in $OUT/ (files.txt, index.html)"
