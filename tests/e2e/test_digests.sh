#!/usr/bin/env bash
# Datasets unchanged: every shipped and tested scenario, pod-64 and the
# packet-granularity cases give the digests recorded in tests/digests.txt
# (scripts/digests.sh). A change that moves numbers on purpose records
# them anew in the same commit and says why; anything else moving them is
# a regression this test names, scenario by scenario.
source "$(dirname "$0")/lib.sh"
CHECKS=$((CHECKS + 1))
if out=$(bash "$SRCDIR/scripts/digests.sh" --check "$(dirname "$SRIOV_SIM")" 2>&1); then
    pass "$(tail -1 <<<"$out")"
else
    fail "datasets changed:
$out"
fi
finish
