# noisy-neighbour.gp -- per-VF transmit throughput over time, without and
# with QoS. Variables (gnuplot -e): out (PNG), unshaped, shaped (data files:
# time_s then one column per VF in Gb/s), titles (space-separated VF labels).
set terminal pngcairo size 1100,800 font ",10" noenhanced
set output out
set multiplot layout 2,1 title "Noisy neighbour on a 25 Gb/s port: per-VF throughput"
set xlabel "time (s)"
set ylabel "Gb/s"
set yrange [0:26]
set grid
set key outside right
n = words(titles)
set title "without QoS"
plot for [i=1:n] unshaped using 1:(column(i+1)) with lines lw 2 title word(titles, i)
set title "with QoS (min_tx_rate victim 10G, web 5G; noisy max_tx_rate 8G, burst 16 MiB)"
plot for [i=1:n] shaped using 1:(column(i+1)) with lines lw 2 title word(titles, i)
unset multiplot
