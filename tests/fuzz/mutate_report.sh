#!/usr/bin/env bash
# mutate_report.sh -- single-byte mutants of a results file (or of a sweep's
# summary.h5), each given to `sriov-sim report` with a timeout; counts clean
# refusals, crashes (exit >= 128: a signal, e.g. SIGSEGV or SIGABRT from
# glibc's free() checks) and hangs. How issue 20 item 11 was measured;
# rerun it after touching src/report or upgrading libhdf5.
#
# Usage: mutate_report.sh SRIOV_SIM FILE.h5|SWEEP_DIR N [SEED [KEEP_DIR]]
#   A sweep directory mutates its summary.h5. Mutant i sets one byte at a
#   random offset to a random value (bash's $RANDOM, seeded with SEED, so a
#   run is repeatable). KEEP_DIR, when given, keeps every crashing or
#   hanging mutant there. gnuplot is replaced by a stub that draws
#   nothing: the report reads the whole file first, then stops at its
#   first figure ("gnuplot failed drawing", counted as read), so a mutant
#   takes ~0.1 s, not 4 s.
# Env: TIMEOUT (s per mutant, default 20). Prints one line per crash/hang
# and a summary; exits 1 when any mutant crashed or hung.
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: $0 SRIOV_SIM FILE.h5|SWEEP_DIR N [SEED [KEEP_DIR]]" >&2; exit 2; }
SIM=$1 SRC=$2 N=$3 SEED=${4:-1} KEEP=${5:-}
TIMEOUT=${TIMEOUT:-20}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sriov-mutate.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexit 0\n' > "$WORK/bin/gnuplot"
chmod +x "$WORK/bin/gnuplot"
if [ -d "$SRC" ]; then
    ORIG=$SRC/summary.h5
    mkdir -p "$WORK/in"
    TARGET=$WORK/in/summary.h5 ARG=$WORK/in
else
    ORIG=$SRC TARGET=$WORK/in.h5 ARG=$WORK/in.h5
fi
[ -n "$KEEP" ] && mkdir -p "$KEEP"
SIZE=$(stat -c %s "$ORIG")
RANDOM=$SEED
read=0 refused=0 crashed=0 hung=0
for ((i = 0; i < N; i++)); do
    off=$(( (RANDOM * 32768 + RANDOM) % SIZE ))
    byte=$(( RANDOM % 256 ))
    cp "$ORIG" "$TARGET"
    printf "$(printf '\\%03o' "$byte")" |
        dd of="$TARGET" bs=1 seek="$off" conv=notrunc status=none
    rm -rf "$WORK/out"
    PATH="$WORK/bin:$PATH" timeout -s KILL "$TIMEOUT" \
        "$SIM" report "$ARG" -o "$WORK/out" > /dev/null 2> "$WORK/err"
    rc=$?
    what=
    if [ $rc -eq 137 ]; then
        hung=$((hung + 1)); what=hang
    elif [ $rc -ge 128 ]; then
        crashed=$((crashed + 1)); what="crash (exit $rc)"
    elif [ $rc -eq 0 ] || grep -q 'gnuplot failed drawing' "$WORK/err"; then
        read=$((read + 1))
    else
        refused=$((refused + 1))
    fi
    if [ -n "$what" ]; then
        echo "mutant $i: offset $off byte $byte: $what: $(head -c 200 "$WORK/err" | tr '\n' ' ')"
        [ -n "$KEEP" ] && cp "$TARGET" "$KEEP/mutant_${i}_off${off}_b${byte}.h5"
    fi
done
echo "$N mutants of $ORIG: $read read, $refused refused (exit 1..127), $crashed crashed, $hung hung"
[ $((crashed + hung)) -eq 0 ]
