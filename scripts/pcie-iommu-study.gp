# pcie-iommu-study.gp -- packet rate vs packet size (scripts/pcie-iommu-study.sh)
set terminal pngcairo size 900,560
set output out
set title "VF Tx packet rate, 40GbE on PCIe Gen3 x8, kernel driver, 8 MiB working set"
set xlabel "packet size (bytes)"
set ylabel "packet rate (Mpps)"
set logscale x 2
set grid
set key top right
plot dat using 1:2 with linespoints lw 2 title "IOMMU off (passthrough)", \
     dat using 1:4 with linespoints lw 2 title "IOMMU, 2 MiB pages", \
     dat using 1:3 with linespoints lw 2 title "IOMMU, 4 KiB pages"
