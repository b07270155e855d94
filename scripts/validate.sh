#!/usr/bin/env bash
# validate.sh -- every study under validation/: published measurement vs
# this build's simulation, the relative error and the tolerance, one table.
#
#   scripts/validate.sh [--fast] [--out DIR] [BUILD_DIR]
#
# Each study is a folder validation/NN-name/ holding the published data (a
# file naming its source), the scenario(s) that reproduce the setup and
# run.sh. run.sh is called as `bash run.sh` with SRIOV_SIM, H5READ,
# SRIOV_MODELS_DIR, VALIDATION_OUT (a folder for its figure and data) set;
# it prints one line per compared figure, tab-separated:
#   ROW <case> <unit> <published> <simulated> <tolerance_pct | ->
# (tolerance "-" = reported, not judged) and may print "NOTE <text>" lines.
# A study with a file named FAST runs in CI (ctest validation.fast); the
# others run here only. Exit 1 when any judged row is outside its tolerance
# or a study fails to run; 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=0 out=""
while [ $# -gt 0 ]; do
    case $1 in
        --fast) fast=1; shift ;;
        --out) out=$2; shift 2 ;;
        -*) echo "validate.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
BUILD=$(cd "${1:-build}" && pwd)
export SRIOV_SIM=$BUILD/sriov-sim H5READ=$BUILD/tests/h5read
export SRIOV_MODELS_DIR=$PWD/models
for x in "$SRIOV_SIM" "$H5READ"; do
    [ -x "$x" ] || { echo "validate.sh: $x missing: cmake --build $BUILD" >&2; exit 2; }
done
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/sriov-validate.XXXXXX")
mkdir -p "$out"
bad=0 rows=0
printf '%-24s %-34s %-8s %14s %14s %9s %7s  %s\n' study case unit published simulated error tol verdict
for dir in validation/*/; do
    [ -f "$dir/run.sh" ] || continue
    [ $fast -eq 0 ] || [ -f "$dir/FAST" ] || continue
    study=$(basename "$dir")
    mkdir -p "$out/$study"
    log=$out/$study/run.log
    if ! VALIDATION_OUT=$out/$study bash "$dir/run.sh" > "$out/$study/rows.tsv" 2> "$log"; then
        printf '%-24s %s\n' "$study" "FAILED TO RUN (log: $log)"; tail -5 "$log" >&2
        bad=$((bad + 1)); continue
    fi
    while IFS=$'\t' read -r tag c unit pub sim tol; do
        case $tag in
            NOTE) printf '%-24s   note: %s\n' "$study" "$c" ;;
            ROW)
                rows=$((rows + 1))
                line=$(awk -v s="$study" -v c="$c" -v u="$unit" -v p="$pub" -v m="$sim" -v t="$tol" 'BEGIN {
                    e = (p != 0) ? 100 * (m - p) / p : 0; ae = e < 0 ? -e : e
                    v = (t == "-") ? "info" : (ae <= t + 0 ? "ok" : "OUTSIDE")
                    printf "%-24s %-34s %-8s %14.6g %14.6g %+8.2f%% %7s  %s", s, c, u, p, m, e, t, v }')
                echo "$line"
                case $line in *OUTSIDE) bad=$((bad + 1)) ;; esac ;;
        esac
    done < "$out/$study/rows.tsv"
done
echo "validate.sh: $rows rows, $bad outside tolerance or failed; figures and data in $out"
[ $bad -eq 0 ]
