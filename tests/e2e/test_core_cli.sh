#!/usr/bin/env bash
# Core issue: exit statuses, no file on bad input, determinism, report.
source "$(dirname "$0")/lib.sh"

# NumVFs > TotalVFs: exit 2, a file:line:col error, and no results file.
set +e
"$SRIOV_SIM" run "$SCN/too_many_vfs.yaml" -o "$WORK/bad.h5" --quiet 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "num_vfs > total_vfs exit status" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "too_many_vfs.yaml:[0-9]*:[0-9]*: error: .*129" "$WORK/err.txt"; then
    pass "error names file:line:col"
else fail "error message: $(cat "$WORK/err.txt")"; fi
CHECKS=$((CHECKS + 1))
if ls "$WORK"/bad.h5* > /dev/null 2>&1; then fail "a results file was written"; else pass "no file"; fi

# Bad command line: exit 2.
set +e
"$SRIOV_SIM" run --seed nope "$SCN/one_flow.yaml" 2> /dev/null; rc=$?
"$SRIOV_SIM" frobnicate 2> /dev/null; rc2=$?
set -e
check_eq "bad --seed exit status" "$rc" 2
check_eq "scenario that does not exist" "$rc2" 2

# validate: valid and invalid.
"$SRIOV_SIM" validate "$SRCDIR/scenarios/quickstart.yaml" > /dev/null
check_eq "validate quickstart" "$?" 0

# Same scenario and seed twice: identical datasets.
run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/q1.h5"
run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/q2.h5"
check_eq "same seed, same datasets" "$("$H5READ" "$WORK/q1.h5" --digest)" \
    "$("$H5READ" "$WORK/q2.h5" --digest)"
# `sriov-sim SCENARIO.yaml` alone means run.
(cd "$WORK" && "$SRIOV_SIM" "$SRCDIR/scenarios/quickstart.yaml" -o q3.h5 --quiet)
check_eq "bare scenario runs" "$("$H5READ" "$WORK/q3.h5" --digest)" \
    "$("$H5READ" "$WORK/q1.h5" --digest)"

# The platform dump is SimGrid XML.
run_sim "$SCN/one_flow.yaml" "$WORK/p.h5" --dump-platform "$WORK/p.xml"
CHECKS=$((CHECKS + 1))
if grep -q '<platform version="4.1">' "$WORK/p.xml"; then pass "platform dump"; else fail "platform dump"; fi

# Report: a PNG plot of throughput over time.
"$SRIOV_SIM" report "$WORK/q1.h5" -o "$WORK/rep" > /dev/null
CHECKS=$((CHECKS + 1))
if head -c 8 "$WORK/rep/flow_throughput.png" | od -An -tx1 | grep -q "89 50 4e 47"; then
    pass "throughput PNG"; else fail "throughput PNG missing"; fi
finish
