# latency_cdf.gp -- per-flow latency CDF through the stored percentiles, in us.
#
# Input (datafile): written by `sriov-sim report` as latency_cdf.dat: one
# block per flow, blocks separated by two blank lines; each block has a
# header line "latency_s <flow name>" then (latency in s, cumulative
# fraction) at p50, p99 and p99.9.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='latency_cdf.dat'; outfile='latency_cdf.png'; fmt='png'; nseries=3" \
#           /path/to/scripts/report/latency_cdf.gp
# Variables: datafile, outfile, fmt ('png' or 'svg'), title (optional);
# nseries (number of flow blocks, required to plot every block).

if (!exists("datafile")) datafile = "latency_cdf.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "latency_cdf." . fmt
if (!exists("title")) title = "Latency CDF per flow (from percentiles)"
if (!exists("nseries")) nseries = 1

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
set xlabel "One-way latency per packet (us)"
set ylabel "Fraction of packets at or below (CDF)"
set grid
set yrange [0.45:1.01]
set xrange [0:*]
set offsets 0, graph 0.05, 0, 0
set key outside right top vertical Left reverse noenhanced
if (nseries > 24) set key off

plot for [i=0:nseries-1] datafile index i using ($1 * 1e6):2 \
     with linespoints lw 2 pt 7 title columnheader(2)
