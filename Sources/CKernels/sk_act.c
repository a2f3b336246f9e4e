// Activation quantisation: float rows → 64-byte 8-bit blocks of 32 (sk_act_block).
//
// Every level computes, per block, amax = max|x|, d = amax / 127,
// id = d ? 1 / d : 0, q = round-half-even(x · id): the same float operations in
// the same order, so all levels give identical blocks. |q| ≤ 127 always.
#include "sk_internal.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

int64_t sk_act_row_bytes(int64_t n) { return (n / SK_QK) * (int64_t)sizeof(sk_act_block); }

/// Portable quantisation of one row. x: (n), dst: (n / 32) blocks. Cost: ~6 operations per element.
void sk_quantize_act_scalar(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) {
        sk_act_block *b = dst + j;
        float amax = 0.0f;
        for (int i = 0; i < SK_QK; i++) {
            float a = fabsf(x[i]);
            amax = a > amax ? a : amax;
        }
        float d = amax / 127.0f;
        float id = d != 0.0f ? 1.0f / d : 0.0f;
        for (int i = 0; i < SK_QK; i++) b->q[i] = (int8_t)lrintf(x[i] * id);
        b->d = d;
        sk_act_finish(b);
    }
}

#if SK_X86
#include <immintrin.h>

/// AVX2 quantisation of one row; identical output to the portable path. Cost: ~1 cycle per 4 elements.
__attribute__((target("avx2,fma,f16c")))
void sk_quantize_act_avx2(const float *x, sk_act_block *dst, int64_t n) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) {
        sk_act_block *b = dst + j;
        __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8);
        __m256 v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
        __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_and_ps(v0, absmask), _mm256_and_ps(v1, absmask)),
                                 _mm256_max_ps(_mm256_and_ps(v2, absmask), _mm256_and_ps(v3, absmask)));
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_movehdup_ps(h));
        float amax = _mm_cvtss_f32(h);
        float d = amax / 127.0f;
        float id = d != 0.0f ? 1.0f / d : 0.0f;
        __m256 vid = _mm256_set1_ps(id);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, vid)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, vid));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, vid)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, vid));
        // Sums before packing: lo = elements 0..<16, hi = 16..<32.
        __m256i slo = _mm256_add_epi32(i0, i1), shi = _mm256_add_epi32(i2, i3);
        __m256i s2 = _mm256_hadd_epi32(slo, shi);                 // lo: lanes 0,1,4,5; hi: 2,3,6,7
        s2 = _mm256_hadd_epi32(s2, s2);                            // lo: 0,4; hi: 1,5
        int32_t lo = _mm256_extract_epi32(s2, 0) + _mm256_extract_epi32(s2, 4);
        int32_t hi = _mm256_extract_epi32(s2, 1) + _mm256_extract_epi32(s2, 5);
        __m256i p01 = _mm256_packs_epi32(i0, i1), p23 = _mm256_packs_epi32(i2, i3);
        __m256i p = _mm256_packs_epi16(p01, p23);                  // lane-interleaved dwords
        p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)b->q, p);
        b->d = d;
        b->sum = lo + hi;
        b->dsum = d * (float)(lo + hi);
        b->bias = -128 * (lo + hi);
        b->bias_lo = -128 * lo;
        b->bias_hi = -128 * hi;
        b->reserved[0] = b->reserved[1] = 0;
    }
}

/// AVX-512 quantisation of one row; identical output to the portable path.
__attribute__((target("avx512f,avx512bw,avx512vl")))
void sk_quantize_act_avx512(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) {
        sk_act_block *b = dst + j;
        __m512 v0 = _mm512_loadu_ps(x), v1 = _mm512_loadu_ps(x + 16);
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
        float d = amax / 127.0f;
        float id = d != 0.0f ? 1.0f / d : 0.0f;
        __m512 vid = _mm512_set1_ps(id);
        __m512i i0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, vid));
        __m512i i1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, vid));
        int32_t lo = _mm512_reduce_add_epi32(i0), hi = _mm512_reduce_add_epi32(i1);
        _mm_storeu_si128((__m128i *)b->q, _mm512_cvtsepi32_epi8(i0));
        _mm_storeu_si128((__m128i *)(b->q + 16), _mm512_cvtsepi32_epi8(i1));
        b->d = d;
        b->sum = lo + hi;
        b->dsum = d * (float)(lo + hi);
        b->bias = -128 * (lo + hi);
        b->bias_lo = -128 * lo;
        b->bias_hi = -128 * hi;
        b->reserved[0] = b->reserved[1] = 0;
    }
}
#endif
