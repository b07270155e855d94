# plot.gp -- published (pcie-bench) vs simulated 64 B random DMA reads/s
# against the DMA window; run in $VALIDATION_OUT on sweep.dat (run.sh).
set terminal pngcairo size 900,560
set output 'pcie-bench-iommu.png'
set logscale x 2
set format x '%.0b%B'
set xlabel 'DMA window (bytes)'
set ylabel 'M reads/s (64 B, random)'
set yrange [0:65]
set key bottom left
set grid
set title 'IOMMU window sweep: pcie-bench (NFP6000, Xeon E5-2620v3) vs sriov-sim'
plot 'sweep.dat' using 1:2 with linespoints pt 7 title 'pcie-bench, 4 KiB pages', \
     'sweep.dat' using 1:3 with linespoints pt 6 dt 2 title 'sriov-sim, 4 KiB pages', \
     'sweep.dat' using 1:4 with linespoints pt 5 title 'pcie-bench, 2 MiB pages', \
     'sweep.dat' using 1:5 with linespoints pt 4 dt 2 title 'sriov-sim, 2 MiB pages'
