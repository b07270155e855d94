/* model_list.c -- see model_list.h. */
#include "cli/model_list.h"

#include "adapter/total.h"
#include "datapath/datapath.h"
#include "eswitch/eswitch.h"
#include "gpu/gpu.h"
#include "migration/migration.h"
#include "pf/pf.h"
#include "qos/shaper.h"
#include "virtio/virt.h"
#include "workload/workload.h"

/* One line per model. Order matters only where a model reads what another
 * set in the same hook (documented at the model). */
static const sim_model_ops *const models[] = {
    &eswitch_model,     /* before QoS: it pauses blocked flows, QoS counts the rest */
    &qos_shaper_model,
    &datapath_model,    /* PCIe and IOMMU capacities from the running flows */
    &adapter_total_model, /* adapter-wide rate and packet limits from the running flows */
    &virt_model_ops,    /* vhost capacities; before migration, which uses its state */
    &migration_model_ops,
    &pf_control_model,  /* last: pauses flows whose VF is not usable after the others ran */
    &workload_model,    /* flows made during the run; no other model's hook sees them */
    &gpu_sim_model,     /* GPU jobs: its own schedule per GPU, tables at collect */
};

const sim_model_list cli_models = {models, sizeof models / sizeof models[0]};
