// Packed weights for the AVX-512 kernels: a one-time copy of a Q4_1 or Q8_0
// matrix in the order the kernel consumes it, so that a product does no
// transposing at all (the on-the-fly repack of sk_matmul_avx512.c costs about
// 30 cycles per 16 rows × 32 elements, more than the dot products of 4 tokens).
//
// Layout (the same bytes as the GGUF rows, rearranged; 64-byte aligned):
//   tiles of 16 rows (the last one zero-padded), each tile_bytes long, in row order;
//   a tile is nb / 2 rounded up *pairs* of 32-element blocks (2p, 2p + 1), each pair
//     qs[2][V] zmm   dword v of lane i = bytes 4v..4v+3 of row i's quants of that block
//                    (Q4_1: V = 4, the 16 nibble bytes as stored; Q8_0: V = 8, q + 128)
//     d    1 zmm     32 fp16 scales: block 2p rows 0..15, then block 2p + 1 rows 0..15
//     m    1 zmm     Q4_1 only: the minimums, same order
//   When nb is odd the last pair's second block is zero and never read.
//   Pair bytes: Q4_1 2·256 + 128 = 640, Q8_0 2·512 + 64 = 1088.
//
// The product runs each tile for groups of up to NT tokens with the sums A and M
// of every token of the group in registers over the whole row, so a tile costs, per
// token and block, 8 `vpdpbusd` and 3 float operations (mul, fma, and fma for M)
// plus a share of the weight decoding (Q4_1: 12 integer operations per block and
// group). The arithmetic is the canonical one of sk_internal.h, block by block in
// order, so results are bit-identical to sk_matmul at every level, for any token
// count and row range.
#include "sk_internal.h"

#if SK_X86
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

enum { TR = 16, NTMAX = 8 };
#ifndef PF_DIST
#define PF_DIST 1
#endif
#ifndef PF_HINT
#define PF_HINT _MM_HINT_T0
#endif

/// Bytes of one pair of blocks of a 16-row tile, or 0 if `type` has no packed form.
static int64_t pair_bytes(int type) {
    switch (type) {
    case SK_TYPE_Q4_1: return 640;
    case SK_TYPE_Q8_0: return 1088;
    default: return 0;
    }
}

/// Bytes of one packed 16-row tile of rows of `k` elements (0: no packed form).
int64_t sk_packed_tile_bytes(int type, int64_t k) {
    int64_t pb = pair_bytes(type);
    if (pb == 0 || k % SK_QK != 0) return 0;
    return (k / SK_QK + 1) / 2 * pb;
}

/// Packs rows [16·t0, 16·t1) (tiles t0..<t1) of `w` into `dst` (the whole packed matrix).
void sk_pack_tiles(int type, const uint8_t *w, int64_t rows, int64_t k, uint8_t *dst,
                          int64_t t0, int64_t t1) {
    const int64_t nb = k / SK_QK, rb = nb * sk_block_bytes(type), tb = sk_packed_tile_bytes(type, k);
    const int64_t pb = pair_bytes(type);
    const int V = type == SK_TYPE_Q8_0 ? 8 : 4;
    for (int64_t t = t0; t < t1; t++) {
        uint8_t *tile = dst + t * tb;
        memset(tile, 0, (size_t)tb);
        for (int64_t i = 0; i < TR && t * TR + i < rows; i++) {
            const uint8_t *row = w + (t * TR + i) * rb;
            for (int64_t j = 0; j < nb; j++) {
                uint8_t *pair = tile + (j / 2) * pb;
                const int h = (int)(j & 1);
                uint8_t *qs = pair + h * V * 64;
                uint16_t *d = (uint16_t *)(pair + 2 * V * 64);
                if (type == SK_TYPE_Q4_1) {
                    const sk_block_q4_1 *b = (const sk_block_q4_1 *)row + j;
                    for (int v = 0; v < 4; v++) memcpy(qs + v * 64 + 4 * i, b->qs + 4 * v, 4);
                    d[16 * h + i] = b->d;
                    d[32 + 16 * h + i] = b->m;
                } else {
                    const sk_block_q8_0 *b = (const sk_block_q8_0 *)row + j;
                    for (int v = 0; v < 8; v++)
                        for (int c = 0; c < 4; c++) qs[v * 64 + 4 * i + c] = (uint8_t)(b->qs[4 * v + c] + 128);
                    d[16 * h + i] = b->d;
                }
            }
        }
    }
}

/// The 8 weight dwords of one block: Q4_1 splits 4 zmm of nibbles, Q8_0 loads 8.
T512 INLINE void load_w(const uint8_t *qs, int q8, __m512i W[8]) {
    if (q8) {
        for (int v = 0; v < 8; v++) W[v] = _mm512_load_si512(qs + 64 * v);
    } else {
        const __m512i m4 = _mm512_set1_epi8(0x0F);
        for (int v = 0; v < 4; v++) {
            __m512i q = _mm512_load_si512(qs + 64 * v);
            W[v] = _mm512_and_si512(q, m4);
            W[v + 4] = _mm512_and_si512(_mm512_srli_epi32(q, 4), m4);
        }
    }
}

/// One block for NT tokens: A[t] += i·(dw·dx), M[t] += mw·dsum (Q4_1), in the canonical order.
/// x: the block of the first token, successive tokens `nbx` blocks apart.
T512 INLINE void block(const __m512i W[8], __m512 dw, __m512 mw, const sk_act_block *x, int64_t nbx,
                       __m512 *A, __m512 *M, const int NT, const int q8) {
#pragma clang loop unroll(full)
    for (int t = 0; t < NT; t++) {
        const sk_act_block *a = x + t * nbx;
        const int32_t *aq = (const int32_t *)a->q;
        __m512i s;
        if (NT <= 4) {                         // two chains: latency matters with few tokens
            __m512i s0 = q8 ? _mm512_set1_epi32(a->bias) : _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
            for (int v = 0; v < 4; v++) {
                s0 = _mm512_dpbusd_epi32(s0, W[v], _mm512_set1_epi32(aq[v]));
                s1 = _mm512_dpbusd_epi32(s1, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
            }
            s = _mm512_add_epi32(s0, s1);
        } else {
            s = q8 ? _mm512_set1_epi32(a->bias) : _mm512_setzero_si512();
            for (int v = 0; v < 8; v++) s = _mm512_dpbusd_epi32(s, W[v], _mm512_set1_epi32(aq[v]));
        }
        A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(dw, _mm512_set1_ps(a->d)), A[t]);
        if (!q8) M[t] = _mm512_fmadd_ps(mw, _mm512_set1_ps(a->dsum), M[t]);
    }
}

/// NT tokens over one packed tile (nb blocks): writes lanes `mask` of rows y[t·ldy + 0..<16].
/// `pf`: bytes to prefetch into L2 meanwhile (a later tile, as long as this one), or NULL.
T512 INLINE void tile_group(const uint8_t *tile, int64_t nb, const sk_act_block *x, int64_t nbx,
                            float *y, int64_t ldy, __mmask16 mask, const uint8_t *pf, const int NT, const int q8) {
    const int V = q8 ? 8 : 4;
    const int64_t pb = q8 ? 1088 : 640;
    __m512 A[NTMAX], M[NTMAX];
    for (int t = 0; t < NT; t++) A[t] = M[t] = _mm512_setzero_ps();
    for (int64_t j = 0; j < nb; j += 2) {
        const uint8_t *pair = tile + (j / 2) * pb;
        if (pf)
            for (int64_t o = 0; o < pb; o += 64) _mm_prefetch((const char *)pf + (j / 2) * pb + o, PF_HINT);
        const __m512i dz = _mm512_load_si512(pair + 2 * V * 64);
        const __m512i mz = q8 ? dz : _mm512_load_si512(pair + 2 * V * 64 + 64);
        __m512i W[8];
        load_w(pair, q8, W);
        block(W, _mm512_cvtph_ps(_mm512_castsi512_si256(dz)), _mm512_cvtph_ps(_mm512_castsi512_si256(mz)),
              x + j, nbx, A, M, NT, q8);
        if (j + 1 < nb) {
            load_w(pair + V * 64, q8, W);
            block(W, _mm512_cvtph_ps(_mm512_extracti64x4_epi64(dz, 1)), _mm512_cvtph_ps(_mm512_extracti64x4_epi64(mz, 1)),
                  x + j + 1, nbx, A, M, NT, q8);
        }
    }
    for (int t = 0; t < NT; t++)
        _mm512_mask_storeu_ps(y + t * ldy, mask, q8 ? A[t] : _mm512_add_ps(A[t], M[t]));
}

typedef void (*tile_fn)(const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, __mmask16,
                        const uint8_t *);

#define TILE_FN(Q8, NT) \
    T512 static void tg_##Q8##_##NT(const uint8_t *tile, int64_t nb, const sk_act_block *x, int64_t nbx, \
                                    float *y, int64_t ldy, __mmask16 mask, const uint8_t *pf) \
    { tile_group(tile, nb, x, nbx, y, ldy, mask, pf, NT, Q8); }
#define TILE_FNS(Q8) TILE_FN(Q8, 1) TILE_FN(Q8, 2) TILE_FN(Q8, 3) TILE_FN(Q8, 4) TILE_FN(Q8, 5) \
    TILE_FN(Q8, 6) TILE_FN(Q8, 7) TILE_FN(Q8, 8)
TILE_FNS(0)
TILE_FNS(1)
static const tile_fn tile_fns[2][NTMAX] = {
    { tg_0_1, tg_0_2, tg_0_3, tg_0_4, tg_0_5, tg_0_6, tg_0_7, tg_0_8 },
    { tg_1_1, tg_1_2, tg_1_3, tg_1_4, tg_1_5, tg_1_6, tg_1_7, tg_1_8 },
};

/// Product with packed weights over rows [r0, r1) (see sk_matmul_packed).
/// Cost per 16-row tile: one pass over its packed bytes per group of 8 tokens
/// (from memory the first time, L1 or L2 after), ~11 vector operations per token and block.
T512 void sk_matmul_packed_avx512(int type, const uint8_t *packed, int64_t k, const sk_act_block *xq,
                                  int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t nb = k / SK_QK, tb = sk_packed_tile_bytes(type, k);
    const tile_fn *fns = tile_fns[type == SK_TYPE_Q8_0];
    for (int64_t t = r0 / TR; t * TR < r1; t++) {
        const int64_t base = t * TR;
        const int64_t lo = r0 > base ? r0 - base : 0, hi = r1 < base + TR ? r1 - base : TR;
        const __mmask16 mask = (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
        const uint8_t *tile = packed + t * tb;
        // The tile PF_DIST ahead (if this call reads it) streams into L2 during the first group.
        const uint8_t *pf = (t + PF_DIST) * TR < r1 ? tile + PF_DIST * tb : NULL;
        for (int64_t t0 = 0; t0 < ntok; t0 += NTMAX) {
            const int64_t nt = ntok - t0 < NTMAX ? ntok - t0 : NTMAX;
            fns[nt - 1](tile, nb, xq + t0 * nb, nb, y + t0 * ldy + base, ldy, mask, t0 == 0 ? pf : NULL);
        }
    }
}

#endif
