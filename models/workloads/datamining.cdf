# Data-mining flow sizes: VL2, Greenberg et al., "VL2: A Scalable and
# Flexible Data Center Network", ACM SIGCOMM 2009, Figure 2 (flow size
# CDF in a data-mining cluster).
# Points as distributed with the Opera simulator (Mellette et al., NSDI
# 2020): github.com/TritonNetworking/opera-sim,
# Figure1_traffic/datamining.csv (commit ed471fe), sizes in bytes and
# probabilities as fractions there. Linear in size between points. Mean
# 5.04 MB.
# SIZE_BYTES CUMULATIVE_PROBABILITY
100 0
180 0.085
250 0.14
560 0.33
900 0.47
1100 0.55
1870 0.65
3160 0.70
10000 0.80
100001 0.874
400000 0.90
1850000 0.95
10000000 0.97
30000000 0.98
100000000 0.99
250000000 0.995
1000000000 1
