# Web-search flow sizes: DCTCP, Alizadeh et al., "Data Center TCP (DCTCP)",
# ACM SIGCOMM 2010, Figure 4 (flow size distribution of background
# traffic in a production web-search cluster).
# Points as distributed with the HPCC simulator (Li et al., SIGCOMM 2019):
# github.com/alibaba-edu/High-Precision-Congestion-Control,
# traffic_gen/WebSearch_distribution.txt (commit 9cf8b9e), whose
# probabilities are in percent; here divided by 100. Linear in size
# between points, as HPCC's generator reads them. Mean 1.71 MB.
# SIZE_BYTES CUMULATIVE_PROBABILITY
0 0
10000 0.15
20000 0.20
30000 0.30
50000 0.40
80000 0.53
200000 0.60
1000000 0.70
2000000 0.80
5000000 0.90
10000000 0.97
30000000 1
