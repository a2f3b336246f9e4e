// Portable matrix kernels (ISA level 0), and the plain statement of the canonical
// arithmetic described in sk_internal.h: the SIMD levels reproduce these results
// bit for bit, and the tests compare them against this file.
#include "sk_internal.h"
#include <math.h>
#include <stdlib.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

/// One decoded 32-element weight block: integer values and float scale terms.
typedef struct {
    int8_t q[32];   // signed integer weights (Q4_0: q - 8, Q4_1: q, Q6_K: q - 32, ...)
    float dw;       // scale (K-quants: the super-block d)
    float mw;       // Q4_1/Q5_1: per-block minimum; Q4_K/Q5_K: -dmin of the super-block; else 0
    int32_t sc, mn; // Q4_K/Q5_K: 6-bit scale and min of the sub-block
    int32_t sa, sb; // Q6_K: int8 scales of the two 16-element halves
} sk_wblock;

enum { KIND_SIGNED, KIND_MIN, KIND_KMIN, KIND_Q6K };

static int kind_of(int type) {
    switch (type) {
    case SK_TYPE_Q4_1: case SK_TYPE_Q5_1: return KIND_MIN;
    case SK_TYPE_Q4_K: case SK_TYPE_Q5_K: return KIND_KMIN;
    case SK_TYPE_Q6_K: return KIND_Q6K;
    default: return KIND_SIGNED;
    }
}

static void k_scale_min(const uint8_t *sc, int s, int *scale, int *min) {
    if (s < 4) {
        *scale = sc[s] & 63;
        *min = sc[s + 4] & 63;
    } else {
        *scale = (sc[s + 4] & 0x0F) | ((sc[s - 4] >> 6) << 4);
        *min = (sc[s + 4] >> 4) | ((sc[s] >> 6) << 4);
    }
}

/// Decodes weight row `row` (k elements of `type`) into k/32 blocks. out: (k / 32).
static void decode_row(int type, const uint8_t *row, int64_t k, sk_wblock *out) {
    int64_t nb = k / SK_QK;
    for (int64_t j = 0; j < nb; j++) {
        sk_wblock *o = out + j;
        o->mw = 0.0f;
        o->sc = o->mn = o->sa = o->sb = 0;
        switch (type) {
        case SK_TYPE_Q4_0: {
            const sk_block_q4_0 *b = (const sk_block_q4_0 *)row + j;
            o->dw = sk_fp16_to_fp32(b->d);
            for (int i = 0; i < 16; i++) {
                o->q[i] = (int8_t)((b->qs[i] & 0x0F) - 8);
                o->q[i + 16] = (int8_t)((b->qs[i] >> 4) - 8);
            }
            break;
        }
        case SK_TYPE_Q4_1: {
            const sk_block_q4_1 *b = (const sk_block_q4_1 *)row + j;
            o->dw = sk_fp16_to_fp32(b->d);
            o->mw = sk_fp16_to_fp32(b->m);
            for (int i = 0; i < 16; i++) {
                o->q[i] = (int8_t)(b->qs[i] & 0x0F);
                o->q[i + 16] = (int8_t)(b->qs[i] >> 4);
            }
            break;
        }
        case SK_TYPE_Q5_0: case SK_TYPE_Q5_1: {
            const uint8_t *b = row + j * sk_block_bytes(type);
            int hasmin = type == SK_TYPE_Q5_1, off = hasmin ? 4 : 2;
            uint32_t qh;
            memcpy(&qh, b + off, 4);
            const uint8_t *qs = b + off + 4;
            o->dw = sk_fp16_to_fp32(sk_rd16(b));
            if (hasmin) o->mw = sk_fp16_to_fp32(sk_rd16(b + 2));
            for (int i = 0; i < 16; i++) {
                int lo = (qs[i] & 0x0F) | (int)(((qh >> i) & 1u) << 4);
                int hi = (qs[i] >> 4) | (int)(((qh >> (i + 16)) & 1u) << 4);
                o->q[i] = (int8_t)(hasmin ? lo : lo - 16);
                o->q[i + 16] = (int8_t)(hasmin ? hi : hi - 16);
            }
            break;
        }
        case SK_TYPE_Q8_0: {
            const sk_block_q8_0 *b = (const sk_block_q8_0 *)row + j;
            o->dw = sk_fp16_to_fp32(b->d);
            memcpy(o->q, b->qs, 32);
            break;
        }
        case SK_TYPE_Q4_K: case SK_TYPE_Q5_K: {
            int s = (int)(j % 8);
            const uint8_t *b = row + (j / 8) * sk_block_bytes(type);
            const uint8_t *scales = b + 4;
            const uint8_t *qh = type == SK_TYPE_Q5_K ? b + 16 : NULL;
            const uint8_t *qs = b + (type == SK_TYPE_Q5_K ? 48 : 16) + 32 * (s / 2);
            int sc, mn;
            k_scale_min(scales, s, &sc, &mn);
            o->dw = sk_fp16_to_fp32(sk_rd16(b));
            o->mw = -sk_fp16_to_fp32(sk_rd16(b + 2));
            o->sc = sc;
            o->mn = mn;
            for (int l = 0; l < 32; l++) {
                int v = (qs[l] >> (4 * (s & 1))) & 0x0F;
                if (qh) v |= ((qh[l] >> s) & 1) << 4;
                o->q[l] = (int8_t)v;
            }
            break;
        }
        case SK_TYPE_Q6_K: {
            int g = (int)(j % 8), h = g / 4, p = g % 4;
            const sk_block_q6_K *b = (const sk_block_q6_K *)(row + (j / 8) * sizeof(sk_block_q6_K));
            const uint8_t *ql = b->ql + 64 * h + 32 * (p & 1), *qh = b->qh + 32 * h;
            for (int l = 0; l < 32; l++) {
                int q = ((ql[l] >> (4 * (p >> 1))) & 0x0F) | (((qh[l] >> (2 * p)) & 3) << 4);
                o->q[l] = (int8_t)(q - 32);
            }
            o->dw = sk_fp16_to_fp32(b->d);
            o->sa = b->scales[2 * g];
            o->sb = b->scales[2 * g + 1];
            break;
        }
        default: break;
        }
    }
}

/// Quantised product, portable. w: (rows, row bytes); xq: (ntok, k/32) blocks (K-quants:
/// the K format); y: (ntok, ldy). Cost: each row decoded once (O(k)), then O(k) integer
/// operations per token.
void sk_matmul_q_scalar(int type, const uint8_t *w, int64_t k, const sk_act_block *xq,
                        int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    int64_t nb = k / SK_QK;
    int64_t rowbytes = k / sk_block_elements(type) * sk_block_bytes(type);
    int kind = kind_of(type);
    sk_wblock *wb = malloc((size_t)nb * sizeof(sk_wblock));       // (k / 32)
    if (!wb) return;
    for (int64_t r = r0; r < r1; r++) {
        decode_row(type, w + r * rowbytes, k, wb);
        for (int64_t t = 0; t < ntok; t++) {
            const sk_act_block *x = xq + t * nb;
            float acc = 0.0f, macc = 0.0f;
            if (kind == KIND_KMIN || kind == KIND_Q6K) {
                for (int64_t J = 0; J < nb / 8; J++) {
                    int32_t isum = 0, imin = 0;
                    for (int64_t j = 8 * J; j < 8 * J + 8; j++) {
                        const sk_wblock *b = wb + j;
                        const sk_act_block *a = x + j;
                        if (kind == KIND_Q6K) {
                            int32_t ia = 0, ib = 0;
                            for (int i = 0; i < 16; i++) ia += b->q[i] * a->q[i];
                            for (int i = 16; i < 32; i++) ib += b->q[i] * a->q[i];
                            isum += b->sa * ia + b->sb * ib;
                        } else {
                            int32_t is = 0;
                            for (int i = 0; i < 32; i++) is += b->q[i] * a->q[i];
                            isum += b->sc * is;
                            imin += b->mn * a->sum;
                        }
                    }
                    const float dx = x[8 * J].d;
                    acc = fmaf((float)isum, wb[8 * J].dw * dx, acc);
                    if (kind == KIND_KMIN) acc = fmaf((float)imin, wb[8 * J].mw * dx, acc);
                }
                y[t * ldy + r] = acc;
                continue;
            }
            for (int64_t j = 0; j < nb; j++) {
                const sk_wblock *b = wb + j;
                const sk_act_block *a = x + j;
                int32_t is = 0;
                for (int i = 0; i < 32; i++) is += b->q[i] * a->q[i];
                acc = fmaf((float)is, b->dw * a->d, acc);
                if (kind == KIND_MIN) macc = fmaf(b->mw, a->dsum, macc);
            }
            y[t * ldy + r] = kind == KIND_MIN ? acc + macc : acc;
        }
    }
    free(wb);
}

static inline float load_f(int type, const uint8_t *row, int64_t i) {
    switch (type) {
    case SK_TYPE_F16: return sk_fp16_to_fp32(sk_rd16(row + 2 * i));
    case SK_TYPE_BF16: return sk_bf16_to_fp32(sk_rd16(row + 2 * i));
    default: { float f; memcpy(&f, row + 4 * i, 4); return f; }
    }
}

/// Float-weight product, portable, in the canonical sixteen-lane order.
/// w: (rows, k) of F32/F16/BF16; x: (ntok, k); y: (ntok, ldy). Cost: O(k) per (row, token).
void sk_matmul_f_scalar(int type, const uint8_t *w, int64_t k, const float *x,
                        int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    int64_t esize = type == SK_TYPE_F32 ? 4 : 2;
    float *wr = malloc((size_t)(k + 16) * sizeof(float));         // (k rounded up to 16)
    if (!wr) return;
    int64_t kp = (k + 15) / 16 * 16;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * k * esize;
        for (int64_t i = 0; i < k; i++) wr[i] = load_f(type, row, i);
        for (int64_t i = k; i < kp; i++) wr[i] = 0.0f;
        for (int64_t t = 0; t < ntok; t++) {
            const float *xt = x + t * k;
            float lane[16] = {0};
            for (int64_t i = 0; i < kp; i += 16)
                for (int l = 0; l < 16; l++) lane[l] = fmaf(wr[i + l], i + l < k ? xt[i + l] : 0.0f, lane[l]);
            for (int width = 8; width >= 1; width /= 2)
                for (int l = 0; l < width; l++) lane[l] = lane[l] + lane[l + width];
            y[t * ldy + r] = lane[0];
        }
    }
    free(wr);
}
