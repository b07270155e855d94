# link_utilisation.gp -- utilisation of the busiest links over time, in %.
#
# Input (datafile): written by `sriov-sim report` as link_utilisation.dat:
# '#' comment lines, a header line "time_s <link names>", then one line per
# sample: time in s, then each link's utilisation as a fraction 0..1. Only
# the links with the highest peak are in the file, highest first.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='link_utilisation.dat'; outfile='link_utilisation.png'; fmt='png'" \
#           /path/to/scripts/report/link_utilisation.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of links in the file).

if (!exists("datafile")) datafile = "link_utilisation.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "link_utilisation." . fmt
if (!exists("title")) title = "Link utilisation (top links by peak)"
if (!exists("nseries")) nseries = 0

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
set ylabel "Utilisation (% of capacity)"
set grid
# A little headroom so a saturated link is not drawn on the frame.
set yrange [0:105]
set xrange [0:*]
set key outside right top vertical Left reverse noenhanced

plot for [i=2:*] datafile using 1:(column(i) * 100) \
     with lines lw 2 title columnheader(i)
