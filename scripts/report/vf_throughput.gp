# vf_throughput.gp -- throughput (tx + rx) of the busiest VFs over time, in Gbit/s.
#
# Input (datafile): written by `sriov-sim report` as vf_throughput.dat:
# '#' comment lines, a header line "time_s <VF names host.adapter.vfN>", then one line per
# sample: time in s, then each VF's throughput in bit/s.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='vf_throughput.dat'; outfile='vf_throughput.png'; fmt='png'" \
#           /path/to/scripts/report/vf_throughput.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of VFs drawn).

if (!exists("datafile")) datafile = "vf_throughput.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "vf_throughput." . fmt
if (!exists("title")) title = "Throughput per VF (top VFs by peak)"
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
# Outside the plot so no line hides behind it; names are VF names.
set key outside right top vertical Left reverse noenhanced
if (nseries > 24) set key off

# The sender's and the receiver's VF of one flow carry the same bytes and
# draw the same line: points in each VF's colour and type, every pint
# samples and staggered per VF, keep both visible where lines coincide.
stats datafile using 1 nooutput
pint = STATS_records > 16 ? int(STATS_records / 10) : 1
nv = nseries > 0 ? nseries : 1
plot for [i=2:*] datafile using 1:(column(i) / 1e9) with lines lt i - 1 title columnheader(i), \
     for [i=2:*] datafile every pint::1 + int((i - 2) * pint / nv) using 1:(column(i) / 1e9) \
     with points lt i - 1 ps 1.3 notitle
