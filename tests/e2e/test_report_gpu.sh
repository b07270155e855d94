#!/usr/bin/env bash
# The report's GPU figure (rgpu.h): drawn for a results file with GPUs, its
# data per instance equal to the nearest-rank p50 and p99 of that
# instance's finished jobs in /gpu_jobs (computed here independently from
# the HDF5), its utilisation the /gpu_instances column; listed as not drawn
# for a file without GPUs.
source "$(dirname "$0")/lib.sh"

run_sim "$SRCDIR/scenarios/gpu-sharing.yaml" "$WORK/g.h5"
"$SRIOV_SIM" report "$WORK/g.h5" -o "$WORK/g" > /dev/null
check_figures "$WORK/g" gpu_jobs
D="$WORK/g/gpu_jobs.dat"
check_eq "one line per instance" "$(grep -vc '^#' "$D")" "$(field "$WORK/g.h5" gpu_instances name | wc -l)"

# pct FILE GPU INSTANCE COLUMN Q: nearest-rank quantile of the finished jobs
pct() {
    paste <(field "$1" gpu_jobs gpu) <(field "$1" gpu_jobs instance) <(field "$1" gpu_jobs "$4") |
        awk -v g="$2" -v i="$3" '$1 == g && $2 == i && $3 == $3 + 0 && $3 !~ /nan/ { print $3 }' |
        sort -g | awk -v q="$5" '{ v[NR] = $1 } END { k = int(q * NR); if (k < q * NR) k++;
                                                    if (k < 1) k = 1; printf "%.12g", v[k] }'
}
gpus=$(field "$WORK/g.h5" gpu_instances gpu)
row=0
prev=-1; inst=0
for g in $gpus; do
    row=$((row + 1))
    if [ "$g" = "$prev" ]; then inst=$((inst + 1)); else inst=0; prev=$g; fi
    line=$(grep -v '^#' "$D" | sed -n "${row}p")
    label=$(echo "$line" | awk '{ print $1 }')
    check_near "$label completion p50" "$(echo "$line" | awk '{ print $2 }')" "$(pct "$WORK/g.h5" "$g" "$inst" completion_s 0.5)" 1e-8
    check_near "$label completion p99" "$(echo "$line" | awk '{ print $3 }')" "$(pct "$WORK/g.h5" "$g" "$inst" completion_s 0.99)" 1e-8
    check_near "$label slowdown p99" "$(echo "$line" | awk '{ print $5 }')" "$(pct "$WORK/g.h5" "$g" "$inst" slowdown 0.99)" 1e-8
    check_near "$label utilisation" "$(echo "$line" | awk '{ print $6 }')" \
        "$(field "$WORK/g.h5" gpu_instances utilisation | sed -n "${row}p")" 1e-8
done
check_eq "labels are gpu/instance" "$(grep -v '^#' "$D" | sed -n 1p | awk '{ print $1 }')" \
    "$(field "$WORK/g.h5" gpus name | sed -n 1p)/$(field "$WORK/g.h5" gpu_instances name | sed -n 1p)"
check_has "y axis: completion in ms" "$WORK/g/gpu_jobs.svg" "Job completion (ms"
check_has "y axis: slowdown" "$WORK/g/gpu_jobs.svg" "Slowdown (vs alone on its share)"

# No GPU: listed as not drawn.
run_sim "$SCN/mig_zero.yaml" "$WORK/n.h5"
"$SRIOV_SIM" report "$WORK/n.h5" -o "$WORK/n" > /dev/null
CHECKS=$((CHECKS + 1))
if [ ! -e "$WORK/n/gpu_jobs.png" ] &&
   grep -A2 '^## GPU jobs per instance$' "$WORK/n/index.md" | grep -q '^Not drawn: '; then
    pass "gpu_jobs listed as not drawn without GPUs"
else fail "gpu_jobs should be listed as not drawn in $WORK/n/index.md"; fi
finish
