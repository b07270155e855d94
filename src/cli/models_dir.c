/* models_dir.c -- where the adapter catalogue is found. */
#include <stdlib.h>

#include "cli/cli.h"

const char *cli_models_dir(const char *flag_value)
{
    if (flag_value)
        return flag_value;
    const char *env = getenv("SRIOV_MODELS_DIR");
    if (env && *env)
        return env;
    return SRIOV_SOURCE_DIR "/models";
}
