/* bucket.h -- a token bucket (rate, depth) in the fluid model.
 *
 * Tokens fill at rate_Bps up to depth_bytes and every byte sent takes one:
 * over any window a VF sends at most rate * t + depth. The fluid model
 * does not see packets, so the bucket is settled from measured bytes: at
 * each update, tokens += rate * elapsed - sent, clamped to [0, depth].
 * While the VF sends at most its rate (the shaper at the rate) tokens only
 * grow, so the clamp is exact; a burst (shaper above the rate) lasts at
 * most tokens / (peak - rate) seconds, after which the bucket is settled
 * again (see shaper.c).
 * Units: bytes, bytes per second, seconds. Plain value type.
 */
#ifndef SRIOV_QOS_BUCKET_H
#define SRIOV_QOS_BUCKET_H

typedef struct token_bucket {
    double rate_Bps;
    double depth_bytes;
    double tokens_bytes;
    double at_s;                /* time of the last settlement */
    double sent_at_bytes;       /* the VF's sent total at that time */
} token_bucket;

/* A full bucket at now_s, the VF having sent sent_bytes so far. */
void tb_init(token_bucket *b, double rate_Bps, double depth_bytes, double now_s,
             double sent_bytes);
/* Settles the bucket at now_s given the VF's sent total. */
void tb_settle(token_bucket *b, double now_s, double sent_bytes);
/* How long the VF may send at peak_Bps on its tokens; 0 when peak <= rate. */
double tb_burst_s(const token_bucket *b, double peak_Bps);

#endif
