# lib.sh -- helpers for end-to-end tests. Sourced by tests/e2e/test_*.sh.
# ctest sets SRIOV_SIM (the binary), H5READ (the reader) and SRCDIR.
set -euo pipefail
: "${SRIOV_SIM:?run through ctest}" "${H5READ:?}" "${SRCDIR:?}"
export SRIOV_MODELS_DIR="$SRCDIR/models"
SCN="$SRCDIR/tests/e2e/scenarios"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sriov-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FAILS=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }

# check_near NAME ACTUAL EXPECTED REL_TOL: |actual - expected| <= tol * |expected|
check_near() {
    CHECKS=$((CHECKS + 1))
    if awk -v a="$2" -v e="$3" -v t="$4" 'BEGIN { d = a - e; if (d < 0) d = -d;
            m = e < 0 ? -e : e; exit !(d <= t * m) }'; then
        pass "$1: $2 ~ $3 (tol $4)"
    else
        fail "$1: got $2, expected $3 within $4 relative"
    fi
}

check_eq() {
    CHECKS=$((CHECKS + 1))
    if [ "$2" = "$3" ]; then pass "$1: $2"; else fail "$1: got '$2', expected '$3'"; fi
}

# run SCENARIO OUT [ARGS...]: runs quietly, fails the test on a non-zero exit.
run_sim() {
    local scn=$1 out=$2; shift 2
    "$SRIOV_SIM" run "$scn" -o "$out" --quiet "$@"
}

field() { "$H5READ" "$1" "$2" "$3" "$4"; }

finish() {
    echo "$((CHECKS - FAILS)) passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
