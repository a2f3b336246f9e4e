#ifndef SPECTREE_SK_AVX512_H
#define SPECTREE_SK_AVX512_H
// Private to CKernels: AVX-512 helpers shared by the kernels of ISA level 2.
// Each kernel file keeps its own target attribute; these carry the smallest
// one they need (avx512f) and inline into any function whose target includes it.
#include <immintrin.h>

/// The canonical fold of sixteen lane sums: l += l+8, l += l+4, l += l+2, l += l+1
/// (sk_internal.h states why every level folds in this order). Cost: 4 adds, 4 shuffles.
__attribute__((target("avx512f"), always_inline)) static inline float sk_fold16_avx512(__m512 a) {
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(a), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}

#endif
