#!/usr/bin/env bash
# User strings never run as code (security issue, items 1, 2 and 9):
#  - a parameter name or unit in a (crafted) summary.h5 reaches gnuplot only
#    quoted, and index.md's redraw line is one safe shell command;
#  - a sweep directory with a newline is refused before jobs.txt or
#    sweep.slurm could carry it as an extra command;
#  - a label with a line break libyaml honours (U+2028) does not end the
#    point scenario's header comment and inject keys.
source "$(dirname "$0")/lib.sh"
: "${H5FORGE:?run through ctest}"

# 1. gnuplot code in a unit read from summary.h5.
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -j 2 -o "$WORK/sw" > /dev/null
evil="Gbit/s'; z=system('touch $WORK/pwned_gp'); q='"
"$H5FORGE" "$WORK/sw/summary.h5" /points param_units "$evil" ""
set +e
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/rep" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "report of a crafted summary.h5 exits 0" "$rc" 0
check_eq "gnuplot ran no command from the unit" "$([ -e "$WORK/pwned_gp" ] && echo ran || echo no)" no
# The redraw line, pasted into a shell, runs gnuplot and nothing else:
# replace gnuplot by a function that only counts its arguments.
line=$(grep -m1 '^    gnuplot -e ' "$WORK/rep/index.md" || true)
CHECKS=$((CHECKS + 1))
if [ -n "$line" ] && out=$(cd "$WORK" && bash -c "gnuplot() { echo \"\$#\"; }; $line" 2>&1) &&
    [ "$out" = 3 ] && [ ! -e "$WORK/pwned_gp" ]; then
    pass "redraw line is one gnuplot command with 3 words"
else
    fail "redraw line unsafe or malformed: $line -> $out"
fi
# Also $(...) in a unit: inside the shell-quoted redraw line it stays text.
"$H5FORGE" "$WORK/sw/summary.h5" /points param_units "\$(touch $WORK/pwned_sh)" ""
"$SRIOV_SIM" report "$WORK/sw" -o "$WORK/rep2" > /dev/null
line=$(grep -m1 '^    gnuplot -e ' "$WORK/rep2/index.md")
(cd "$WORK" && bash -c "gnuplot() { :; }; $line")
check_eq "redraw line expands no \$(...)" "$([ -e "$WORK/pwned_sh" ] && echo ran || echo no)" no

# 2. A newline in the sweep directory: refused, exit 2, no job files.
set +e
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/em
touch $WORK/pwned_job" --emit jobs > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "sweep directory with a newline: exit 2" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q 'control character' "$WORK/err.txt"; then pass "the refusal says why"
else fail "refusal message: $(cat "$WORK/err.txt")"; fi
check_eq "no job file written" "$(ls "$WORK" | grep -c '^em')" 0

# 9. U+2028 in a '$' label (zipped with a real parameter, so the point is
# valid) does not end the header comment: before, the point ran with
# policy.vf_exhausted: virtio from the label.
cp "$SCN/one_flow.yaml" "$WORK/base.yaml"
printf 'base: base.yaml\nrepetitions: 1\nzip:\n  $tenants: ["a\xe2\x80\xa8policy: {vf_exhausted: virtio}", b]\n  traffic[0].rate: [5Gbps, 10Gbps]\n' \
    > "$WORK/inj.yaml"
"$SRIOV_SIM" sweep "$WORK/inj.yaml" -o "$WORK/inj" > /dev/null
check_eq "the point ran with the base policy, none injected" \
    "$(h5dump -d /meta/resolved "$WORK/inj/points/0000/results.h5" | grep -c 'vf_exhausted: virtio' || true)" 0
finish
