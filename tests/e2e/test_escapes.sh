#!/usr/bin/env bash
# Control characters from untrusted strings never reach a terminal or a
# report's index.md raw (security issue #20, item 17; docs/guarantees.md,
# "Untrusted strings"):
#  - a diagnostic echoing a value with ESC/BEL prints them as \xNN, and the
#    file name from the command line is escaped too;
#  - a results file whose /meta scenario_name holds a newline and ESC
#    (crafted with h5forge) gives an index.md with no injected heading and
#    no control byte.
source "$(dirname "$0")/lib.sh"
: "${H5FORGE:?run through ctest}"

# has_ctl FILE: does FILE hold any C0 control byte other than newline, or DEL?
has_ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"; }

# 1. A diagnostic: the flow name is refused, and echoed escaped.
set +e
"$SRIOV_SIM" validate "$SRCDIR/tests/adversarial/escape_flow_name.yaml" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "bad flow name refused" "$rc" 2
check_eq "no raw control byte in the diagnostic" "$(has_ctl "$WORK/err.txt" && echo raw || echo none)" none
CHECKS=$((CHECKS + 1))
if grep -qF "invalid flow name 'f\\x1b]0;pwned\\x07'" "$WORK/err.txt"; then pass "ESC and BEL shown as \\xNN"
else fail "diagnostic: $(cat -v "$WORK/err.txt")"; fi

# 2. A file name with ESC from the command line, in "cannot open".
bad="$WORK/a$(printf '\033')[31mb.yaml"
set +e
"$SRIOV_SIM" validate "$bad" > /dev/null 2> "$WORK/err2.txt"
set -e
check_eq "no raw ESC from the file name" "$(has_ctl "$WORK/err2.txt" && echo raw || echo none)" none

# 3. index.md from a results file whose scenario_name carries a heading.
run_sim "$SCN/one_flow.yaml" "$WORK/r.h5"
"$H5FORGE" "$WORK/r.h5" /meta scenario_name "$(printf 'x\n# injected\n\033[2J')"
"$SRIOV_SIM" report "$WORK/r.h5" -o "$WORK/rep" > /dev/null 2>&1
check_eq "no injected heading in index.md" "$(grep -c '^# injected' "$WORK/rep/index.md" || true)" 0
check_eq "no control byte in index.md" "$(has_ctl "$WORK/rep/index.md" && echo raw || echo none)" none
CHECKS=$((CHECKS + 1))
if head -1 "$WORK/rep/index.md" | grep -qF '# sriov-sim report: x\x0a# injected\x0a\x1b[2J'; then
    pass "scenario_name escaped on the title line"
else fail "title: $(head -3 "$WORK/rep/index.md" | cat -v)"; fi
finish
