/* esw_load.h -- the reader of the set_vf event (the PF changing a VF's
 * forwarding rules at run time), called by the scenario loader
 * (load_events.c). Fills config.h only. 0, or -1 after a file:line:col
 * error. */
#ifndef SRIOV_ESW_LOAD_H
#define SRIOV_ESW_LOAD_H

#include "scenario/load_internal.h"

int esw_event_set_vf(loader *L, event_config *ev, const ynode *m);

#endif
