# latency_percentiles.gp -- p50, p99 and p99.9 one-way latency per flow, in us.
#
# Input (datafile): written by `sriov-sim report` as latency_percentiles.dat:
# a '#' comment line, then one line per flow: name, p50, p99, p99.9 in s.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='latency_percentiles.dat'; outfile='latency_percentiles.png'; fmt='png'" \
#           /path/to/scripts/report/latency_percentiles.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of flows; tic labels are rotated above 8), xlabel (the
# per-VF figure vf_latency.dat, same format, says 'VF').

if (!exists("datafile")) datafile = "latency_percentiles.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "latency_percentiles." . fmt
if (!exists("title")) title = "Latency percentiles per flow"
if (!exists("nseries")) nseries = 0
if (!exists("xlabel")) xlabel = "Flow"

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
set xlabel xlabel
set ylabel "One-way latency per packet (us)"
set grid ytics
# Log scale when the bars span more than 20x (5 us bars vanish next to
# 1,000 us ones on a linear axis); bars then start at the axis' bottom.
stats datafile using ($2 * 1e6) nooutput name "LO"
stats datafile using ($4 * 1e6) nooutput name "HI"
if (LO_min > 0 && HI_max / LO_min > 20) {
    set logscale y
    set yrange [LO_min / 2 : HI_max * 2]
    set ylabel "One-way latency per packet (us, log scale)"
} else {
    set yrange [0:*]
}
set offsets 0, 0, graph 0.08, 0
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical Left reverse noenhanced
if (nseries > 8) set xtics rotate by -45

plot datafile using ($2 * 1e6):xtic(1) title "p50", \
     ''       using ($3 * 1e6)         title "p99", \
     ''       using ($4 * 1e6)         title "p99.9"
