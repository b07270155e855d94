/* fuzz_scenario.c -- libFuzzer target for the scenario loader.
 *
 * Feeds arbitrary bytes to scenario_load_text() against the repo's adapter
 * catalogue (models/). Any input must either load or be rejected with a
 * diagnostic; a crash, a sanitizer report, a leak or a hang is a bug.
 *
 * An input that loads is also written back with config_to_yaml() and loaded
 * again: the resolved text is what results files record, so it must always
 * read back. A failure there aborts (a genuine bug, not a bad input).
 *
 * Diagnostics go to a memstream, not stderr: the fuzzer runs millions of
 * inputs and the text is of no interest, only that producing it is safe.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load.h"
#include "scenario/resolved.h"

#ifndef SRIOV_MODELS_DIR
#error "build with -DSRIOV_MODELS_DIR=\"<repo>/models\""
#endif

/* Loads text; on success checks the resolved text loads too. */
static void load_and_round_trip(const char *text, size_t len, diag *d)
{
    scenario_config cfg;
    if (scenario_load_text(text, len, "fuzz.yaml", SRIOV_MODELS_DIR, &cfg, d) != 0)
        return;
    char *yaml = config_to_yaml(&cfg);
    scenario_config again;
    int rc = scenario_load_text(yaml, strlen(yaml), "resolved.yaml",
                                SRIOV_MODELS_DIR, &again, d);
    if (rc != 0) {
        fprintf(stderr, "resolved text of a valid scenario does not load:\n%s\n", yaml);
        abort();
    }
    config_free(&again);
    free(yaml);
    config_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL;
    size_t buf_len = 0;
    FILE *sink = open_memstream(&buf, &buf_len);
    if (!sink)
        return 0;
    diag d;
    diag_init(&d, sink);
    load_and_round_trip((const char *)data, size, &d);
    fclose(sink);
    free(buf);
    return 0;
}
