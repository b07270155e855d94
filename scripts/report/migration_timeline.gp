# migration_timeline.gp -- throughput of every flow and of each migration
# stream (its rounds) over time (Gbit/s), with each live migration's phases
# shaded behind it.
#
# Input, written by `sriov-sim report`:
#   datafile  (migration_timeline.dat): '#' comment lines, a header line
#             "time_s <flow names> <stream names>", then one line per
#             sample: time in s, then each flow's and each stream's
#             ("migration VM") throughput in bit/s.
#   phasefile (migration_phases.dat): '#' comment lines, then one line per
#             phase: "vm from to phase start_s end_s" (s), phase one of
#             vf_unplug precopy stopcopy virtio vf_replug (an instant).
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='migration_timeline.dat'; outfile='migration_timeline.png'; \
#               fmt='png'; phasefile='migration_phases.dat'" \
#           /path/to/scripts/report/migration_timeline.gp
# Variables (all optional): datafile, phasefile, outfile, fmt ('png' or
# 'svg'), title, nseries (number of flows; their legend is dropped above 24),
# nzoom and zooms: nzoom panels under the timeline, each zoomed on one
# migration's downtime; zooms holds 4 numbers per panel (s): the window
# from, to, and the stop-and-copy start, end (the report writes them; see
# src/report/rmig.h).

if (!exists("datafile")) datafile = "migration_timeline.dat"
if (!exists("phasefile")) phasefile = "migration_phases.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "migration_timeline." . fmt
if (!exists("title")) title = "Live migration: throughput per flow and phases"
if (!exists("nseries")) nseries = 0
if (!exists("nzoom")) nzoom = 0
if (!exists("zooms")) zooms = ""
height = nzoom > 0 ? 1000 : 650

if (fmt eq "svg") {
    set terminal svg size 1200,height dynamic font "sans,12" noenhanced
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 1200,height font "sans,11" noenhanced
    } else {
        set terminal png size 1200,height noenhanced
    }
}
set output outfile

# The phases, in the order they happen; labels and colours to edit here.
phases = "vf_unplug precopy stopcopy virtio"
label(p) = p eq "vf_unplug" ? "VF hot-unplug" : \
           p eq "precopy" ? "pre-copy (VM running)" : \
           p eq "stopcopy" ? "stop-and-copy (downtime)" : \
           p eq "virtio" ? "resumed on virtio (no VF)" : p
colour(p) = p eq "vf_unplug" ? "#e6a23c" : \
            p eq "precopy" ? "#7fb3e6" : \
            p eq "stopcopy" ? "#d9534f" : \
            p eq "virtio" ? "#9bd37a" : "#bbbbbb"

# Only the phases present get a legend entry.
present = ""
do for [p in phases] {
    stats phasefile using (strcol(4) eq p ? 1 : 0) nooutput
    if (STATS_sum > 0) {
        present = present . " " . p
    }
}
stats phasefile using (strcol(4) eq "vf_replug" ? 1 : 0) nooutput
n_replug = STATS_sum

set title title
set xlabel "Time (s)"
set ylabel "Throughput (Gbit/s)"
set grid front
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xrange [0:*]
# Shading spans the full height on a hidden 0..1 second axis.
set y2range [0:1]
unset y2tics
set key outside right top vertical Left reverse noenhanced
set style fill transparent solid 0.35 noborder

mid(a, b) = (a + b) / 2
if (nzoom > 0) {
    set multiplot
    set size 1, 0.62
    set origin 0, 0.38
}
# Shaded phases, the VF re-plug instant as a dashed line, each migration
# named once at the start of its pre-copy, then the flows (line type i - 1
# for column i, here and in the zoomed panels: the same colour in both).
plot for [p in present] phasefile \
         using (strcol(4) eq p ? mid($5, $6) : NaN):(0.5):(($6 - $5) / 2):(0.5) \
         axes x1y2 with boxxyerror fc rgb colour(p) title label(p), \
     phasefile using (strcol(4) eq "vf_replug" ? $5 : NaN):(0):(0):(1) \
         axes x1y2 with vectors nohead lw 2 dt 2 lc rgb "#2f7d32" \
         title (n_replug > 0 ? "VF re-plugged" : ""), \
     phasefile using (strcol(4) eq "precopy" ? $5 : NaN):(0.97):(strcol(1) . ": " . strcol(2) . " -> " . strcol(3)) \
         axes x1y2 with labels left offset 0.5, 0 notitle, \
     for [i=2:*] datafile using 1:(column(i) / 1e9) \
         with lines lw 2 lt (i - 1) title (nseries > 24 ? "" : columnheader(i))

# The zoomed panels: each migration's downtime (stop-and-copy, red) with a
# few samples either side, on its own time axis; same colours, no legend.
if (nzoom > 0) {
    unset key
    unset label
    set title font ",10"
    set xlabel "Time (s)"
    set offsets 0, 0, graph 0.05, 0
    set size 1.0 / nzoom, 0.36
    do for [z=1:nzoom] {
        lo = word(zooms, 4 * z - 3) + 0
        hi = word(zooms, 4 * z - 2) + 0
        s0 = word(zooms, 4 * z - 1) + 0
        s1 = word(zooms, 4 * z) + 0
        set origin (z - 1.0) / nzoom, 0
        set xrange [lo:hi]
        set title sprintf("downtime %d: %.0f ms at %.3f s", z, (s1 - s0) * 1000, s0)
        plot for [p in present] phasefile \
                 using (strcol(4) eq p ? mid($5, $6) : NaN):(0.5):(($6 - $5) / 2):(0.5) \
                 axes x1y2 with boxxyerror fc rgb colour(p) notitle, \
             phasefile using (strcol(4) eq "vf_replug" ? $5 : NaN):(0):(0):(1) \
                 axes x1y2 with vectors nohead lw 2 dt 2 lc rgb "#2f7d32" notitle, \
             for [i=2:*] datafile using 1:(column(i) / 1e9) with linespoints lw 2 lt (i - 1) pt 7 ps 0.5 notitle
    }
    unset multiplot
}
