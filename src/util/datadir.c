/* datadir.c -- see datadir.h. */
#include "util/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_DATADIRS = 4 };

/* The executable's folder's parent (P for P/bin/sriov-sim), or "" when
 * /proc/self/exe cannot be read. */
static const char *install_prefix(void)
{
    static char prefix[PATH_MAX];
    static int done;
    if (done)
        return prefix;
    done = 1;
    ssize_t n = readlink("/proc/self/exe", prefix, sizeof prefix - 1);
    if (n <= 0) {
        prefix[0] = '\0';
        return prefix;
    }
    prefix[n] = '\0';
    for (int up = 0; up < 2; up++) {        /* drop "/sriov-sim", then "/bin" */
        char *slash = strrchr(prefix, '/');
        if (slash == NULL) {
            prefix[0] = '\0';
            return prefix;
        }
        *slash = '\0';
    }
    return prefix;
}

const char *datadir_find(const char *name, const char *source_fallback)
{
    static char found[MAX_DATADIRS][PATH_MAX];
    static const char *names[MAX_DATADIRS];
    for (int i = 0; i < MAX_DATADIRS && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return found[i][0] ? found[i] : source_fallback;
    int slot = 0;
    while (slot < MAX_DATADIRS && names[slot])
        slot++;
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/share/sriov-sim/%s", install_prefix(), name);
    int installed = n > 0 && (size_t)n < sizeof path && install_prefix()[0] &&
                    stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (slot == MAX_DATADIRS)       /* two callers today; raise MAX_DATADIRS */
        return source_fallback;
    names[slot] = name;
    if (installed)
        memcpy(found[slot], path, (size_t)n + 1);
    return installed ? found[slot] : source_fallback;
}
