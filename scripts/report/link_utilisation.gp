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
