/* shaper.h -- per-VF maximum transmit rate (`ip link set DEV vf N
 * max_tx_rate`), modelled as a shaper link on the VF's transmit path whose
 * capacity SimGrid shares among the VF's flows. The model plays set_qos
 * events. */
#ifndef SRIOV_QOS_SHAPER_H
#define SRIOV_QOS_SHAPER_H

#include "sim/models.h"

extern const sim_model_ops qos_shaper_model;

#endif
