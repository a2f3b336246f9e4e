// Dequantisation of every supported GGML type to float32.
//
// The arithmetic follows gguf-py's `gguf.quants.dequantize` operation for
// operation (each product and sum rounded to float32, never fused), so the
// results are bit-identical to it; the fixtures in Tests/SpecModelsTests hold that.
// Portable C: dequantisation serves embedding lookups and tools, not the hot path.
#include "sk_internal.h"

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

static void dq_q4_0(const sk_block_q4_0 *b, float *y) {      // y: (32)
    float d = sk_fp16_to_fp32(b->d);
    for (int i = 0; i < 16; i++) {
        y[i] = d * (float)((b->qs[i] & 0x0F) - 8);
        y[i + 16] = d * (float)((b->qs[i] >> 4) - 8);
    }
}

static void dq_q4_1(const sk_block_q4_1 *b, float *y) {      // y: (32)
    float d = sk_fp16_to_fp32(b->d), m = sk_fp16_to_fp32(b->m);
    for (int i = 0; i < 16; i++) {
        y[i] = d * (float)(b->qs[i] & 0x0F) + m;
        y[i + 16] = d * (float)(b->qs[i] >> 4) + m;
    }
}

static void dq_q5_0(const sk_block_q5_0 *b, float *y) {      // y: (32)
    float d = sk_fp16_to_fp32(b->d);
    uint32_t qh;
    memcpy(&qh, b->qh, 4);
    for (int i = 0; i < 16; i++) {
        int lo = (b->qs[i] & 0x0F) | (int)(((qh >> i) & 1u) << 4);
        int hi = (b->qs[i] >> 4) | (int)(((qh >> (i + 16)) & 1u) << 4);
        y[i] = d * (float)(lo - 16);
        y[i + 16] = d * (float)(hi - 16);
    }
}

static void dq_q5_1(const sk_block_q5_1 *b, float *y) {      // y: (32)
    float d = sk_fp16_to_fp32(b->d), m = sk_fp16_to_fp32(b->m);
    uint32_t qh;
    memcpy(&qh, b->qh, 4);
    for (int i = 0; i < 16; i++) {
        int lo = (b->qs[i] & 0x0F) | (int)(((qh >> i) & 1u) << 4);
        int hi = (b->qs[i] >> 4) | (int)(((qh >> (i + 16)) & 1u) << 4);
        y[i] = d * (float)lo + m;
        y[i + 16] = d * (float)hi + m;
    }
}

static void dq_q8_0(const sk_block_q8_0 *b, float *y) {      // y: (32)
    float d = sk_fp16_to_fp32(b->d);
    for (int i = 0; i < 32; i++) y[i] = (float)b->qs[i] * d;
}

/// The six-bit scale and min of sub-block `s` (0..<8) of a Q4_K/Q5_K super-block.
static void k_scale_min(const uint8_t *sc, int s, int *scale, int *min) {
    if (s < 4) {
        *scale = sc[s] & 63;
        *min = sc[s + 4] & 63;
    } else {
        *scale = (sc[s + 4] & 0x0F) | ((sc[s - 4] >> 6) << 4);
        *min = (sc[s + 4] >> 4) | ((sc[s] >> 6) << 4);
    }
}

static void dq_q4_K(const sk_block_q4_K *b, float *y) {      // y: (256)
    float d = sk_fp16_to_fp32(b->d), dmin = sk_fp16_to_fp32(b->dmin);
    for (int s = 0; s < 8; s++) {
        int sc, mn;
        k_scale_min(b->scales, s, &sc, &mn);
        float dl = d * (float)sc, ml = dmin * (float)mn;
        const uint8_t *q = b->qs + 32 * (s / 2);
        int shift = 4 * (s & 1);
        for (int l = 0; l < 32; l++) y[32 * s + l] = dl * (float)((q[l] >> shift) & 0x0F) - ml;
    }
}

static void dq_q5_K(const sk_block_q5_K *b, float *y) {      // y: (256)
    float d = sk_fp16_to_fp32(b->d), dmin = sk_fp16_to_fp32(b->dmin);
    for (int s = 0; s < 8; s++) {
        int sc, mn;
        k_scale_min(b->scales, s, &sc, &mn);
        float dl = d * (float)sc, ml = dmin * (float)mn;
        const uint8_t *q = b->qs + 32 * (s / 2);
        int shift = 4 * (s & 1);
        for (int l = 0; l < 32; l++) {
            int v = ((q[l] >> shift) & 0x0F) | (((b->qh[l] >> s) & 1) << 4);
            y[32 * s + l] = dl * (float)v - ml;
        }
    }
}

static void dq_q6_K(const sk_block_q6_K *b, float *y) {      // y: (256)
    float d = sk_fp16_to_fp32(b->d);
    for (int g = 0; g < 8; g++) {                            // 32-element groups
        int h = g / 4, p = g % 4;
        const uint8_t *ql = b->ql + 64 * h + 32 * (p & 1), *qh = b->qh + 32 * h;
        int nshift = 4 * (p >> 1), hshift = 2 * p;
        for (int l = 0; l < 32; l++) {
            int q = ((ql[l] >> nshift) & 0x0F) | (((qh[l] >> hshift) & 3) << 4);
            float dl = d * (float)b->scales[2 * g + l / 16];
            y[32 * g + l] = dl * (float)(q - 32);
        }
    }
}

void sk_dequantize(int type, const void *src, float *dst, int64_t n) {
    const uint8_t *p = src;
    int64_t be = sk_block_elements(type), bb = sk_block_bytes(type);
    if (be == 0 || n <= 0) return;
    int64_t nb = n / be;
    switch (type) {
    case SK_TYPE_F32: memcpy(dst, src, (size_t)n * 4); return;
    case SK_TYPE_F16: for (int64_t i = 0; i < n; i++) dst[i] = sk_fp16_to_fp32(sk_rd16(p + 2 * i)); return;
    case SK_TYPE_BF16: for (int64_t i = 0; i < n; i++) dst[i] = sk_bf16_to_fp32(sk_rd16(p + 2 * i)); return;
    default: break;
    }
    for (int64_t i = 0; i < nb; i++, p += bb, dst += be) {
        switch (type) {
        case SK_TYPE_Q4_0: dq_q4_0((const sk_block_q4_0 *)p, dst); break;
        case SK_TYPE_Q4_1: dq_q4_1((const sk_block_q4_1 *)p, dst); break;
        case SK_TYPE_Q5_0: dq_q5_0((const sk_block_q5_0 *)p, dst); break;
        case SK_TYPE_Q5_1: dq_q5_1((const sk_block_q5_1 *)p, dst); break;
        case SK_TYPE_Q8_0: dq_q8_0((const sk_block_q8_0 *)p, dst); break;
        case SK_TYPE_Q4_K: dq_q4_K((const sk_block_q4_K *)p, dst); break;
        case SK_TYPE_Q5_K: dq_q5_K((const sk_block_q5_K *)p, dst); break;
        case SK_TYPE_Q6_K: dq_q6_K((const sk_block_q6_K *)p, dst); break;
        default: return;
        }
    }
}
