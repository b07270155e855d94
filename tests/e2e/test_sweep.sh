#!/usr/bin/env bash
# Sweep issue: grid with workers, index, resume after a kill, failed points,
# Slurm and GNU parallel job files.
source "$(dirname "$0")/lib.sh"

col() { # col INDEX NAME: the values of column NAME, one per point
    awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                          { print $c }' "$1"
}

# 2 x 3 grid, 2 workers: 6 ok points, an index and a summary.
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -j 2 -o "$WORK/grid" > "$WORK/grid.out"
check_eq "grid sweep exit status" "$?" 0
check_eq "grid points" "$(col "$WORK/grid/index.tsv" status | tr '\n' ' ')" "ok ok ok ok ok ok "
check_eq "grid values (last key fastest)" \
    "$(col "$WORK/grid/index.tsv" 'hosts[0].adapters[0].num_vfs' | tr '\n' ' ')" "1 2 4 1 2 4 "
check_eq "runs per point" "$(col "$WORK/grid/index.tsv" runs | sort -u)" 1
check_eq "point scenario changed" "$(grep -c 'rate: 5Gbps' "$WORK/grid/points/0002/scenario.yaml")" 1
# Each point's scenario runs alone.
run_sim "$WORK/grid/points/0004/scenario.yaml" "$WORK/alone.h5"
check_eq "point reproducible alone" "$("$H5READ" "$WORK/alone.h5" --digest)" \
    "$("$H5READ" "$WORK/grid/points/0004/results.h5" --digest)"
check_near "delivered of point 3 (10Gbps)" "$(col "$WORK/grid/index.tsv" delivered_Gbps | sed -n 4p)" 10 0.01
check_eq "summary rows" "$("$H5READ" "$WORK/grid/summary.h5" points status | wc -l)" 6

# Re-running a finished sweep runs nothing.
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -j 2 -o "$WORK/grid" > "$WORK/rerun.out"
CHECKS=$((CHECKS + 1))
if grep -q "(0 run now)" "$WORK/rerun.out"; then pass "rerun of a done sweep"; else fail "rerun: $(cat "$WORK/rerun.out")"; fi

# Kill a sweep (the sweep and its workers, hard) after two points, resume.
cat > "$WORK/slow.yaml" <<EOS
base: $SCN/one_flow.yaml
repetitions: 6
EOS
setsid "$SRIOV_SIM" sweep "$WORK/slow.yaml" -j 1 -o "$WORK/slow" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do
    n=$(col "$WORK/slow/index.tsv" status 2> /dev/null | grep -c '^ok$' || true)
    [ "$n" -ge 2 ] && break
    sleep 0.05
done
kill -KILL -- "-$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
done_before=$(col "$WORK/slow/index.tsv" status | grep -c '^ok$' || true)
CHECKS=$((CHECKS + 1))
if [ "$done_before" -ge 2 ] && [ "$done_before" -lt 6 ]; then pass "killed after $done_before points"
else fail "kill came at $done_before points"; fi
"$SRIOV_SIM" sweep "$WORK/slow.yaml" -j 2 -o "$WORK/slow" > "$WORK/resume.out"
check_eq "resumed sweep exit status" "$?" 0
check_eq "all points ok after resume" "$(col "$WORK/slow/index.tsv" status | sort -u)" ok
check_eq "no point ran twice" "$(col "$WORK/slow/index.tsv" runs | sort -u)" 1
CHECKS=$((CHECKS + 1))
if grep -q "($((6 - done_before)) run now)" "$WORK/resume.out"; then pass "resume ran only the rest"
else fail "resume: $(cat "$WORK/resume.out")"; fi
check_eq "seeds base + rep" "$(col "$WORK/slow/index.tsv" seed | tr '\n' ' ')" "3 4 5 6 7 8 "

# An invalid point (num_vfs 999 > total_vfs) stops the sweep before any
# point runs or is written (issue 19 item 7), in a run and in --dry-run.
for mode in run dry; do
    set +e
    if [ $mode = run ]; then
        "$SRIOV_SIM" sweep "$SCN/sweep_invalid.yaml" -j 2 -o "$WORK/inv" > /dev/null 2> "$WORK/inv.err"
    else
        "$SRIOV_SIM" sweep "$SCN/sweep_invalid.yaml" -o "$WORK/inv" --dry-run > /dev/null 2> "$WORK/inv.err"
    fi
    rc=$?
    set -e
    check_eq "$mode: sweep with an invalid point exits 2" "$rc" 2
    CHECKS=$((CHECKS + 1))
    if grep -q "points/0001/scenario.yaml:[0-9]*:[0-9]*: error: .*999" "$WORK/inv.err" &&
       grep -q "in sweep point 0001 .*num_vfs=999" "$WORK/inv.err" &&
       grep -q "sweep_invalid.yaml:4:3: error: 1 of 3 point scenarios are not valid; no point was run" "$WORK/inv.err"; then
        pass "$mode: the invalid point, its value and the sweep file's line are named"
    else fail "$mode: $(cat "$WORK/inv.err")"; fi
    CHECKS=$((CHECKS + 1))
    if [ ! -e "$WORK/inv/points" ] && [ ! -e "$WORK/inv/index.tsv" ]; then pass "$mode: nothing written"
    else fail "$mode: points written: $(ls -R "$WORK/inv")"; fi
done

# A point that fails while running (here: the platform memory check, which
# runs after loading) is recorded with its error; the sweep exits 1.
set +e
SRIOV_MEMORY_LIMIT=1KiB "$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -j 2 -o "$WORK/runfail" > /dev/null 2> "$WORK/runfail.err"
rc=$?
set -e
check_eq "sweep with failed points exits 1" "$rc" 1
check_eq "statuses" "$(col "$WORK/runfail/index.tsv" status | sort -u | tr '\n' ' ')" "failed "
check_eq "failed exit code" "$(col "$WORK/runfail/index.tsv" exit | sed -n 2p)" 2
CHECKS=$((CHECKS + 1))
if col "$WORK/runfail/index.tsv" error | sed -n 2p | grep -q "scenario.yaml:[0-9]*:[0-9]*: error: .*memory"; then
    pass "error captured in the index"; else fail "error column: $(col "$WORK/runfail/index.tsv" error)"; fi
CHECKS=$((CHECKS + 1))
if grep -q "point 0001 failed" "$WORK/runfail.err"; then pass "failure reported"; else fail "not reported"; fi

# A path that does not exist in the base scenario: a diagnostic, exit 2.
set +e
"$SRIOV_SIM" sweep "$SCN/sweep_badpath.yaml" -o "$WORK/bad" > /dev/null 2> "$WORK/bad.err"
rc=$?
set -e
check_eq "bad path exit status" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "sweep_badpath.yaml:3:3: error: .*traffic\[7\]: index out of range" "$WORK/bad.err"; then
    pass "bad path at file:line:col"; else fail "bad path: $(cat "$WORK/bad.err")"; fi

# Scheduler files: valid shell, one point per job line, collected afterwards.
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/emit" --emit slurm > /dev/null
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/emit" --emit jobs > /dev/null
CHECKS=$((CHECKS + 1))
if bash -n "$WORK/emit/sweep.slurm"; then pass "slurm script syntax"; else fail "slurm script syntax"; fi
CHECKS=$((CHECKS + 1))
if grep -q '^#SBATCH --array=0-5$' "$WORK/emit/sweep.slurm"; then pass "job array of 6"; else fail "no array line"; fi
check_eq "job lines" "$(wc -l < "$WORK/emit/jobs.txt")" 6
while IFS= read -r line; do
    CHECKS=$((CHECKS + 1))
    if bash -n <(printf '%s\n' "$line"); then :; else fail "job line syntax: $line"; fi
done < "$WORK/emit/jobs.txt"
bash -c "$(sed -n 3p "$WORK/emit/jobs.txt")"
CHECKS=$((CHECKS + 1))
if [ -s "$WORK/emit/points/0002/results.h5" ] && [ ! -e "$WORK/emit/points/0001/results.h5" ]; then
    pass "job line 3 runs point 0002 only"; else fail "job line 3"; fi
# A Slurm array task runs the same command.
SLURM_ARRAY_TASK_ID=4 bash "$WORK/emit/sweep.slurm"
CHECKS=$((CHECKS + 1))
if [ -s "$WORK/emit/points/0004/results.h5" ]; then pass "array task 4 runs point 0004"; else fail "array task"; fi
set +e
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/emit" --collect > /dev/null 2>&1
set -e
check_eq "collected" "$(col "$WORK/emit/index.tsv" status | tr '\n' ' ')" \
    "pending pending ok pending ok pending "
# issue 19 item 9: the metrics aggregate a selection of flows. Without one,
# the noisy flow's own delivered rate and p99 are in the headline numbers.
for sel in "" "report: { exclude_flows: big }" "report: { flows: sma* }" "report: { vms: [tenant] }"; do
    printf 'base: %s\ngrid:\n  traffic[0].rate: [10Gbps, 20Gbps]\n%s\n' \
        "$SCN/sweep_two_tenants.yaml" "$sel" > "$WORK/sel.yaml"
    rm -rf "$WORK/sel"
    "$SRIOV_SIM" sweep "$WORK/sel.yaml" -o "$WORK/sel" -j 2 > /dev/null
    want=1; [ -z "$sel" ] && want=21
    check_near "${sel:-no selection}: delivered Gbit/s at 20 Gbps noise" \
        "$(col "$WORK/sel/index.tsv" delivered_Gbps | sed -n 2p)" "$want" 1e-6
done
# A pattern that matches nothing is refused at the sweep file's line.
printf 'base: %s\ngrid:\n  traffic[0].rate: [10Gbps]\nreport: { flows: [small, bgi] }\n' \
    "$SCN/sweep_two_tenants.yaml" > "$WORK/sel.yaml"
set +e
"$SRIOV_SIM" sweep "$WORK/sel.yaml" -o "$WORK/sel2" --dry-run > /dev/null 2> "$WORK/sel.err"
rc=$?
set -e
check_eq "unmatched pattern: exit 2" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "sel.yaml:4:26: error: report.flows: 'bgi' matches no flow of the scenario" "$WORK/sel.err"; then
    pass "unmatched pattern: named at its line"; else fail "unmatched: $(cat "$WORK/sel.err")"; fi
finish
