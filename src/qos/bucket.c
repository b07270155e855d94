/* bucket.c -- see bucket.h. */
#include "qos/bucket.h"

#include <math.h>

void tb_init(token_bucket *b, double rate_Bps, double depth_bytes, double now_s,
             double sent_bytes)
{
    b->rate_Bps = rate_Bps;
    b->depth_bytes = depth_bytes;
    b->tokens_bytes = depth_bytes;
    b->at_s = now_s;
    b->sent_at_bytes = sent_bytes;
}

void tb_settle(token_bucket *b, double now_s, double sent_bytes)
{
    double t = b->tokens_bytes + b->rate_Bps * (now_s - b->at_s) - (sent_bytes - b->sent_at_bytes);
    b->tokens_bytes = fmax(0.0, fmin(b->depth_bytes, t));
    b->at_s = now_s;
    b->sent_at_bytes = sent_bytes;
}

double tb_burst_s(const token_bucket *b, double peak_Bps)
{
    if (!(peak_Bps > b->rate_Bps) || b->tokens_bytes <= 0)
        return 0.0;
    return b->tokens_bytes / (peak_Bps - b->rate_Bps);
}
