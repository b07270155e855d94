#!/usr/bin/env bash
# Study 8: the GPU model (src/gpu) against published measurements; see
# SOURCE.md. Called by scripts/validate.sh with SRIOV_SIM, H5READ,
# SRIOV_MODELS_DIR and VALIDATION_OUT set. Three parts:
#   h2d   copy rate of one pinned host-to-device copy per transfer size
#         (gpu-h2d.yaml) vs bandwidthTest on an A100 PCIe (judged at >= 200 MB,
#         where the per-copy setup the model lacks is < 1 %) and nvbandwidth
#         SM copies on an A100 SXM4 (reported);
#   mig   throughput of one job on 1g/2g/3g slices relative to the whole GPU
#         (gpu-mig.yaml), compute- and memory-bound, vs GROMACS on an A100
#         80GB (reported: GROMACS does not fill the GPU, SOURCE.md);
#   slice mean completion-time increase of N time-sliced jobs
#         (gpu-timeslice.yaml) vs a KubeRay time-slicing study (reported).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SRIOV_SIM:?}" "${H5READ:?}" "${VALIDATION_OUT:?}"
out=$VALIDATION_OUT
mkdir -p "$out"
run() { "$SRIOV_SIM" run "$1" -o "$2" --quiet > /dev/null; }
col() { "$H5READ" "$1" gpu_jobs "$2"; }
TOL_H2D=5   # %: the published steady-state runs spread 25.4..26.2 GB/s (3 %) on one machine

# --- h2d ----------------------------------------------------------------
run "$here/gpu-h2d.yaml" "$out/h2d.h5"
mapfile -t sizes < <(grep -v '^#' "$here/h2d.csv" | cut -d, -f3 | sort -n -u)
mapfile -t t0 < <(col "$out/h2d.h5" start_s)
mapfile -t t1 < <(col "$out/h2d.h5" h2d_end_s)
[ "${#sizes[@]}" -eq "${#t0[@]}" ] || { echo "run.sh: ${#sizes[@]} sizes, ${#t0[@]} jobs" >&2; exit 1; }
: > "$out/h2d.dat"
grep -v '^#' "$here/h2d.csv" | while IFS=, read -r runid gpu bytes pub _; do
    for i in "${!sizes[@]}"; do [ "${sizes[$i]}" = "$bytes" ] && break; done
    sim=$(awk -v b="$bytes" -v a="${t0[$i]}" -v e="${t1[$i]}" 'BEGIN { printf "%.4f", b / (e - a) / 1e9 }')
    tol=-
    [ "$runid" != nvbw_sm ] && [ "$bytes" -ge 200000000 ] && tol=$TOL_H2D
    printf 'ROW\th2d %s %s %sB\tGB/s\t%s\t%s\t%s\n' "$runid" "$gpu" "$bytes" "$pub" "$sim" "$tol"
    echo "$runid $bytes $pub $sim" >> "$out/h2d.dat"
done
printf 'NOTE\th2d: from 1 to 10 MB bandwidthTest plateaus at 17.7..18.9 GB/s, 22.7..24.1 at 100 MB: a slower regime for small copies, not a fixed per-copy cost; the model copies every size at the link rate: reported, not judged (SOURCE.md)\n'

# --- mig ----------------------------------------------------------------
# throughput relative to the full GPU = time on the full GPU / time on the slice
mig_ratio() {   # $1 h5 -> "r1g r2g r3g" (rows: s1g, s2g, s3g, full)
    mapfile -t c < <(col "$1" completion_s)
    awk -v a="${c[0]}" -v b="${c[1]}" -v d="${c[2]}" -v f="${c[3]}" 'BEGIN { printf "%.6f %.6f %.6f\n", f / a, f / b, f / d }'
}
sed 's/{ KIND }/{ work: 10s }/' "$here/gpu-mig.yaml" > "$out/mig-compute.yaml"
sed 's/{ KIND }/{ work_flop: 1, memory_traffic: 15550GB }/' "$here/gpu-mig.yaml" > "$out/mig-memory.yaml"
run "$out/mig-compute.yaml" "$out/mig-compute.h5"
run "$out/mig-memory.yaml" "$out/mig-memory.h5"
read -r c1 c2 c3 < <(mig_ratio "$out/mig-compute.h5")
read -r m1 m2 m3 < <(mig_ratio "$out/mig-memory.h5")
full=$(grep -v '^#' "$here/mig.csv" | awk -F, '$2 == "full" { print $3 }')
: > "$out/mig.dat"
grep -v '^#' "$here/mig.csv" | while IFS=, read -r page prof nsday _; do
    [ "$prof" = full ] && continue
    pub=$(awk -v n="$nsday" -v f="$full" 'BEGIN { printf "%.4f", n / f }')
    case $prof in 1g.5gb) c=$c1 m=$m1 ;; 2g.10gb) c=$c2 m=$m2 ;; 3g.20gb) c=$c3 m=$m3 ;; esac
    printf 'ROW\tmig %s (%s) compute-bound\tx full\t%s\t%s\t-\n' "$prof" "$page" "$pub" "$c"
    printf 'ROW\tmig %s (%s) memory-bound\tx full\t%s\t%s\t-\n' "$prof" "$page" "$pub" "$m"
    echo "$prof $pub $c $m" >> "$out/mig.dat"
done
printf 'NOTE\tmig: GROMACS (1 core, 4 threads) uses about 40 %% of a whole A100 (3g.40gb reaches 97 %% of it): the plain roofline (usable_fraction 1) gives each slice its share of the whole GPU (SOURCE.md)\n'
# The job key usable_fraction X (docs/gpu.md): a job runs at min(share, X).
# X is this GROMACS run's property, read from ONE point, the 3g slice
# (ratio = (3/7) / X); the 1g and 2g slices are then checks.
pub3=$(grep -v '^#' "$here/mig.csv" | awk -F, -v f="$full" '$2 == "3g.20gb" { printf "%.6f", $3 / f }')
X=$(awk -v r="$pub3" 'BEGIN { x = (3 / 7) / r; printf "%.6f", (x > 1 ? 1 : x) }')
sed "s/{ KIND }/{ work: 10s, usable_fraction: $X }/" "$here/gpu-mig.yaml" > "$out/mig-usable.yaml"
run "$out/mig-usable.yaml" "$out/mig-usable.h5"
read -r u1 u2 u3 < <(mig_ratio "$out/mig-usable.h5")
grep -v '^#' "$here/mig.csv" | while IFS=, read -r page prof nsday _; do
    case $prof in 1g.5gb) u=$u1 w=check ;; 2g.10gb) u=$u2 w=check ;; 3g.20gb) u=$u3 w="X read here" ;; *) continue ;; esac
    pub=$(awk -v n="$nsday" -v f="$full" 'BEGIN { printf "%.4f", n / f }')
    printf 'ROW\tmig %s, usable_fraction %s (%s)\tx full\t%s\t%s\t-\n' "$prof" "$X" "$w" "$pub" "$u"
done
printf 'NOTE\tmig: with usable_fraction %s read from the 3g point, the 1g and 2g slices are within -11 %% / -5 %% (the plain roofline: -61 %% / -58 %%); the rest is not explained by a share cap (the run also has one CPU core, 4 threads)\n' "$X"

# --- time slicing ---------------------------------------------------------
mean_completion() { col "$1" completion_s | awk '{ s += $1; n++ } END { printf "%.9f", s / n }'; }
for n in 1 2 3; do
    awk -v n="$n" '/# N>=/ { split($0, a, "N>="); if (a[2] + 0 > n) next } { print }' \
        "$here/gpu-timeslice.yaml" > "$out/slice$n.yaml"
    run "$out/slice$n.yaml" "$out/slice$n.h5"
done
alone=$(mean_completion "$out/slice1.h5")
grep -v '^#' "$here/timeslice.csv" | while IFS=, read -r n pub _; do
    sim=$(awk -v m="$(mean_completion "$out/slice$n.h5")" -v a="$alone" 'BEGIN { printf "%.3f", 100 * (m / a - 1) }')
    printf 'ROW\ttime slicing %s jobs, completion increase\t%%\t%s\t%s\t-\n' "$n" "$pub" "$sim"
done
printf 'NOTE\ttime slicing: the model gives N busy jobs the device in turns (+100 %% and +200 %% for 2 and 3); the published jobs leave the GPU idle part of the time (SOURCE.md)\n'

if command -v gnuplot > /dev/null; then
    gnuplot > /dev/null 2>&1 <<GP || echo "NOTE	gnuplot failed; data in $out/h2d.dat and $out/mig.dat"
set terminal pngcairo size 1100,450 noenhanced
set output '$out/gpu_sharing.png'
set multiplot layout 1,2 title 'Study 8: GPU model vs published measurements'
set logscale x; set xlabel 'transfer size, bytes'; set ylabel 'host-to-device GB/s'
set yrange [0:30]; set key bottom right
plot '$out/h2d.dat' using 2:3 with points pt 7 title 'published (bandwidthTest, nvbandwidth)', \
     '' using 2:4 with points pt 6 title 'simulated'
unset logscale x; set xlabel 'MIG profile'; set ylabel 'throughput / whole GPU'; set yrange [0:1.1]
set style data histograms; set style fill solid 0.8 border -1; set key top left
plot '$out/mig.dat' using 2:xtic(1) title 'published (GROMACS, A100 80GB)', '' using 3 title 'model, compute-bound', '' using 4 title 'model, memory-bound'
unset multiplot
GP
fi
