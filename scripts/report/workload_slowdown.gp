# workload_slowdown.gp -- p99 FCT slowdown against flow size, one line per
# workload (log-log, as HPCC and Parsimon draw it); p50 dashed.
#
# Input (datafile): written by `sriov-sim report` as workload_slowdown.dat
# from /workload_fct: one block per workload (two blank lines between),
# one line per flow-size bucket: size_bytes (the bucket's geometric
# middle), p50, p99, p99.9 slowdown, flows.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='workload_slowdown.dat'; outfile='workload_slowdown.png'; fmt='png'; names='web'; nseries=1" \
#           /path/to/scripts/report/workload_slowdown.gp
# Variables: datafile, outfile, fmt ('png' or 'svg'), title, nseries (blocks),
# names (the workloads, space-separated, in block order).

if (!exists("datafile")) datafile = "workload_slowdown.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "workload_slowdown." . fmt
if (!exists("title")) title = "FCT slowdown by flow size"
if (!exists("nseries")) nseries = 1
if (!exists("names")) names = ""
if (nseries < 1) nseries = words(names)

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
set xlabel "Flow size (bytes, bucket middle)"
set ylabel "FCT slowdown (FCT / ideal FCT alone)"
set logscale xy
set format x "%.0s%cB"
set grid xtics ytics mxtics mytics
set key outside right top vertical Left reverse noenhanced
set yrange [0.9:*]

plot for [i=0:nseries-1] datafile index i using 1:3 with linespoints lw 2 pt 7 \
         title sprintf("%s p99", word(names, i + 1)), \
     for [i=0:nseries-1] datafile index i using 1:2 with lines dt 2 lw 1 \
         title sprintf("%s p50", word(names, i + 1))
