/* wallclock.h -- wall time for progress lines and run timings (never for
 * simulated time, which is SimGrid's clock). */
#ifndef SRIOV_WALLCLOCK_H
#define SRIOV_WALLCLOCK_H

/* Seconds on a monotonic clock (an arbitrary origin: use differences). */
double wall_now(void);

#endif
