#!/usr/bin/env bash
# test.sh -- set up, build with AddressSanitizer + UndefinedBehaviorSanitizer
# and run the whole test suite (unit tests with cmocka, end-to-end scenario
# tests that read the HDF5 back, the adversarial inputs, kills and faults,
# the fuzz regressions and two 45 s fuzz runs), then the valgrind tests on a
# plain build. Usage: scripts/test.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build-asan -DSRIOV_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug > /dev/null
cmake --build build-asan -j "$(nproc)" > /dev/null
# SimGrid's contexts switch stacks, which ASan's stack-use-after-return
# tracking does not follow; leaks are checked (our code) but libsimgrid's
# process-lifetime singletons are suppressed in tests/lsan.supp.
export ASAN_OPTIONS="detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd build-asan && ctest --output-on-failure -j "$(nproc)" "$@")
# valgrind memcheck needs a build without ASan: a plain one, for the
# test_valgrind_* scripts only (tests/CMakeLists.txt leaves them out of
# the sanitized build). Skipped when ctest was given a selection.
if [ $# -eq 0 ] && command -v valgrind > /dev/null; then
    unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
    cmake -S . -B build-valgrind -DSRIOV_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Debug > /dev/null
    cmake --build build-valgrind -j "$(nproc)" --target sriov-sim h5read > /dev/null
    (cd build-valgrind && ctest --output-on-failure -R '^e2e\.test_valgrind_')
fi
