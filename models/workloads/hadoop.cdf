# Hadoop flow sizes: Facebook, Roy et al., "Inside the Social Network's
# (Datacenter) Network", ACM SIGCOMM 2015, Figure 6 (flow sizes in a
# Hadoop cluster).
# Points as distributed with the HPCC simulator (Li et al., SIGCOMM 2019):
# github.com/alibaba-edu/High-Precision-Congestion-Control,
# traffic_gen/FbHdp_distribution.txt (commit 9cf8b9e), probabilities in
# percent there, divided by 100 here. Linear in size between points. Mean 120 kB.
# SIZE_BYTES CUMULATIVE_PROBABILITY
0 0
100 0.01
200 0.02
300 0.05
350 0.15
400 0.20
500 0.30
600 0.40
700 0.50
1000 0.60
2000 0.67
7000 0.70
30000 0.72
50000 0.82
80000 0.87
120000 0.90
300000 0.95
1000000 0.975
2000000 0.99
10000000 1
