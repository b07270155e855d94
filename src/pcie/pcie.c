/* pcie.c -- see pcie.h for the equations and their source. */
#include "pcie/pcie.h"

#include <math.h>

#define PCIE_DLLP_BYTES 8.0
#define PCIE_SKIP_BYTES 4.0
#define PCIE_SKIP_INTERVAL_BYTES 1538.0
#define PCIE_DESC_BYTES 16.0
#define PCIE_PTR_BYTES 4.0
#define PCIE_MSI_BYTES 4.0

/* Ack limits (PCIe Base Spec r5.0 Tables 3-7..9), bytes, by
 * [generation row][width x1..x32][MPS 128..4096]. Gen3 onwards share a row. */
static const double ack_limit[3][6][6] = {
    {{237, 416, 559, 1071, 2095, 4143}, {128, 217, 289, 545, 1057, 2081},
     {73, 118, 154, 282, 538, 1050},    {67, 107, 86, 150, 278, 534},
     {48, 72, 86, 150, 278, 534},       {33, 45, 52, 84, 148, 276}},
    {{288, 467, 610, 1122, 2146, 4194}, {179, 268, 340, 596, 1108, 2132},
     {124, 169, 205, 333, 589, 1101},   {118, 158, 137, 201, 329, 585},
     {99, 123, 137, 201, 329, 585},     {84, 96, 103, 135, 199, 237}},
    {{333, 512, 655, 1167, 2191, 4239}, {224, 313, 385, 641, 1153, 2177},
     {169, 214, 250, 378, 634, 1146},   {163, 203, 182, 246, 374, 630},
     {144, 168, 182, 246, 374, 630},    {129, 141, 148, 180, 244, 372}},
};

static int log2_index(double v, double base, int n)
{
    for (int i = 0; i < n; i++)
        if (v <= base * (double)(1 << i))
            return i;
    return n - 1;
}

double pcie_raw_Bps(int gen, int lanes)
{
    static const double gts[] = {0, 2.5e9, 5e9, 8e9, 16e9, 32e9};
    if (gen < 1 || gen > 5 || lanes <= 0)
        return 0.0;
    double encoding = gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
    return gts[gen] * encoding * lanes / 8.0;
}

/* The flow-control update table (2-46..48) equals the Ack table except two
 * x32 cells: Gen1 x32 MPS 2048 (248) and Gen2 x32 MPS 4096 (327). */
static double fc_limit(int row, int w, int m)
{
    if (row == 0 && w == 5 && m == 4)
        return 248;
    if (row == 1 && w == 5 && m == 5)
        return 327;
    return ack_limit[row][w][m];
}

double pcie_tlp_Bps(const pcie_config *p)
{
    int row = p->gen <= 1 ? 0 : p->gen == 2 ? 1 : 2;
    int w = log2_index(p->lanes, 1, 6), m = log2_index(p->mps_bytes, 128, 6);
    double share = 1.0 - PCIE_DLLP_BYTES / ack_limit[row][w][m]
                   - PCIE_DLLP_BYTES / fc_limit(row, w, m)
                   - PCIE_SKIP_BYTES / PCIE_SKIP_INTERVAL_BYTES;
    return pcie_raw_Bps(p->gen, p->lanes) * share;
}

/* Bytes on the link to DMA-write sz payload bytes with max payload mps. */
static double pcie_write_wire_bytes(double sz, double mps)
{
    return ceil(sz / mps) * PCIE_MWR_OVERHEAD_BYTES + sz;
}

/* A DMA read of sz bytes: request bytes (device -> host) and completion
 * bytes including the payload (host -> device). */
static double pcie_read_request_bytes(double sz, double mrrs)
{
    return ceil(sz / mrrs) * PCIE_MRD_OVERHEAD_BYTES;
}

static double pcie_read_completion_bytes(double sz, double mps)
{
    return ceil(sz / mps) * PCIE_CPLD_OVERHEAD_BYTES + sz;
}

double pcie_write_payload_Bps(const pcie_config *p, double sz)
{
    if (sz <= 0)
        return 0.0;
    return pcie_tlp_Bps(p) * sz / pcie_write_wire_bytes(sz, p->mps_bytes);
}

double pcie_read_payload_Bps(const pcie_config *p, double sz)
{
    if (sz <= 0)
        return 0.0;
    double up = pcie_read_completion_bytes(sz, p->mps_bytes);
    double down = pcie_read_request_bytes(sz, p->mrrs_bytes);
    return pcie_tlp_Bps(p) * sz / fmax(up, down);
}

/* Batches (niantic.py): the device fetches up to 40 Tx descriptors and
 * writes them back 8 at a time; the host refills 32 Rx buffers at a time
 * and, with the kernel driver, reads the Rx head every 8 packets and takes
 * one interrupt per 32 packets. */
#define TX_DESC_FETCH_BATCH 40.0
#define TX_DESC_WB_BATCH 8.0
#define RX_FREELIST_BATCH 32.0
#define RX_HEAD_BATCH 8.0
#define IRQ_BATCH 32.0
#define DPDK_TX_TAIL_BATCH 32.0

pcie_pkt_wire pcie_nic_tx_wire(const pcie_config *p, pcie_driver_t drv, double sz)
{
    double mps = p->mps_bytes, mrrs = p->mrrs_bytes;
    double h_tx = drv == PCIE_DRIVER_DPDK ? DPDK_TX_TAIL_BATCH : 1.0;
    double fetch = PCIE_DESC_BYTES * TX_DESC_FETCH_BATCH;
    double wb = PCIE_DESC_BYTES * TX_DESC_WB_BATCH;
    pcie_pkt_wire w = {0, 0};
    w.up_bytes += (PCIE_PTR_BYTES + PCIE_MWR_OVERHEAD_BYTES) / h_tx;           /* tail write */
    w.down_bytes += pcie_read_request_bytes(fetch, mrrs) / TX_DESC_FETCH_BATCH; /* desc read */
    w.up_bytes += pcie_read_completion_bytes(fetch, mps) / TX_DESC_FETCH_BATCH;
    w.down_bytes += pcie_read_request_bytes(sz, mrrs);                          /* data read */
    w.up_bytes += pcie_read_completion_bytes(sz, mps);
    w.down_bytes += pcie_write_wire_bytes(wb, mps) / TX_DESC_WB_BATCH;          /* write-back */
    if (drv == PCIE_DRIVER_KERNEL) {
        w.down_bytes += (PCIE_MSI_BYTES + PCIE_MWR_OVERHEAD_BYTES) / IRQ_BATCH; /* MSI-X */
        w.up_bytes += PCIE_MRD_OVERHEAD_BYTES / h_tx;                           /* head read */
        w.down_bytes += (PCIE_PTR_BYTES + PCIE_CPLD_OVERHEAD_BYTES) / h_tx;
    }
    return w;
}

pcie_pkt_wire pcie_nic_rx_wire(const pcie_config *p, pcie_driver_t drv, double sz)
{
    double mps = p->mps_bytes;
    pcie_pkt_wire w = {0, 0};
    w.up_bytes += (PCIE_PTR_BYTES + PCIE_MWR_OVERHEAD_BYTES) / RX_FREELIST_BATCH; /* tail */
    w.down_bytes += PCIE_MRD_OVERHEAD_BYTES;                                    /* desc read */
    w.up_bytes += PCIE_DESC_BYTES + PCIE_CPLD_OVERHEAD_BYTES;
    w.down_bytes += pcie_write_wire_bytes(sz, mps);                             /* data */
    w.down_bytes += PCIE_DESC_BYTES + PCIE_MWR_OVERHEAD_BYTES;                  /* write-back */
    if (drv == PCIE_DRIVER_KERNEL) {
        w.down_bytes += (PCIE_MSI_BYTES + PCIE_MWR_OVERHEAD_BYTES) / IRQ_BATCH;
        w.up_bytes += PCIE_MRD_OVERHEAD_BYTES / RX_HEAD_BATCH;
        w.down_bytes += (PCIE_PTR_BYTES + PCIE_CPLD_OVERHEAD_BYTES) / RX_HEAD_BATCH;
    }
    return w;
}

double pcie_nic_pps(const pcie_config *p, pcie_driver_t drv, int tx, double sz)
{
    pcie_pkt_wire w = tx ? pcie_nic_tx_wire(p, drv, sz) : pcie_nic_rx_wire(p, drv, sz);
    double worst = fmax(w.up_bytes, w.down_bytes);
    return worst > 0 ? pcie_tlp_Bps(p) / worst : 0.0;
}
