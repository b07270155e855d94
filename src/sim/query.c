/* query.c -- the accessors of query.h not worth inlining (read once per
 * run or per sample, not per flow and hop). */
#include "sim/query.h"

double sim_flow_delivered_bytes(const sim_ctx *c, size_t f)
{
    return c->flows[f].delivered_bytes;
}

size_t sim_n_dlinks(const sim_ctx *c)
{
    return c->n_dlinks;
}

size_t sim_n_samples(const sim_ctx *c)
{
    return c->n_samples;
}

size_t sim_max_samples(const sim_ctx *c)
{
    return c->max_samples;
}

int sim_failed(const sim_ctx *c)
{
    return c->failed;
}
