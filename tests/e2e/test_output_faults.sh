#!/usr/bin/env bash
# Unwritable output: exit 2 before simulating, a clear message, nothing
# written. Full disk (emulated with a file-size limit): exit 1, a clear
# message, no file under the final name, no temporary left, and an older
# results file at that name untouched.
source "$(dirname "$0")/lib.sh"
Q="$SRCDIR/scenarios/quickstart.yaml"

# bad_output NAME PATH TEXT
bad_output() {
    local rc
    set +e
    timeout 20 "$SRIOV_SIM" run "$Q" -o "$2" --quiet > /dev/null 2> "$WORK/err.txt"
    rc=$?
    set -e
    check_eq "$1: exit status" "$rc" 2
    CHECKS=$((CHECKS + 1))
    if grep -q "^sriov-sim: .*$3" "$WORK/err.txt"; then pass "$1: $(cat "$WORK/err.txt")"
    else fail "$1: message '$(cat "$WORK/err.txt")' lacks '$3'"; fi
}

bad_output "missing /proc directory" /proc/nonexistent/x.h5 "cannot create directory /proc/nonexistent"
bad_output "read-only /sys" /sys/x.h5 "cannot write next to /sys/x.h5"
bad_output "output is a directory" "$WORK" "is a directory"
touch "$WORK/afile"
bad_output "a file where a directory is expected" "$WORK/afile/x.h5" "not a directory"
check_eq "nothing created beside the file" "$(ls "$WORK")" "afile
err.txt"

# Quick to fail: the check comes before the simulation. An hour-long
# scenario refused in well under its run time.
sed -e 's/duration: 10s/duration: 3600s/' -e 's/sample_interval: 100ms/sample_interval: 1ms/' "$Q" \
    > "$WORK/long.yaml"
start=$(date +%s%N)
set +e
"$SRIOV_SIM" run "$WORK/long.yaml" -o /proc/nonexistent/x.h5 --quiet 2> /dev/null
rc=$?
set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check_eq "refused before simulating" "$rc" 2
CHECKS=$((CHECKS + 1))
if [ "$ms" -lt 10000 ]; then pass "refused in $ms ms"; else fail "took $ms ms to refuse"; fi

# Full disk: files over 32 KiB cannot be written (EFBIG, with SIGXFSZ
# ignored so that write() fails instead of killing). The quickstart's
# results are ~40 KiB; its platform file and the probe are smaller.
mkdir -p "$WORK/full"
echo "old results" > "$WORK/full/r.h5"
set +e
bash -c 'trap "" XFSZ; ulimit -f 32; exec "$@"' _ \
    "$SRIOV_SIM" run "$Q" -o "$WORK/full/r.h5" --quiet 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "full disk: exit status" "$rc" 1
CHECKS=$((CHECKS + 1))
if grep -q '^sriov-sim: cannot write .*r\.h5\.tmp\.[0-9A-Za-z]*: File too large$' "$WORK/err.txt"; then
    pass "full disk: $(cat "$WORK/err.txt")"
else fail "full disk message: $(head -c 400 "$WORK/err.txt")"; fi
check_eq "full disk: old file untouched" "$(cat "$WORK/full/r.h5")" "old results"
check_eq "full disk: no temporary left" "$(ls "$WORK/full")" "r.h5"

# The same limit with room enough: the run succeeds (the limit is not what
# failed above, the size is).
set +e
bash -c 'trap "" XFSZ; ulimit -f 4096; exec "$@"' _ \
    "$SRIOV_SIM" run "$Q" -o "$WORK/full/r.h5" --quiet 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "room enough: exit status" "$rc" 0
CHECKS=$((CHECKS + 1))
if "$H5READ" "$WORK/full/r.h5" --digest > /dev/null; then pass "room enough: file reads back"
else fail "room enough: unreadable file"; fi
finish
