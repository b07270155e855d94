# lib_latency_fifo.sh -- sourced by test_latency_fifo_*.sh: flow mode
# against the per-packet FIFO reference (scripts/latency-cases.sh).
source "$(dirname "$0")/lib.sh"
SIM=$SRIOV_SIM H5=$H5READ
source "$SRCDIR/scripts/latency-cases.sh"

# fifo_case CASE TOL_MEAN TOL_P50 TOL_P99: flow f's figures within the
# relative tolerances of the reference's.
fifo_case() {
    local line
    line=$(lc_run "$1")
    set -- "$1" "$2" "$3" "$4" $line
    check_near "$1 mean" "$6" "${9}" "$2"
    check_near "$1 p50" "$7" "${10}" "$3"
    check_near "$1 p99" "$8" "${11}" "$4"
}
