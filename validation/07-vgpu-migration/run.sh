#!/usr/bin/env bash
# Study 7: vGPU live migration (src/migration, docs/gpu.md "vGPU live
# migration") against VMware's published vMotion stun times of vGPU VMs
# (SOURCE.md). Per used framebuffer size: the scenario migrates a VM holding
# one 32 GB vGPU of a Tesla V100 PCIe 32GB, FBU of it in use, over 10 Gb/s,
# and the simulated downtime is compared with the published stun time.
# vSphere 6.7's 1 GB and 32 GB points calibrated the two constants
# (models/gpus/nvidia-v100-pcie-32gb.yaml): they are printed but not
# judged (tolerance "-"); its 2..16 GB points are the check (judged);
# vSphere 7.0's table is reported. Called by scripts/validate.sh with
# SRIOV_SIM, H5READ, SRIOV_MODELS_DIR and VALIDATION_OUT set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SRIOV_SIM:?}" "${H5READ:?}" "${VALIDATION_OUT:?}"
out=$VALIDATION_OUT
mkdir -p "$out"
: > "$out/data.tsv"
TOL=10   # % on the check points: SOURCE.md says why (the published curve is concave, the model linear)

declare -A sim
for fb in $(grep -v '^#' "$here/published.csv" | tail -n +2 | cut -d, -f3 | sort -un); do
    scn=$out/fb$fb.yaml
    sed "s/FBU/${fb}GB/" "$here/vgpu_vmotion.yaml" > "$scn"
    "$SRIOV_SIM" run "$scn" -o "${scn%.yaml}.h5" --quiet > /dev/null
    sim[$fb]=$("$H5READ" "${scn%.yaml}.h5" migrations downtime_s)
done
grep -v '^#' "$here/published.csv" | tail -n +2 | while IFS=, read -r rel _ fb stun role; do
    tol=-
    [ "$role" = check ] && tol=$TOL
    printf 'ROW\tvSphere %s, %s GB used (%s)\ts\t%s\t%.4f\t%s\n' "$rel" "$fb" "$role" "$stun" "${sim[$fb]}" "$tol"
    printf '%s\t%s\t%s\t%s\n' "$rel" "$fb" "$stun" "${sim[$fb]}" >> "$out/data.tsv"
done
echo "NOTE	calibration rows reproduce their points by construction (2 constants on 2 points); the 4 check rows judge the model; vSphere 7.0 moved the state faster than the 6.7 calibration (reported)"
echo "NOTE	the published GB read as 1e9 B, as the catalogue's memory sizes; GiB (2^30 B) would give migration_stream_fraction 0.611 (not 0.564) and move each check error by under 0.1 point"

if command -v gnuplot > /dev/null; then
    gnuplot > /dev/null 2>&1 <<GP || echo "NOTE	gnuplot failed; data in $out/data.tsv"
set terminal pngcairo size 800,500 noenhanced
set output '$out/vgpu_migration.png'
set title 'Study 7: vGPU vMotion stun time, V100 over 10 Gb/s, published vs simulated'
set xlabel 'used framebuffer, GB'
set ylabel 'stun time (downtime), s'
set logscale x 2
set key top left
plot '< grep ^6.7 $out/data.tsv' using 2:3 with points pt 7 title 'vSphere 6.7 (published)', \
     '< grep ^7.0 $out/data.tsv' using 2:3 with points pt 5 title 'vSphere 7.0 (published)', \
     '< grep ^6.7 $out/data.tsv' using 2:4 with linespoints pt 6 title 'simulated'
GP
fi
