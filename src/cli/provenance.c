/* provenance.c -- see provenance.h. */
#include "cli/provenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/textesc.h"

#ifndef SRIOV_SOURCE_REVISION
#define SRIOV_SOURCE_REVISION "v" SRIOV_VERSION
#endif

char *provenance_command_line(int argc, char *const *argv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fputs("sriov-sim", f);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        text_put_shell_word(f, argv[i]);
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int provenance_fill(run_meta *m, const char *command_line)
{
    char host[256] = "";
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    char when[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    m->created_utc = results_strdup(when);
    m->host = results_strdup(host);
    m->command_line = results_strdup(command_line);
    m->source_revision = results_strdup(SRIOV_SOURCE_REVISION);
    return m->created_utc && m->host && m->command_line && m->source_revision ? 0 : -1;
}
