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
    case "$2$3" in
        *[Nn][Aa][Nn]*|'') fail "$1: got '$2', expected '$3': not a number"; return ;;
    esac
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

# field FILE TABLE FIELD [ROW]: the value in the row named ROW, or with no
# (or an empty) ROW the whole column, one value a line.
field() { if [ -n "${4:-}" ]; then "$H5READ" "$1" "$2" "$3" "$4"; else "$H5READ" "$1" "$2" "$3"; fi; }

# mig FILE FIELD [N]: FIELD of the Nth row of /migrations (default the first).
mig() { field "$1" migrations "$2" | sed -n "${3:-1}p"; }

# gbps FILE FLOW SECONDS: the flow's mean delivered rate in Gbit/s over a run
# of SECONDS.
gbps() { awk -v b="$(field "$1" flows delivered_bytes "$2")" -v s="$3" 'BEGIN { print b * 8 / s / 1e9 }'; }

# param NAME KEY: KEY of the NAME entry (a backend or a guest driver) of
# models/virtio/backends.yaml, the model file the run reads.
param() {
    awk -v b="  $1:" -v k="$2:" '$0 ~ "^" b { on = 1; next }
        on && /^  [a-z]/ { on = 0 } on && $1 == k { print $2; exit }' \
        "$SRIOV_MODELS_DIR/virtio/backends.yaml"
}

# Report figures: a valid PNG / SVG, and check_figures DIR FIGURE...: each
# figure written as PNG, SVG and data, and listed in DIR/index.md.
is_png() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
is_svg() { grep -q '<svg' "$1" && tail -c 200 "$1" | grep -q '</svg>'; }

# check_has NAME FILE TEXT: FILE contains TEXT (fixed string).
check_has() {
    CHECKS=$((CHECKS + 1))
    if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $2"; fi
}

check_figures() { # DIR FIGURE...
    local dir=$1; shift
    for fig in "$@"; do
        CHECKS=$((CHECKS + 1))
        if [ -s "$dir/$fig.png" ] && is_png "$dir/$fig.png" && [ -s "$dir/$fig.svg" ] &&
           is_svg "$dir/$fig.svg" && [ -s "$dir/$fig.dat" ] && grep -q "($fig.png)" "$dir/index.md"; then
            pass "$fig: PNG, SVG, data, listed"
        else fail "$fig missing or invalid in $dir"; fi
    done
}

finish() {
    echo "$((CHECKS - FAILS)) passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
