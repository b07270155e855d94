# vm_vcpu_network.gp -- vCPU use of each VM's network datapath (its guest
# queue threads: kernel NAPI vCPUs, DPDK lcores) per VM over time, in % of the VM's
# vCPUs (docs/queues-interrupts.md).
#
# Input (datafile): written by `sriov-sim report` as vm_vcpu_network.dat
# from /timeseries/vm_vcpu_network: '#' comment lines, a header line
# "time_s <VM names>", then one line per sample: time in s, then each
# VM's network vCPU use as a fraction 0..1 of its vCPUs. Only the VMs with
# the highest peak are in the file, highest first.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='vm_vcpu_network.dat'; outfile='vm_vcpu_network.png'; fmt='png'" \
#           /path/to/scripts/report/vm_vcpu_network.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (number of VMs in the file).

if (!exists("datafile")) datafile = "vm_vcpu_network.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "vm_vcpu_network." . fmt
if (!exists("title")) title = "vCPU use per VM (network)"
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
set ylabel "network vCPU use (% of the VM's vCPUs)"
set grid
# From 0, at least up to 5 % so an idle VM is not drawn on the frame.
set yrange [0:5<*]
set offsets 0, 0, graph 0.08, 0
set xrange [0:*]
set key outside right top vertical Left reverse noenhanced
if (nseries > 24) set key off

plot for [i=2:*] datafile using 1:(column(i) * 100) \
     with lines lw 2 title columnheader(i)
