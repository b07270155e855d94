/* signals.h -- what `sriov-sim run` does on SIGINT and SIGTERM.
 *
 * Results are only ever written after the simulation, atomically (h5.h), so
 * an interrupted run has nothing to save: the handler reports how far the
 * run got and exits at once with 128 + the signal number:
 *
 *   sriov-sim: interrupted at simulated time T s of D s; no results written
 *
 * While the results file is being written the two signals are held back
 * (signals_hold), so a kill can never leave a half-written file under
 * either the final or the temporary name; a signal that arrives then takes
 * effect when the write is over, and the message says the results are
 * complete.
 *
 * This is the only module with process-global state: a signal handler can
 * reach nothing else. Everything it touches is set up beforehand, and it
 * uses only async-signal-safe calls (write, _exit).
 */
#ifndef SRIOV_SIGNALS_H
#define SRIOV_SIGNALS_H

/* Installs the handlers. duration_s is the scenario's simulated length,
 * quoted in the message. Call before the simulation starts, and again right
 * after the engine is initialised if the engine installs its own SIGINT
 * handler (SimGrid does, in simgrid_init): the last install wins. */
void signals_install(double duration_s);

/* Records how far the simulation has got (simulated seconds). Cheap: one
 * store. Called by the sampler at every sample; the first call also
 * re-installs the handlers (see signals_install). */
void signals_note_progress(double t_s);

/* Holds SIGINT/SIGTERM back while results are written (signals_hold), then
 * lets them through again (signals_release: a held signal is handled now,
 * with a message naming out_path as complete). */
void signals_hold(void);
void signals_release(const char *out_path);

#endif
