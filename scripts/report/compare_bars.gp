# compare_bars.gp -- one quantity per item (flow or link), one bar per run.
#
# Input (datafile): written by `sriov-sim report A.h5 B.h5 ...` as
# compare_rate.dat, compare_p99.dat or compare_links.dat: '#' comment lines,
# a header "flow|link <run> <run> ...", then one line per item: its name and
# one value per run in the file's units (NaN where the run lacks the item).
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='compare_rate.dat'; outfile='compare_rate.png'; fmt='png'; nseries=2; scale=1e-9" \
#           /path/to/scripts/report/compare_bars.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of runs), ylabel, scale (multiplies every value), logy
# (1: logarithmic y axis), xname (x axis label).

if (!exists("datafile")) datafile = "compare_rate.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "compare." . fmt
if (!exists("title")) title = "Comparison of runs"
if (!exists("nseries")) nseries = 2
if (!exists("ylabel")) ylabel = "Value"
if (!exists("scale")) scale = 1
if (!exists("logy")) logy = 0
if (!exists("xname")) xname = "Flow"

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
set xlabel xname
set ylabel ylabel
set grid ytics
if (logy) {
    set logscale y
    set yrange [*:*]
} else {
    set yrange [0:*]
    set offsets 0, 0, graph 0.08, 0
}
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical Left reverse noenhanced
set xtics rotate by -30
# Distinct colours for up to 8 runs (gnuplot's default cycle repeats after 8).
array C[8] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

plot for [i=2:nseries+1] datafile using (column(i) * scale):xtic(1) title columnheader(i) \
     lc rgb C[(i - 2) % 8 + 1]
