# gpu_jobs.gp -- GPU jobs per instance: completion time and slowdown (p50,
# p99 of the finished jobs) and utilisation, so hard partitions (mig),
# time-sliced vGPUs and passthrough of one tenant mix sit side by side.
#
# Input (datafile): written by `sriov-sim report` as gpu_jobs.dat from
# /gpus, /gpu_instances and /gpu_jobs: a '#' comment line, then one line per
# instance: gpu/instance, completion p50 and p99 (s), slowdown p50 and p99
# (completion / the job alone on its share), utilisation (0..1), jobs done.
# NaN where an instance finished no job.
#
# Re-run from the report directory after editing this file:
#   gnuplot -e "datafile='gpu_jobs.dat'; outfile='gpu_jobs.png'; fmt='png'" \
#           /path/to/scripts/report/gpu_jobs.gp
# Variables (all optional): datafile, outfile, fmt ('png' or 'svg'), title,
# nseries (instances; tic labels are rotated above 8).

if (!exists("datafile")) datafile = "gpu_jobs.dat"
if (!exists("fmt")) fmt = "png"
if (!exists("outfile")) outfile = "gpu_jobs." . fmt
if (!exists("title")) title = "GPU jobs per instance"
if (!exists("nseries")) nseries = 0

if (fmt eq "svg") {
    set terminal svg size 1100,900 dynamic font "sans,12" noenhanced
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 1100,900 font "sans,11" noenhanced
    } else {
        set terminal png size 1100,900 noenhanced
    }
}
set output outfile

set datafile missing "NaN"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key outside right top vertical Left reverse noenhanced
if (nseries > 8) set xtics rotate by -45

set multiplot layout 3,1 title title
# Completion time, ms; log scale when the bars span more than 20x.
stats datafile using ($2 * 1e3) nooutput name "LO"
stats datafile using ($3 * 1e3) nooutput name "HI"
if (LO_min > 0 && HI_max / LO_min > 20) {
    set logscale y
    set yrange [LO_min / 2 : HI_max * 2]
    set ylabel "Job completion (ms, log)"
} else {
    set yrange [0:*]
    set ylabel "Job completion (ms)"
}
plot datafile using ($2 * 1e3):xtic(1) title "p50", \
     ''       using ($3 * 1e3)         title "p99"

unset logscale y
set yrange [0:*]
set ylabel "Slowdown (vs alone on its share)"
plot datafile using 4:xtic(1) title "p50", \
     ''       using 5         title "p99"

set yrange [0:100]
set ylabel "Utilisation (%)"
set xlabel "GPU / instance"
plot datafile using ($6 * 100):xtic(1) title "busy"
unset multiplot
