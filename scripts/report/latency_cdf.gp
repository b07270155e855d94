# latency_cdf.gp -- per-flow latency CDF from the stored histograms, in us.
#
# Input (datafile): written by `sriov-sim report` as latency_cdf.dat: one
# block per flow (at most 24, those with the highest p99), blocks separated
# by two blank lines; each block has a header line "latency_s <flow name>"
# then (latency in s, fraction of packets at or below) at the start of the
# flow's law and at the upper edge of every non-empty 2 % histogram bin.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='latency_cdf.dat'; outfile='latency_cdf.png'; fmt='png'; nseries=3" \
#           /path/to/scripts/report/latency_cdf.gp
# Variables: datafile, outfile, fmt ('png' or 'svg'), title (optional);
# nseries (number of flow blocks, required to plot every block).

if (!exists("datafile")) datafile = "latency_cdf.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "latency_cdf." . fmt
if (!exists("title")) title = "Latency CDF per flow (from its histogram)"
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
# Log scale when the latencies span more than 20x (a 2 us flow and a 2 ms
# one on one linear axis hide the first); a linear axis from 0 otherwise.
stats datafile using ($1 * 1e6) nooutput name "X"
if (X_min > 0 && X_max / X_min > 20) {
    set logscale x
    set xrange [X_min / 1.2 : X_max * 1.2]
    set xlabel "One-way latency per packet (us, log scale)"
} else {
    set xrange [0:*]
}
set yrange [0:1.01]
set offsets 0, graph 0.05, 0, 0
set key outside right top vertical Left reverse noenhanced
if (nseries > 24) set key off

plot for [i=0:nseries-1] datafile index i using ($1 * 1e6):2 \
     with lines lw 2 title columnheader(2)
