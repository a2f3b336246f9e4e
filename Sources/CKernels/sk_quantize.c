// Weight quantisation: float rows into a GGML block format, for drafts that are
// requantised at load (a cheaper draft reads fewer bytes per token).
#include "sk_internal.h"
#include <math.h>

/// The code of `v` = x / d + 8.5: floor(v) clamped to 0…15. v > -1 always (|x / d| is
/// at most 8 up to d's rounding), where truncation equals floor, so the loop
/// vectorises without a libm call.
static inline int q4_code(float v) {
    int q = (int)(v > 0 ? v : 0);
    return q > 15 ? 15 : q;
}

/// One Q4_0 block: w = d·(q - 8), q in 0…15. The element of largest magnitude m
/// (the first, on ties) maps to q = 0: d = m / -8, rounded to half precision, and
/// every element to q = clamp(floor(x / d + 8.5), 0, 15) with the stored d, so the
/// dequantised values are the nearest codes of the block's own scale.
static void q_q4_0(const float *x, sk_block_q4_0 *b) {      // x: (32)
    float amax = 0, m = 0;
    for (int i = 0; i < SK_QK; i++) {
        float a = fabsf(x[i]);
        if (a > amax) { amax = a; m = x[i]; }
    }
    uint16_t dh = sk_fp32_to_fp16(m / -8.0f);
    float d = sk_fp16_to_fp32(dh), id = d != 0 ? 1.0f / d : 0.0f;
    b->d = dh;
    for (int i = 0; i < 16; i++) {
        b->qs[i] = (uint8_t)(q4_code(x[i] * id + 8.5f) | (q4_code(x[i + 16] * id + 8.5f) << 4));
    }
}

bool sk_can_quantize(int type) { return type == SK_TYPE_Q4_0; }

bool sk_quantize(int type, const float *x, void *dst, int64_t n) {
    if (!sk_can_quantize(type) || n % SK_QK != 0) return false;
    sk_block_q4_0 *b = dst;
    for (int64_t i = 0; i < n / SK_QK; i++) q_q4_0(x + SK_QK * i, b + i);
    return true;
}
