# flow_delivery.gp -- bytes offered vs delivered per flow, in GB (10^9 B).
#
# Input (datafile): written by `sriov-sim report` as flow_delivery.dat:
# a '#' comment line, then one line per flow: name, offered bytes,
# delivered bytes, bytes still to move (elastic flows, which offer no rate:
# their offered is 0, their remaining what was left of their size at the
# end; inelastic flows: 0).
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='flow_delivery.dat'; outfile='flow_delivery.png'; fmt='png'" \
#           /path/to/scripts/report/flow_delivery.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of flows; tic labels are rotated above 8).

if (!exists("datafile")) datafile = "flow_delivery.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "flow_delivery." . fmt
if (!exists("title")) title = "Offered vs delivered per flow"
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
set xlabel "Flow"
set ylabel "Data (GB, 10^9 bytes)"
set grid ytics
set yrange [0:*]
# Headroom above the highest value so it does not sit on the frame.
set offsets 0, 0, graph 0.08, 0
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical Left reverse noenhanced
if (nseries > 8) set xtics rotate by -45

plot datafile using ($2 / 1e9):xtic(1) title "offered (inelastic)", \
     ''       using ($3 / 1e9)         title "delivered", \
     ''       using ($4 / 1e9)         title "still to move (elastic)"
