# compare_series.gp -- throughput over time, one line per (flow, run).
#
# Input (datafile): written by `sriov-sim report A.h5 B.h5 ...` as
# compare_throughput.dat: '#' comment lines, then one block per (flow, run),
# flow-major, blocks separated by two blank lines; each block starts with a
# header "time_s flow@run" followed by lines "time_s throughput_bps".
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='compare_throughput.dat'; outfile='compare_throughput.png'; fmt='png'; nseries=4; nruns=2" \
#           /path/to/scripts/report/compare_series.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of blocks), nruns (runs per flow: the colour follows the
# flow, the dash pattern the run; solid is the first run).

if (!exists("datafile")) datafile = "compare_throughput.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "compare_throughput." . fmt
if (!exists("title")) title = "Throughput per flow and run"
if (!exists("nseries")) nseries = 1
if (!exists("nruns")) nruns = 1

if (fmt eq "svg") {
    set terminal svg size 1100,620 dynamic font "sans,12" noenhanced
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 1100,620 font "sans,11" noenhanced
    } else {
        set terminal png size 1100,620 noenhanced
    }
}
set output outfile

set title title
set xlabel "Time (s)"
set ylabel "Throughput (Gbit/s)"
set grid
set yrange [0:*]
set xrange [0:*]
set offsets 0, 0, graph 0.08, 0
set key outside right top vertical Left reverse noenhanced
array C[12] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", \
               "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a"]

plot for [b=0:nseries-1] datafile index b using 1:($2 / 1e9) with lines lw 2 \
     lc rgb C[(b / nruns) % 12 + 1] dt 1 + b % nruns title columnheader(2)
