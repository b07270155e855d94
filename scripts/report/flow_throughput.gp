# flow_throughput.gp -- throughput of every flow over time, in Gbit/s.
#
# Input (datafile): written by `sriov-sim report` as flow_throughput.dat:
# '#' comment lines, a header line "time_s <flow names>", then one line per
# sample: time in s, then each flow's throughput in bit/s.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='flow_throughput.dat'; outfile='flow_throughput.png'; fmt='png'" \
#           /path/to/scripts/report/flow_throughput.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of flows; the legend is dropped above 24).

if (!exists("datafile")) datafile = "flow_throughput.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "flow_throughput." . fmt
if (!exists("title")) title = "Throughput per flow"
if (!exists("nseries")) nseries = 0

# pngcairo draws anti-aliased lines; plain png (libgd) is the fallback.
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

# 12 distinct colours (gnuplot's own cycle repeats after 8), then the same
# colours dashed, then dotted: no two of 36 series look alike; each has its
# own point type for the figures that mark points.
array PAL[12] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", \
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a"]
do for [k=1:36] { set linetype k lc rgb PAL[(k - 1) % 12 + 1] dt 1 + int((k - 1) / 12) pt 1 + (k - 1) % 13 lw 2 }

set title title
set xlabel "Time (s)"
set ylabel "Throughput (Gbit/s)"
set grid
set yrange [0:*]
# Headroom above the highest value so it does not sit on the frame.
set offsets 0, 0, graph 0.08, 0
set xrange [0:*]
# Outside the plot so no line hides behind it; names are flow names.
set key outside right top vertical Left reverse noenhanced
if (nseries > 24) set key off

plot for [i=2:*] datafile using 1:(column(i) / 1e9) \
     with lines lw 2 title columnheader(i)
