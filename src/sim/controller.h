/* controller.h -- the actor that plays a run (run.c starts it with the
 * sim_ctx as its data): the static timeline merged with the models'
 * timers, waiting on the running transfers in between so completions
 * happen at their exact time. The top of the engine: it calls the flows,
 * the ledger, the capacity module, the sampler and the models' loops.
 */
#ifndef SRIOV_CONTROLLER_H
#define SRIOV_CONTROLLER_H

void controller_main(int argc, char **argv);

#endif
