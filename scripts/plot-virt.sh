#!/usr/bin/env bash
# plot-virt.sh RESULTS.h5 OUT.png -- flow throughput over time (Gb/s), with
# migration phase events marked: for scenarios/migration-failover.yaml and
# scenarios/datapath-comparison.yaml. Needs gnuplot and h5read (built in
# build*/tests/, or $H5READ).
set -euo pipefail
in=$1 out=$2
H5READ=${H5READ:-$(ls "$(dirname "$0")"/../build*/tests/h5read 2>/dev/null | head -1)}
[ -x "$H5READ" ] || { echo "plot-virt.sh: set H5READ to the h5read tool" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
paste <("$H5READ" "$in" --series /timeseries/time_s) \
      <("$H5READ" "$in" --series /timeseries/flow_throughput_bps) > "$tmp/data"
mapfile -t names < <("$H5READ" "$in" flows name)
plot="" ; for i in "${!names[@]}"; do
    plot+="${plot:+, }'$tmp/data' using 1:(\$$((i + 2))/1e9) with lines lw 2 title '${names[$i]}'"
done
marks=""
if "$H5READ" "$in" migrations start_s >/dev/null 2>&1; then
    for k in start_s precopy_start_s precopy_end_s end_s replug_end_s; do
        for t in $("$H5READ" "$in" migrations $k); do
            [ "$t" = nan ] || marks+="set arrow from $t, graph 0 to $t, graph 1 nohead dt 2 lc rgb 'gray'; set label '$k' at $t, graph 0.97 rotate by 90 right font ',8'; "
        done
    done
fi
gnuplot <<GP
set terminal pngcairo size 1100,600 noenhanced
set output '$out'
set xlabel 'time (s)'; set ylabel 'throughput (Gb/s)'; set key outside right; set grid
$marks
plot $plot
GP
echo "wrote $out"
