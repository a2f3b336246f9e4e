// Activation quantisation: float rows → 64-byte 8-bit blocks of 32 (sk_act_block).
//
// Every level computes, per block, amax = max|x|, d = amax / 127,
// id = d ? 1 / d : 0, q = round-half-even(x · id): the same float operations in
// the same order, so all levels give identical blocks. |q| ≤ 127 always.
// The K format (sk_quantize_act_k) takes amax over each 256-element group instead and
// writes the group's eight block sums as int16 into its first two blocks' reserved words.
#include "sk_internal.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

int64_t sk_act_row_bytes(int64_t n) { return (n / SK_QK) * (int64_t)sizeof(sk_act_block); }

static float amax_scalar(const float *x, int64_t n) {
    float amax = 0.0f;
    for (int64_t i = 0; i < n; i++) {
        float a = fabsf(x[i]);
        amax = a > amax ? a : amax;
    }
    return amax;
}

/// One block of 32 with scale d (id = d ? 1/d : 0).
static void quant_block_scalar(const float *x, float d, sk_act_block *b) {
    float id = d != 0.0f ? 1.0f / d : 0.0f;
    for (int i = 0; i < SK_QK; i++) b->q[i] = (int8_t)lrintf(x[i] * id);
    b->d = d;
    sk_act_finish(b);
}

/// Portable quantisation of one row. x: (n), dst: (n / 32) blocks. Cost: ~6 operations per element.
void sk_quantize_act_scalar(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) quant_block_scalar(x, amax_scalar(x, SK_QK) / 127.0f, dst + j);
}

/// Portable K-format quantisation. x: (n), dst: (n / 32) blocks, n a multiple of 256.
void sk_quantize_act_k_scalar(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t g = 0; g < n / SK_QK_K; g++, x += SK_QK_K, dst += 8) {
        const float d = amax_scalar(x, SK_QK_K) / 127.0f;
        for (int j = 0; j < 8; j++) quant_block_scalar(x + SK_QK * j, d, dst + j);
        sk_act_finish_k(dst);
    }
}

#if SK_X86
#include <immintrin.h>

/// max|x| over n (a multiple of 32) floats, AVX2.
__attribute__((target("avx2,fma,f16c")))
static float amax_avx2(const float *x, int64_t n) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    __m256 m = _mm256_setzero_ps();
    for (int64_t i = 0; i < n; i += 8) m = _mm256_max_ps(m, _mm256_and_ps(_mm256_loadu_ps(x + i), absmask));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

/// One block of 32 with scale d, AVX2; identical output to quant_block_scalar.
__attribute__((target("avx2,fma,f16c")))
static inline void quant_block_avx2(const float *x, float d, sk_act_block *b) {
    __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8);
    __m256 v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
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
    sk_act_set_header(b, d, lo, hi);
}

/// AVX2 quantisation of one row; identical output to the portable path. Cost: ~1 cycle per 4 elements.
__attribute__((target("avx2,fma,f16c")))
void sk_quantize_act_avx2(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) quant_block_avx2(x, amax_avx2(x, SK_QK) / 127.0f, dst + j);
}

/// AVX2 K-format quantisation; identical output to the portable path.
__attribute__((target("avx2,fma,f16c")))
void sk_quantize_act_k_avx2(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t g = 0; g < n / SK_QK_K; g++, x += SK_QK_K, dst += 8) {
        const float d = amax_avx2(x, SK_QK_K) / 127.0f;
        for (int j = 0; j < 8; j++) quant_block_avx2(x + SK_QK * j, d, dst + j);
        sk_act_finish_k(dst);
    }
}

/// One block of 32 with scale d, AVX-512; identical output to quant_block_scalar.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline void quant_block_avx512(const float *x, float d, sk_act_block *b) {
    __m512 v0 = _mm512_loadu_ps(x), v1 = _mm512_loadu_ps(x + 16);
    float id = d != 0.0f ? 1.0f / d : 0.0f;
    __m512 vid = _mm512_set1_ps(id);
    __m512i i0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, vid));
    __m512i i1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, vid));
    int32_t lo = _mm512_reduce_add_epi32(i0), hi = _mm512_reduce_add_epi32(i1);
    _mm_storeu_si128((__m128i *)b->q, _mm512_cvtsepi32_epi8(i0));
    _mm_storeu_si128((__m128i *)(b->q + 16), _mm512_cvtsepi32_epi8(i1));
    sk_act_set_header(b, d, lo, hi);
}

/// max|x| over n (a multiple of 32) floats, AVX-512.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static float amax_avx512(const float *x, int64_t n) {
    __m512 m = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) m = _mm512_max_ps(m, _mm512_abs_ps(_mm512_loadu_ps(x + i)));
    return _mm512_reduce_max_ps(m);
}

/// AVX-512 quantisation of one row; identical output to the portable path.
__attribute__((target("avx512f,avx512bw,avx512vl")))
void sk_quantize_act_avx512(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t j = 0; j < n / SK_QK; j++, x += SK_QK) quant_block_avx512(x, amax_avx512(x, SK_QK) / 127.0f, dst + j);
}

/// AVX-512 K-format quantisation; identical output to the portable path.
__attribute__((target("avx512f,avx512bw,avx512vl")))
void sk_quantize_act_k_avx512(const float *x, sk_act_block *dst, int64_t n) {
    for (int64_t g = 0; g < n / SK_QK_K; g++, x += SK_QK_K, dst += 8) {
        const float d = amax_avx512(x, SK_QK_K) / 127.0f;
        for (int j = 0; j < 8; j++) quant_block_avx512(x + SK_QK * j, d, dst + j);
        sk_act_finish_k(dst);
    }
}
#endif
