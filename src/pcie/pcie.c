/* pcie.c -- see pcie.h for the equations and their source. */
#include "pcie/pcie.h"

#include <math.h>

#define PCIE_TLP_WRITE_OVERHEAD_BYTES 24.0
#define PCIE_DLLP_BYTES 8.0
#define PCIE_SKIP_BYTES 4.0
#define PCIE_SKIP_INTERVAL_BYTES 1538.0

double pcie_raw_Bps(int gen, int lanes)
{
    static const double gts[] = {0, 2.5e9, 5e9, 8e9, 16e9, 32e9};
    if (gen < 1 || gen > 5 || lanes <= 0)
        return 0.0;
    double encoding = gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
    return gts[gen] * encoding * lanes / 8.0;
}

/* The ACK and flow-control update limits grow with MPS; ~203 B at MPS 256 on
 * Gen3 x8 (spec tables). Scaling them with MPS keeps the DLLP share roughly
 * constant, which is what the tables show to within a few percent. */
static double dllp_limit_bytes(double mps)
{
    return 203.0 * (mps / 256.0);
}

double pcie_tlp_Bps(const pcie_config *p)
{
    double limit = dllp_limit_bytes(p->mps_bytes);
    double share = 1.0 - PCIE_DLLP_BYTES / limit - PCIE_DLLP_BYTES / limit
                   - PCIE_SKIP_BYTES / PCIE_SKIP_INTERVAL_BYTES;
    return pcie_raw_Bps(p->gen, p->lanes) * share;
}

double pcie_write_wire_bytes(double sz, double mps)
{
    return ceil(sz / mps) * PCIE_TLP_WRITE_OVERHEAD_BYTES + sz;
}

double pcie_write_payload_Bps(const pcie_config *p, double sz)
{
    if (sz <= 0)
        return 0.0;
    return pcie_tlp_Bps(p) * sz / pcie_write_wire_bytes(sz, p->mps_bytes);
}
