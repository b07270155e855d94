#!/usr/bin/env bash
# Clear failures around the model (issue #19 items 1 and 2): a bad --cfg
# key or model value is refused with exit 2 before any work (it aborted
# inside SimGrid with a backtrace, exit 134); --help-cfg lists what --cfg
# accepts; a mistyped subcommand is named, with the nearest one.
source "$(dirname "$0")/lib.sh"

expect() { # NAME RC GREP CMD...
    local name=$1 want=$2 pat=$3 rc
    shift 3
    set +e
    "$@" > "$WORK/out.txt" 2> "$WORK/err.txt"
    rc=$?
    set -e
    check_eq "$name: exit status" "$rc" "$want"
    CHECKS=$((CHECKS + 1))
    if [ -z "$pat" ] || grep -q -- "$pat" "$WORK/err.txt" "$WORK/out.txt"; then pass "$name: says '$pat'"
    else fail "$name: output lacks '$pat': $(head -c 300 "$WORK/err.txt")"; fi
}

S="$SCN/one_flow.yaml"
expect "--cfg foo:bar" 2 "Bad config key: foo" "$SRIOV_SIM" run "$S" -o "$WORK/a.h5" --cfg foo:bar
expect "--cfg network/optim:Foo" 2 "one of Lazy, TI, Full" \
    "$SRIOV_SIM" run "$S" -o "$WORK/b.h5" --cfg network/optim:Foo
expect "--cfg network/model:Foo" 2 "one of LV08" \
    "$SRIOV_SIM" run "$S" -o "$WORK/c.h5" --cfg network/model:Foo
check_eq "no results after a bad --cfg" "$(ls "$WORK" | grep -c '\.h5')" 0
expect "--cfg network/optim:Lazy still runs" 0 "" \
    "$SRIOV_SIM" run "$S" -o "$WORK/d.h5" --quiet --cfg network/optim:Lazy
expect "--help-cfg" 0 "network/crosstraffic" "$SRIOV_SIM" run --help-cfg
expect "valdiate" 2 "did you mean 'validate'" "$SRIOV_SIM" valdiate "$S"
expect "swep" 2 "did you mean 'sweep'" "$SRIOV_SIM" swep x.yaml
expect "frobnicate" 2 "unknown command 'frobnicate'" "$SRIOV_SIM" frobnicate
expect "a scenario without run still runs" 0 "" "$SRIOV_SIM" "$S" -o "$WORK/e.h5" --quiet
# #19 item 3: a VF NIC moved to virtio is named by validate and the run
# summary (it was only in /events).
expect "validate names the fallback" 0 "v3.eth0: no VF was left" "$SRIOV_SIM" validate "$SCN/pf_exhaust.yaml"
expect "the run summary names the fallback" 0 "1 VF NIC fell back to virtio" \
    "$SRIOV_SIM" run "$SCN/pf_exhaust.yaml" -o "$WORK/g.h5"
# #19 items 5, 6: a byte rate draws a warning with both readings (still
# valid); an unknown unit gets a fix line listing the units.
sed 's/rate: [0-9.]*[A-Za-z]*bps/rate: 10GBps/' "$S" > "$WORK/bytes.yaml"
expect "10GBps warns" 0 "80 Gb/s, not 10 Gb/s" "$SRIOV_SIM" validate "$WORK/bytes.yaml"
sed 's/rate: [0-9.]*[A-Za-z]*bps/rate: 10 gbit/' "$S" > "$WORK/gbit.yaml"
expect "'10 gbit' has a fix line" 2 "fix: a number and a unit, no space" \
    "$SRIOV_SIM" validate "$WORK/gbit.yaml"
# #19 item 15: stdout that is not a terminal starts with the summary.
"$SRIOV_SIM" run "$S" -o "$WORK/f.h5" > "$WORK/sum.txt" 2> /dev/null
check_eq "summary's first line on a pipe" "$(head -c 9 "$WORK/sum.txt")" "one_flow:"
# The report goes next to the results file by default, not into ./results.
(cd "$WORK" && "$SRIOV_SIM" report "$WORK/f.h5" > /dev/null)
check_eq "report next to the results file" "$([ -f "$WORK/f-report/index.md" ] && echo yes)" yes
# #19 item 4: a misspelt num_vfs is one error per adapter, not one more per
# NIC that then finds "no VF left" on an adapter read as having 0 VFs.
sed 's/num_vfs/num_vf/' "$SRCDIR/scenarios/quickstart.yaml" > "$WORK/typo.yaml"
set +e
"$SRIOV_SIM" validate "$WORK/typo.yaml" > /dev/null 2> "$WORK/typo.err"
rc=$?
set -e
check_eq "num_vf typo exits 2" "$rc" 2
check_eq "num_vf typo: only the 2 real errors" "$(grep -c 'error:' "$WORK/typo.err")" 2
check_eq "num_vf typo: no consequential error" "$(grep -c 'no VF left' "$WORK/typo.err" || true)" 0
finish
