/* engine.h -- the engine calls a model may make, in one include (models.h
 * pulls it in): flows (flows.h), capacities and re-plans (capacity.h),
 * timers (timers.h), waits on a model's own transfers (ledger.h
 * sim_wait_xfer; carried.h sim_wait_carried_xfer counts them on their
 * links), the event log (eventlog.h) and the fast path's pins of
 * other models' transfers (fluid.h fluid_pin_route). Each function is
 * declared in, and documented at, its own file's header.
 */
#ifndef SRIOV_ENGINE_H
#define SRIOV_ENGINE_H

#include "sim/capacity.h"
#include "sim/carried.h"
#include "sim/eventlog.h"
#include "sim/flows.h"
#include "sim/fluid.h"
#include "sim/ledger.h"
#include "sim/spawn.h"
#include "sim/timers.h"

#endif
