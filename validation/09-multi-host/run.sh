#!/usr/bin/env bash
# Study 9: the multi-host adapter model (per-host PCIe links, one shared port;
# docs/multi-host.md) against RoCE RDMA-write bandwidth of the GB10's
# ConnectX-7: two PCIe Gen5 x4 halves behind one 200 Gb/s port; see
# SOURCE.md. Called by scripts/validate.sh with SRIOV_SIM, H5READ,
# SRIOV_MODELS_DIR and VALIDATION_OUT set. Rows:
#   both halves at once: each half's and the sum's payload rate, bound by the
#     shared port (Ethernet framing of 4158 B RoCE frames): judged (2 %);
#   one half alone: bound by that half's PCIe Gen5 x4 link (the PCIe model):
#     reported (-): RDMA reads payload only, one WQE per message, and the
#     GB10's MPS is not published (SOURCE.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SRIOV_SIM:?}" "${H5READ:?}" "${VALIDATION_OUT:?}"
out=$VALIDATION_OUT
mkdir -p "$out"
TOL_PORT=2        # % on the port-bound rows (SOURCE.md)
duration_s=0.1    # simulation.duration of gb10.yaml
payload_B=4096    # RoCE payload per 4158 B frame (gb10.yaml header)
OFFER=150Gbps     # more than either bound: each half takes what it can get

sim_case() {   # $1 halves (a | ab) $2 name [$3 extra sed] -> h5 path
    local scn=$out/$2.yaml
    case $1 in
        a) sed "s/OFFER1/$OFFER/; /name: fb,/d; ${3:-}" "$here/gb10.yaml" > "$scn" ;;
        ab) sed "s/OFFER1/$OFFER/; s/OFFER2/$OFFER/; ${3:-}" "$here/gb10.yaml" > "$scn" ;;
    esac
    "$SRIOV_SIM" run "$scn" -o "$out/$2.h5" --quiet > /dev/null
    echo "$out/$2.h5"
}
gbps() {   # $1 h5, $2 flow -> payload Gb/s
    awk -v p="$("$H5READ" "$1" flows delivered_packets "$2")" -v b="$payload_B" -v d="$duration_s" \
        'BEGIN { printf "%.4f", p * b * 8 / d / 1e9 }'
}
one=$(sim_case a one_half)
both=$(sim_case ab both_halves)
one_a=$(gbps "$one" fa)
both_a=$(gbps "$both" fa)
both_b=$(gbps "$both" fb)
both_sum=$(awk -v a="$both_a" -v b="$both_b" 'BEGIN { printf "%.4f", a + b }')
: > "$out/data.tsv"
grep -v '^#' "$here/published.csv" | while IFS=, read -r case halves what msg pub _; do
    case $halves/$what in
        a/a) sim=$one_a; tol=- ;;
        ab/a) sim=$both_a; tol=$TOL_PORT ;;
        ab/b) sim=$both_b; tol=$TOL_PORT ;;
        ab/sum) sim=$both_sum; tol=$TOL_PORT ;;
    esac
    printf 'ROW\t%s %s (%s B msgs)\tGb/s\t%s\t%s\t%s\n' "$case" "$what" "$msg" "$pub" "$sim" "$tol"
    printf '%s_%s\t%s\t%s\n' "$case" "$what" "$pub" "$sim" >> "$out/data.tsv"
done
# Sensitivity of the PCIe-bound row to the one setting the source does not state.
mps512=$(gbps "$(sim_case a one_half_mps512 's/lanes: 4 }/lanes: 4, mps: 512B }/')" fa)
printf 'NOTE\tone half alone with MPS 512 B instead of the catalogue'"'"'s 256 B: %s Gb/s (published 111.86); the GB10'"'"'s MPS is not published (SOURCE.md)\n' "$mps512"
printf 'NOTE\tboth halves: the two PCIe halves share the one 200G port equally, as the vendor'"'"'s default even split between hosts says; the port, not PCIe, binds\n'

if command -v gnuplot > /dev/null; then
    gnuplot > /dev/null 2>&1 <<GP || echo "NOTE	gnuplot failed; data in $out/data.tsv"
set terminal pngcairo size 900,450 noenhanced
set output '$out/multi_host.png'
set title 'Study 9: GB10 ConnectX-7, two PCIe Gen5 x4 halves on one 200G port: published vs simulated'
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8 border -1
set xtics rotate by -20; set yrange [0:*]; set ylabel 'RDMA write payload, Gb/s'; set key top left
plot '$out/data.tsv' using 2:xtic(1) title 'published (ib_write_bw)', '' using 3 title 'simulated'
GP
fi
