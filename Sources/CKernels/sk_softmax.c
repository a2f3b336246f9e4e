// Softmax over a vocabulary row: the maximum, the shifted exponentials with
// their sum, and the rescale. What sampling spends its time on (151936 entries
// per row on the Qwen models, several rows per speculative step).
//
// Every level computes each exponential with the same float operations in the
// same order (multiplications and additions only, no FMA, no library call), and
// the sum the same way: sixteen float lane sums over blocks of 1024 entries
// (lane l takes the entries ≡ l mod 16), each block's lanes added in order into
// a double, then the tail entries one by one. So all levels give identical bits.
#include "sk_internal.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define SK_EXP_FLOOR (-87.0f)       // e^-87 ≈ 1.6e-38: below it, 0
#define SK_EXP_MAGIC 12582912.0f    // 1.5 · 2^23: adding it rounds to an integer
#define SK_LOG2E 1.44269504f
#define SK_LN2_HI 0.693145751953125f // ln 2 to 16 bits: k · hi is exact for |k| < 2^8
#define SK_LN2_LO 1.42860677e-6f     // ln 2 − hi
#define SK_BLOCK 1024

// e^z for z ≤ 0 within 2 ulp, 0 below −87 (Cody and Waite's reduction
// z = k·ln 2 + r, |r| ≤ ln 2 / 2; e^r by its Taylor polynomial to degree 7,
// remainder under 6·10⁻⁹ relative; 2^k built in the exponent bits).
static inline float exp_portable(float z) {
    float zc = z < SK_EXP_FLOOR ? SK_EXP_FLOOR : z;
    float shifted = zc * SK_LOG2E + SK_EXP_MAGIC;
    float k = shifted - SK_EXP_MAGIC;
    float r = (zc - k * SK_LN2_HI) - k * SK_LN2_LO;
    float p = 1.0f / 5040;
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t sb, mb;
    float magic = SK_EXP_MAGIC;
    memcpy(&sb, &shifted, 4);
    memcpy(&mb, &magic, 4);
    uint32_t bits = (uint32_t)(sb - mb + 127) << 23;
    float two_k;
    memcpy(&two_k, &bits, 4);
    return z < SK_EXP_FLOOR ? 0.0f : p * two_k;
}

static float max_scalar(const float *x, int64_t n) {
    float m = -INFINITY;
    for (int64_t i = 0; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

static double exp_sum_tail(const float *x, float *y, int64_t i, int64_t n, float shift, float scale, double total) {
    for (; i < n; i++) {
        float e = exp_portable((x[i] - shift) * scale);
        y[i] = e;
        total += (double)e;
    }
    return total;
}

static double exp_sum_scalar(const float *x, float *y, int64_t n, float shift, float scale) {
    int64_t full = n - n % 16, i = 0;
    double total = 0;
    while (i < full) {
        float lane[16] = {0};
        int64_t end = i + SK_BLOCK < full ? i + SK_BLOCK : full;
        for (; i < end; i += 16)
            for (int l = 0; l < 16; l++) {
                float e = exp_portable((x[i + l] - shift) * scale);
                y[i + l] = e;
                lane[l] += e;
            }
        for (int l = 0; l < 16; l++) total += (double)lane[l];
    }
    return exp_sum_tail(x, y, i, n, shift, scale, total);
}

#if SK_X86
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline __m256 exp_avx2(__m256 z) {
    __m256 floor = _mm256_set1_ps(SK_EXP_FLOOR), magic = _mm256_set1_ps(SK_EXP_MAGIC);
    __m256 under = _mm256_cmp_ps(z, floor, _CMP_LT_OQ);
    __m256 zc = _mm256_max_ps(z, floor);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(zc, _mm256_set1_ps(SK_LOG2E)), magic);
    __m256 k = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_sub_ps(_mm256_sub_ps(zc, _mm256_mul_ps(k, _mm256_set1_ps(SK_LN2_HI))),
                             _mm256_mul_ps(k, _mm256_set1_ps(SK_LN2_LO)));
    __m256 p = _mm256_set1_ps(1.0f / 5040);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 720));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 120));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 24));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 6));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(0.5f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    __m256i kb = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(magic));
    __m256 two_k = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(kb, _mm256_set1_epi32(127)), 23));
    return _mm256_andnot_ps(under, _mm256_mul_ps(p, two_k));
}

__attribute__((target("avx2,fma")))
static float max_avx2(const float *x, int64_t n) {
    __m256 m = _mm256_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(x + i));
    float lanes[8];
    _mm256_storeu_ps(lanes, m);
    float best = max_scalar(lanes, 8), rest = max_scalar(x + i, n - i);
    return rest > best ? rest : best;
}

__attribute__((target("avx2,fma")))
static double exp_sum_avx2(const float *x, float *y, int64_t n, float shift, float scale) {
    int64_t full = n - n % 16, i = 0;
    __m256 vs = _mm256_set1_ps(shift), vc = _mm256_set1_ps(scale);
    double total = 0;
    while (i < full) {
        __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();  // lanes 0..<8, 8..<16
        int64_t end = i + SK_BLOCK < full ? i + SK_BLOCK : full;
        for (; i < end; i += 16) {
            __m256 e0 = exp_avx2(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vs), vc));
            __m256 e1 = exp_avx2(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), vs), vc));
            _mm256_storeu_ps(y + i, e0);
            _mm256_storeu_ps(y + i + 8, e1);
            lo = _mm256_add_ps(lo, e0);
            hi = _mm256_add_ps(hi, e1);
        }
        float lane[16];
        _mm256_storeu_ps(lane, lo);
        _mm256_storeu_ps(lane + 8, hi);
        for (int l = 0; l < 16; l++) total += (double)lane[l];
    }
    return exp_sum_tail(x, y, i, n, shift, scale, total);
}

__attribute__((target("avx512f")))
static inline __m512 exp_avx512(__m512 z) {
    __m512 floor = _mm512_set1_ps(SK_EXP_FLOOR), magic = _mm512_set1_ps(SK_EXP_MAGIC);
    __mmask16 under = _mm512_cmp_ps_mask(z, floor, _CMP_LT_OQ);
    __m512 zc = _mm512_max_ps(z, floor);
    __m512 shifted = _mm512_add_ps(_mm512_mul_ps(zc, _mm512_set1_ps(SK_LOG2E)), magic);
    __m512 k = _mm512_sub_ps(shifted, magic);
    __m512 r = _mm512_sub_ps(_mm512_sub_ps(zc, _mm512_mul_ps(k, _mm512_set1_ps(SK_LN2_HI))),
                             _mm512_mul_ps(k, _mm512_set1_ps(SK_LN2_LO)));
    __m512 p = _mm512_set1_ps(1.0f / 5040);
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 720));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 120));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 24));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 6));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(0.5f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    __m512i kb = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_castps_si512(magic));
    __m512 two_k = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(kb, _mm512_set1_epi32(127)), 23));
    return _mm512_maskz_mul_ps((__mmask16)~under, p, two_k);
}

__attribute__((target("avx512f")))
static float max_avx512(const float *x, int64_t n) {
    __m512 m = _mm512_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) m = _mm512_max_ps(m, _mm512_loadu_ps(x + i));
    float best = _mm512_reduce_max_ps(m), rest = max_scalar(x + i, n - i);
    return rest > best ? rest : best;
}

__attribute__((target("avx512f")))
static double exp_sum_avx512(const float *x, float *y, int64_t n, float shift, float scale) {
    int64_t full = n - n % 16, i = 0;
    __m512 vs = _mm512_set1_ps(shift), vc = _mm512_set1_ps(scale);
    double total = 0;
    while (i < full) {
        __m512 acc = _mm512_setzero_ps();
        int64_t end = i + SK_BLOCK < full ? i + SK_BLOCK : full;
        for (; i < end; i += 16) {
            __m512 e = exp_avx512(_mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), vs), vc));
            _mm512_storeu_ps(y + i, e);
            acc = _mm512_add_ps(acc, e);
        }
        float lane[16];
        _mm512_storeu_ps(lane, acc);
        for (int l = 0; l < 16; l++) total += (double)lane[l];
    }
    return exp_sum_tail(x, y, i, n, shift, scale, total);
}
#endif

float sk_max_f32(const float *x, int64_t n) {
#if SK_X86
    switch (sk_isa_level()) {
    case 2: return max_avx512(x, n);
    case 1: return max_avx2(x, n);
    default: break;
    }
#endif
    return max_scalar(x, n);
}

double sk_exp_sum_f32(const float *x, float *y, int64_t n, float shift, float scale) {
#if SK_X86
    switch (sk_isa_level()) {
    case 2: return exp_sum_avx512(x, y, n, shift, scale);
    case 1: return exp_sum_avx2(x, y, n, shift, scale);
    default: break;
    }
#endif
    return exp_sum_scalar(x, y, n, shift, scale);
}

void sk_scale_f32(float *y, int64_t n, float factor) {
    for (int64_t i = 0; i < n; i++) y[i] *= factor;
}
