# sweep_metric.gp -- one headline metric of a sweep against the first swept
# parameter, one line per value of the other parameters.
#
# Input (datafile): written by `sriov-sim report SWEEP_DIR` as sweep_<metric>.dat:
# '#' comment lines, a header line "<x name> <series names>", then one line
# per x value: x (already in the unit of xlabel), then the metric of each
# series in the unit of ylabel (NaN where that point failed or is missing),
# averaged over repetitions. With xcat=1 column 1 is a category label.
#
# Re-run from the report directory after editing this file, e.g.:
#   gnuplot -e "datafile='sweep_p99.dat'; outfile='sweep_p99.png'; fmt='png'; \
#     xlabel='tenants'; ylabel='p99 (us)'; target=50" /path/to/scripts/report/sweep_metric.gp
# Variables: datafile, outfile, fmt, title, nseries, xlabel, ylabel,
# xcat (1: categorical x), target (a horizontal line, e.g. a p99 target; NaN: none),
# targetlabel, ymin0 (1: y axis from 0), keylen (longest series name; over 28
# puts the key below the plot).

if (!exists("datafile")) datafile = "sweep_p99.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "sweep_metric." . fmt
if (!exists("title")) title = "Sweep"
if (!exists("nseries")) nseries = 1
if (!exists("xlabel")) xlabel = "parameter"
if (!exists("ylabel")) ylabel = "value"
if (!exists("xcat")) xcat = 0
if (!exists("target")) target = NaN
if (!exists("targetlabel")) targetlabel = "target"
if (!exists("ymin0")) ymin0 = 1
if (!exists("keylen")) keylen = 0

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
set xlabel xlabel
set ylabel ylabel
set grid
set datafile missing "NaN"
if (ymin0) set yrange [0:*]
set offsets graph 0.03, graph 0.03, graph 0.08, 0
set key outside right top vertical Left reverse noenhanced
# Long series names (a grid plus a zip) do not fit beside the plot.
if (keylen > 28) set key outside center bottom vertical maxrows 6 Left reverse noenhanced
if (nseries > 24) set key off

# The target is a horizontal dashed line; (target == target) is false for NaN.
has_target = (target == target)
set style line 1 lw 2 dt 2 lc rgb "red"
if (xcat && has_target) {
    plot for [i=2:nseries+1] datafile using 0:i:xtic(1) with linespoints lw 2 \
             title columnheader(i), target with lines ls 1 title targetlabel
}
if (xcat && !has_target) {
    plot for [i=2:nseries+1] datafile using 0:i:xtic(1) with linespoints lw 2 \
             title columnheader(i)
}
if (!xcat && has_target) {
    plot for [i=2:nseries+1] datafile using 1:i with linespoints lw 2 \
             title columnheader(i), target with lines ls 1 title targetlabel
}
if (!xcat && !has_target) {
    plot for [i=2:nseries+1] datafile using 1:i with linespoints lw 2 \
             title columnheader(i)
}
