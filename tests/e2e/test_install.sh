#!/usr/bin/env bash
# cmake --install (issue 19 item 14): the installed binary finds its
# catalogue and report templates next to itself (PREFIX/share/sriov-sim),
# not in the source tree or the current directory; the man page documents
# every command and option that --help lists; bash completion offers them.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$SRIOV_SIM")
P=$WORK/prefix
cmake --install "$BUILD" --prefix "$P" > "$WORK/install.log"
for f in bin/sriov-sim share/sriov-sim/models/adapters/intel-e810.yaml \
         share/sriov-sim/report/flow_throughput.gp share/man/man1/sriov-sim.1 \
         share/bash-completion/completions/sriov-sim share/doc/sriov-sim/scenario.md; do
    check_eq "installed $f" "$([ -f "$P/$f" ] && echo yes)" yes
done

# Run, validate and report from an unrelated directory, no environment hints.
mkdir "$WORK/elsewhere"
cp "$SCN/one_flow.yaml" "$WORK/elsewhere/q.yaml"
cd "$WORK/elsewhere"
unset SRIOV_MODELS_DIR SRIOV_SCRIPTS_DIR
"$P/bin/sriov-sim" run q.yaml -o out.h5 --quiet
check_eq "installed run wrote results" "$([ -s out.h5 ] && echo yes)" yes
"$P/bin/sriov-sim" report out.h5 -o rep > /dev/null
check_eq "installed report drew figures" "$(ls rep/*.png 2> /dev/null | wc -l | awk '{print ($1 > 3)}')" 1

# The catalogue it reads is the installed one: without the E810 file there,
# the model is unknown although the source tree still has it.
mv "$P/share/sriov-sim/models/adapters/intel-e810.yaml" "$WORK/e810.yaml"
set +e
"$P/bin/sriov-sim" validate q.yaml > /dev/null 2> "$WORK/val.err"
rc=$?
set -e
check_eq "installed catalogue is the one read (exit)" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "unknown adapter model 'intel-e810'" "$WORK/val.err"; then pass "installed catalogue is the one read"
else fail "validate without the installed E810: $(cat "$WORK/val.err")"; fi
mv "$WORK/e810.yaml" "$P/share/sriov-sim/models/adapters/intel-e810.yaml"

# Every command and every long option of each command's --help is in the
# man page and offered by the completion.
MAN=$(sed 's/\\-/-/g' "$P/share/man/man1/sriov-sim.1")
source "$P/share/bash-completion/completions/sriov-sim"
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _sriov_sim; echo " ${COMPREPLY[*]} "; }
for cmd in run validate report sweep; do
    CHECKS=$((CHECKS + 1))
    if grep -q "^\.B sriov-sim $cmd" <<< "$MAN"; then pass "man: $cmd"; else fail "man page lacks $cmd"; fi
    [[ $(complete_words sriov-sim "${cmd:0:2}") == *" $cmd "* ]] && pass "completion: $cmd" ||
        fail "completion does not offer $cmd"
    for opt in $("$P/bin/sriov-sim" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        CHECKS=$((CHECKS + 1))
        if grep -qF -- "$opt" <<< "$MAN"; then :; else fail "man page lacks $cmd $opt"; fi
        CHECKS=$((CHECKS + 1))
        if [[ $(complete_words sriov-sim "$cmd" --) == *" $opt "* ]]; then :
        else fail "completion of '$cmd --' lacks $opt"; fi
    done
done
CHECKS=$((CHECKS + 1))
if [[ $(complete_words "$P/bin/sriov-sim" run --cfg network/op) == *" network/optim: "* ]]; then
    pass "completion: --cfg keys"; else fail "--cfg completion: $(complete_words "$P/bin/sriov-sim" run --cfg network/op)"; fi
warnings=$(MANWIDTH=80 man -l "$P/share/man/man1/sriov-sim.1" 2>&1 > /dev/null || echo "man failed")
check_eq "man page renders without warnings" "$warnings" ""
finish
