#!/usr/bin/env bash
# The stored latency histograms (docs/results.md, "Latency histograms"),
# read back as any outside reader would, with h5read and awk only:
#   - every /flows and /vfs percentile is the histogram's, recomputed here
#     by the documented rule (to 1e-9: awk's pow against C's);
#   - a VF's histogram is the bin-by-bin sum of the flows it sends;
#   - the mean is latency_sum_s / packets;
#   - flow, burst (measured) and packet (empty, NaN) granularity;
#   - a results file with a malformed histogram is refused by the report.
source "$(dirname "$0")/lib.sh"
: "${H5FORGE:?run through ctest}"

# hist_dump FILE WHAT OUT: OUT.rows (first n offset packets sum min max per
# row) and OUT.counts (one count a line).
hist_dump() {
    paste -d' ' <(field "$1" "$2_latency_hist" first_bin) <(field "$1" "$2_latency_hist" n_bins) \
        <(field "$1" "$2_latency_hist" offset) <(field "$1" "$2_latency_hist" packets) \
        <(field "$1" "$2_latency_hist" latency_sum_s) <(field "$1" "$2_latency_hist" min_s) \
        <(field "$1" "$2_latency_hist" max_s) > "$3.rows"
    if "$H5READ" "$1" "$2_latency_counts" packets > "$3.counts" 2> /dev/null; then :; else : > "$3.counts"; fi
}

# The quantile rule of docs/results.md, for p in 0.5 0.99 0.999, and the
# mean; one line per histogram: mean p50 p99 p999 ("nan" when empty).
QUANTILES='
function num(x) { return x == "nan" ? x : sprintf("%.17g", x) }
function lo(b) { return b <= 0 ? 0 : 1e-9 * exp((b - 1) * log(1.02)) }
function hi(b) { return b >= 1165 ? -1 : 1e-9 * exp(b * log(1.02)) }
function q(p,   s, i, t, seen, last, f, a, z, b) {
    s = 0; for (i = 0; i < n; i++) s += c[off + i]
    if (!(s > 0)) return "nan"
    if (p == 1) return mx
    t = p * s; seen = 0; last = -1
    for (i = 0; i < n; i++) {
        if (!(c[off + i] > 0)) continue
        last = i
        if (seen + c[off + i] >= t) break
        seen += c[off + i]
    }
    if (i == n) i = last
    f = (t - seen) / c[off + i]; if (f < 0) f = 0; if (f > 1) f = 1
    b = first + i; a = lo(b); z = hi(b)
    if (mn > a) a = mn
    if (z < 0 || mx < z) z = mx
    if (!(z > a)) return a
    if (a > 0) return a * exp(f * log(z / a))
    return z * f
}
NR == FNR { c[FNR - 1] = $1; next }
{
    first = $1; n = $2; off = $3; mn = $6 + 0; mx = $7 + 0
    print num($4 > 0 ? $5 / $4 : "nan"), num(q(0.5)), num(q(0.99)), num(q(0.999))
}'

# check_agree NAME FILE TABLE WHAT: TABLE's latency columns against the
# histograms of WHAT, row by row.
check_agree() {
    hist_dump "$2" "$4" "$WORK/h"
    awk "$QUANTILES" "$WORK/h.counts" "$WORK/h.rows" > "$WORK/h.q"
    paste -d' ' <(field "$2" "$3" latency_mean_s) <(field "$2" "$3" latency_p50_s) \
        <(field "$2" "$3" latency_p99_s) <(field "$2" "$3" latency_p999_s) > "$WORK/h.t"
    local bad
    bad=$(paste -d' ' "$WORK/h.t" "$WORK/h.q" | awk '
        function isnan(x) { return x == "nan" || x == "-nan" }
        { for (k = 1; k <= 4; k++) { a = $k; b = $(k + 4)
              if (isnan(a) || isnan(b)) { if (!(isnan(a) && isnan(b))) bad++; continue }
              d = a - b; if (d < 0) d = -d; if (d > 1e-9 * (a < 0 ? -a : a)) bad++ } }
        END { print bad + 0 }')
    check_eq "$1: /$3 latency columns are the histograms' (rows disagreeing)" "$bad" 0
}

# Flow granularity: the noisy neighbour (one VF sends four flows).
f="$WORK/nn.h5"
run_sim "$SRCDIR/scenarios/noisy-neighbour.yaml" "$f"
check_agree "flow mode" "$f" flows flow
check_agree "flow mode" "$f" vfs vf
n_nonempty=$(field "$f" flow_latency_hist packets | awk '$1 > 0 { n++ } END { print n + 0 }')
check_eq "every flow of the noisy neighbour has a histogram" "$n_nonempty" "$(field "$f" flows name | wc -l)"
nb=$(field "$f" flow_latency_hist n_bins | awk '{ s += $1 } END { print s }')
check_eq "counts table holds every flow's bins" "$(field "$f" flow_latency_counts packets | wc -l)" "$nb"

# The VF histogram is the sum of its flows' (flow 'from' = the VF's vm.nic).
hist_dump "$f" flow "$WORK/fl"
hist_dump "$f" vf "$WORK/vf"
paste -d' ' <(field "$f" flows from) "$WORK/fl.rows" > "$WORK/fl.keyed"
paste -d' ' <(paste -d. <(field "$f" vfs vm) <(field "$f" vfs nic)) "$WORK/vf.rows" > "$WORK/vf.keyed"
sum_bad=$(awk '
    FILENAME == ARGV[1] { fc[FNR - 1] = $1; next }
    FILENAME == ARGV[2] { vc[FNR - 1] = $1; next }
    FILENAME == ARGV[3] { for (i = 0; i < $3; i++) want[$1, $2 + i] += fc[$4 + i]; pk[$1] += $5; next }
    { if ($1 == ".") next
      got_pk = 0
      for (i = 0; i < $3; i++) { g = vc[$4 + i]; w = want[$1, $2 + i]
          d = g - w; if (d < 0) d = -d; if (d > 1e-9 * g) bad++; seen[$1, $2 + i] = 1 }
      for (k in want) { split(k, kk, SUBSEP); if (kk[1] == $1 && !((kk[1], kk[2]) in seen) && want[k] > 0) bad++ }
      d = $5 - pk[$1]; if (d < 0) d = -d; if (d > 1e-9 * $5) bad++
      vfs++ }
    END { print bad + 0 }' "$WORK/fl.counts" "$WORK/vf.counts" "$WORK/fl.keyed" "$WORK/vf.keyed")
check_eq "each VF's histogram is the bin-by-bin sum of its flows'" "$sum_bad" 0
noisy_pk=$(field "$f" vfs tx_packets | head -c 0; awk '$1 == "noisy.eth0" { print $5 }' "$WORK/vf.keyed")
flows_pk=$(awk '$1 == "noisy.eth0" { s += $5 } END { printf "%.17g", s }' "$WORK/fl.keyed")
check_near "the noisy VF's packets are its four flows'" "$noisy_pk" "$flows_pk" 1e-12

# Burst granularity: measured histograms, the columns still theirs.
sed "s/simulation: { /simulation: { granularity: burst, /" "$SCN/gran_poisson.yaml" > "$WORK/gb.yaml"
run_sim "$WORK/gb.yaml" "$WORK/gb.h5"
check_agree "burst mode" "$WORK/gb.h5" flows flow
check_agree "burst mode" "$WORK/gb.h5" vfs vf
# Packet granularity: no per-packet delay measured: empty, NaN (never 0).
sed "s/simulation: { /simulation: { granularity: packet, /" "$SCN/gran_poisson.yaml" > "$WORK/gp.yaml"
run_sim "$WORK/gp.yaml" "$WORK/gp.h5"
check_eq "packet mode: empty histograms" \
    "$(field "$WORK/gp.h5" flow_latency_hist n_bins | sort -u | tr '\n' ' ')" "0 "
check_eq "packet mode: p99 NaN" "$(field "$WORK/gp.h5" flows latency_p99_s | sort -u | tr '\n' ' ')" "nan "

# A malformed histogram: the report refuses the file, names the table,
# writes no figure.
for bad in "n_bins 100000" "offset -5" "packets 7" "min_s 1e3" "first_bin 0.5"; do
    set -- $bad
    cp "$f" "$WORK/bad.h5"
    "$H5FORGE" "$WORK/bad.h5" --set-field /flow_latency_hist 1 "$1" "$2"
    rm -rf "$WORK/rep"
    set +e
    "$SRIOV_SIM" report "$WORK/bad.h5" -o "$WORK/rep" > /dev/null 2> "$WORK/err"
    rc=$?
    set -e
    msg=$(cat "$WORK/err")
    CHECKS=$((CHECKS + 1))
    if [ "$rc" -ne 0 ] && [[ $msg == *"damaged"*"/flow_latency_hist"* ]] &&
       [ ! -e "$WORK/rep/latency_cdf.png" ]; then
        pass "report refuses $1 = $2: ${msg:0:140}"
    else fail "report did not refuse $1 = $2 (exit $rc): $msg"; fi
done
# A count made negative in the counts table too.
cp "$f" "$WORK/bad.h5"
"$H5FORGE" "$WORK/bad.h5" --set-field /vf_latency_counts 3 packets -1
set +e
"$SRIOV_SIM" report "$WORK/bad.h5" -o "$WORK/rep2" > /dev/null 2> "$WORK/err"
rc=$?
set -e
msg=$(cat "$WORK/err")
check_eq "report refuses a negative count (exit)" "$rc" 1
check_has "…and names it" "$WORK/err" "/vf_latency_hist: a count is negative"
# The sound file is drawn, with a real CDF and the per-VF figure.
"$SRIOV_SIM" report "$f" -o "$WORK/ok" > /dev/null
check_figures "$WORK/ok" latency_cdf vf_latency
finish
