/* datadir.h -- where the files the binary reads at run time live (the model
 * catalogue, the report's gnuplot templates).
 *
 * An installed sriov-sim (cmake --install, prefix P) has its binary in
 * P/bin and its data in P/share/sriov-sim; a build tree has neither, and
 * the data stays in the source tree (SRIOV_SOURCE_DIR, a compile
 * definition). The installed layout is found from /proc/self/exe, so an
 * installed binary never depends on the source tree or the current
 * directory. Environment variables and flags still take precedence (each
 * caller decides).
 */
#ifndef SRIOV_DATADIR_H
#define SRIOV_DATADIR_H

/* The data folder NAME ("models", "report") of this binary: the installed
 * P/share/sriov-sim/NAME when it exists next to the running executable,
 * else source_fallback (returned as given). The result lives until exit
 * (nothing to free); NULL never. */
const char *datadir_find(const char *name, const char *source_fallback);

#endif
