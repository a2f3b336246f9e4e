// Float kernels of the transformer outside the matrix products: a vectorised exp
// in one canonical arithmetic, SwiGLU, and tree attention over the KV cache.
// sk_attn_impl.h states them as plain lane loops (the portable and AVX2 builds);
// the AVX-512 versions here repeat the same operations lane by lane, so every
// level gives the same bits (tested in AttentionKernelTests).
#include "sk_internal.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define SK_IMPL_TARGET
#define SK_IMPL_NAME portable
#include "sk_attn_impl.h"
#undef SK_IMPL_TARGET
#undef SK_IMPL_NAME

#if SK_X86
#define SK_IMPL_TARGET __attribute__((target("avx2,fma")))
#define SK_IMPL_NAME avx2
#include "sk_attn_impl.h"
#undef SK_IMPL_TARGET
#undef SK_IMPL_NAME

#define T512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma")))
#define INLINE static inline __attribute__((always_inline))
#include "sk_avx512.h"

/// exp16 of sk_attn_impl.h, lane for lane: the same operations in the same order.
T512 INLINE __m512 exp16v(__m512 v) {
    const __m512 lo = _mm512_set1_ps(-87.0f), hi = _mm512_set1_ps(88.0f), magic = _mm512_set1_ps(12582912.0f);
    v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, lo, _CMP_LT_OQ), lo);
    v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, hi, _CMP_GT_OQ), hi);
    __m512 t = _mm512_add_ps(_mm512_mul_ps(v, _mm512_set1_ps(1.44269504088896341f)), magic);
    __m512 n = _mm512_sub_ps(t, magic);
    __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(-0.693145751953125f), v);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(-1.428606765330187e-06f), r);
    __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127)), 23);
    __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_mul_ps(p, _mm512_castsi512_ps(e));
}

T512 static void exp_n_avx512(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, m, exp16v(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

T512 static void swiglu_avx512(const float *gate, const float *up, float *out, int64_t n) {
    const __m512 one = _mm512_set1_ps(1.0f), neg = _mm512_set1_ps(-0.0f);
    for (int64_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
        __m512 e = exp16v(_mm512_xor_ps(g, neg));
        _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(one, e)), _mm512_maskz_loadu_ps(m, up + i)));
    }
}

/// The first min(n, 16) lanes.
T512 INLINE __mmask16 lane_mask(int64_t n) { return n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1); }

T512 static void rmsnorm_avx512(const float *x, const float *w, float *out, int64_t n, float eps) {
    __m512 acc = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) {
        const __m512 v = _mm512_maskz_loadu_ps(lane_mask(n - i), x + i);
        acc = _mm512_fmadd_ps(v, v, acc);
    }
    const __m512 scale = _mm512_set1_ps(1.0f / sqrtf(sk_fold16_avx512(acc) / (float)n + eps));
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = lane_mask(n - i);
        _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), scale),
                                                        _mm512_maskz_loadu_ps(m, w + i)));
    }
}

enum { HG = 4 };   // query heads whose value sums are kept in registers together

/// Sixteen canonical fold16s at once: lane i of the result = sk_fold16_avx512(a[i]), bit for bit
/// (the same pairs added at each of the four steps, two accumulators per shuffle).
/// Cost: 45 operations instead of 128.
T512 INLINE __m512 fold16x16(const __m512 a[16]) {
    __m512 t[8], u[4], v[2];
    for (int i = 0; i < 8; i++)            // l += l+8: [acc 2i | acc 2i+1], 8 lanes each
        t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a[2 * i], a[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(a[2 * i], a[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int i = 0; i < 4; i++)            // l += l+4: 128-bit lane m = acc 4i+m, 4 lanes
        u[i] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    for (int i = 0; i < 2; i++)            // l += l+2: 128-bit lane m = [acc 8i+m, acc 8i+4+m], 2 lanes each
        v[i] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    // l += l+1: 128-bit lane m = accs [m, 4+m, 8+m, 12+m]; then into order.
    __m512 w = _mm512_add_ps(_mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), w);
}

/// out_h[0..<min(64, rem)] = Σ_j fmaf(w_h[j], v_j[·], ·) for NH heads, keys in order (the
/// prefix slots, then the ancestors), sums in registers. w: (NH, wstride) weights;
/// v: value row of slot 0 at this 64-float offset; out: (NH, ostride).
T512 INLINE void value_sums(const float *w, int64_t wstride, const float *v, int64_t stride, int64_t prefix,
                            const int32_t *ancestors, int64_t nanc, int64_t rem, int64_t ostride, float *out,
                            const int NH) {
    const int nc = rem >= 64 ? 4 : (int)((rem + 15) / 16);
    __mmask16 mk[4];
    for (int c = 0; c < 4; c++) mk[c] = c < nc ? lane_mask(rem - 16 * c) : 0;
    __m512 o[4][4];
    for (int h = 0; h < NH; h++)
        for (int c = 0; c < 4; c++) o[h][c] = _mm512_setzero_ps();
#define SK_VALUE_STEP(row, j)                                                                   \
    do {                                                                                        \
        const float *vr_ = (row);                                                               \
        __m512 vv_[4];                                                                          \
        for (int c = 0; c < 4; c++) vv_[c] = _mm512_maskz_loadu_ps(mk[c], vr_ + 16 * c);        \
        for (int h = 0; h < NH; h++) {                                                          \
            const __m512 wj_ = _mm512_set1_ps(w[h * wstride + (j)]);                            \
            for (int c = 0; c < 4; c++) o[h][c] = _mm512_fmadd_ps(wj_, vv_[c], o[h][c]);        \
        }                                                                                       \
    } while (0)
    for (int64_t j = 0; j < prefix; j++) SK_VALUE_STEP(v + j * stride, j);
    for (int64_t a = 0; a < nanc; a++) SK_VALUE_STEP(v + (int64_t)ancestors[a] * stride, prefix + a);
#undef SK_VALUE_STEP
    for (int h = 0; h < NH; h++)
        for (int c = 0; c < nc; c++) _mm512_mask_storeu_ps(out + h * ostride + 16 * c, mk[c], o[h][c]);
}

/// attend of sk_attn_impl.h in AVX-512: the same operations per query, lane for lane.
/// Scores are made sixteen keys at a time (one fold16x16); values are read once per
/// group of HG heads and 64 floats of head. Inlined with hd = 64 as a constant.
T512 INLINE void attend_body(const float *q, int64_t nq, const float *keys, const float *values,
                             int64_t stride, int64_t prefix, const int32_t *ancestors, int64_t nanc,
                             const int64_t hd, float scale, float *scratch, float *out) {
    const int64_t count = prefix + nanc, padded = (count + 15) / 16 * 16;
    const __m512 vscale = _mm512_set1_ps(scale);
    // scores, sixteen keys at a time (lanes past count repeat the last key; their
    // scores are replaced below before they are used); all heads of a group of keys
    // in turn, so that its 16 key rows come from memory once and from L1 after
    for (int64_t j0 = 0; j0 < count; j0 += 16) {
        const float *k[16];
        for (int i = 0; i < 16; i++) {
            const int64_t j = j0 + i < count ? j0 + i : count - 1;
            k[i] = keys + (j < prefix ? j : ancestors[j - prefix]) * stride;
        }
        for (int64_t h = 0; h < nq; h++) {
            const float *qh = q + h * hd;
            __m512 acc[16];
            for (int i = 0; i < 16; i++) acc[i] = _mm512_setzero_ps();
            for (int64_t c = 0; c < hd; c += 16) {        // zero-padded to whole 16-lane chunks
                const __mmask16 m = lane_mask(hd - c);
                const __m512 qc = _mm512_maskz_loadu_ps(m, qh + c);
                for (int i = 0; i < 16; i++) acc[i] = _mm512_fmadd_ps(qc, _mm512_maskz_loadu_ps(m, k[i] + c), acc[i]);
            }
            _mm512_storeu_ps(scratch + h * padded + j0, _mm512_mul_ps(fold16x16(acc), vscale));
        }
    }
    // softmax weights
    for (int64_t h = 0; h < nq; h++) {
        float *s = scratch + h * padded;
        // The maximum, sixteen lanes at a time: the same value as the portable scan
        // (max is exact; a tie of -0 and +0 gives the same s - m either way).
        __m512 vmax = _mm512_set1_ps(-INFINITY);
        for (int64_t j = 0; j < count; j += 16)
            vmax = _mm512_max_ps(vmax, _mm512_mask_loadu_ps(vmax, lane_mask(count - j), s + j));
        const __m512 vm = _mm512_set1_ps(_mm512_reduce_max_ps(vmax));
        __m512 sum = _mm512_setzero_ps();
        for (int64_t j = 0; j < padded; j += 16) {
            __mmask16 live = count - j >= 16 ? 0xFFFF : (__mmask16)((1u << (count - j)) - 1);
            __m512 e = exp16v(_mm512_sub_ps(_mm512_mask_loadu_ps(vm, live, s + j), vm));
            e = _mm512_maskz_mov_ps(live, e);
            sum = _mm512_add_ps(sum, e);
            _mm512_storeu_ps(s + j, e);
        }
        const __m512 inv = _mm512_set1_ps(1.0f / sk_fold16_avx512(sum));
        for (int64_t j = 0; j < padded; j += 16) _mm512_storeu_ps(s + j, _mm512_mul_ps(_mm512_loadu_ps(s + j), inv));
    }
    // values: per group of up to HG heads and 64 floats, sums in registers over all keys
    for (int64_t h0 = 0; h0 < nq; h0 += HG) {
        const int64_t nh = nq - h0 < HG ? nq - h0 : HG;
        for (int64_t c0 = 0; c0 < hd; c0 += 64) {
            const float *w = scratch + h0 * padded;
            float *o = out + h0 * hd + c0;
            const float *v = values + c0;
            switch (nh) {
            case 1: value_sums(w, padded, v, stride, prefix, ancestors, nanc, hd - c0, hd, o, 1); break;
            case 2: value_sums(w, padded, v, stride, prefix, ancestors, nanc, hd - c0, hd, o, 2); break;
            case 3: value_sums(w, padded, v, stride, prefix, ancestors, nanc, hd - c0, hd, o, 3); break;
            default: value_sums(w, padded, v, stride, prefix, ancestors, nanc, hd - c0, hd, o, 4); break;
            }
        }
    }
}

T512 static void attend_avx512(const float *q, int64_t nq, const float *keys, const float *values,
                               int64_t stride, int64_t prefix, const int32_t *ancestors, int64_t nanc,
                               int64_t hd, float scale, float *scratch, float *out) {
    if (hd == 64)
        attend_body(q, nq, keys, values, stride, prefix, ancestors, nanc, 64, scale, scratch, out);
    else
        attend_body(q, nq, keys, values, stride, prefix, ancestors, nanc, hd, scale, scratch, out);
}
#endif

void sk_exp(float *x, int64_t n) {
    switch (sk_isa_level()) {
#if SK_X86
    case 2: exp_n_avx512(x, n); return;
    case 1: exp_n_avx2(x, n); return;
#endif
    default: exp_n_portable(x, n); return;
    }
}

void sk_swiglu(const float *gate, const float *up, float *out, int64_t n) {
    switch (sk_isa_level()) {
#if SK_X86
    case 2: swiglu_avx512(gate, up, out, n); return;
    case 1: swiglu_avx2(gate, up, out, n); return;
#endif
    default: swiglu_portable(gate, up, out, n); return;
    }
}

void sk_rmsnorm(const float *x, const float *w, float *out, int64_t n, float eps) {
    switch (sk_isa_level()) {
#if SK_X86
    case 2: rmsnorm_avx512(x, w, out, n, eps); return;
    case 1: rmsnorm_avx2(x, w, out, n, eps); return;
#endif
    default: rmsnorm_portable(x, w, out, n, eps); return;
    }
}

void sk_attend(const float *q, int64_t nq, const float *keys, const float *values, int64_t stride,
               int64_t prefix, const int32_t *ancestors, int64_t nanc, int64_t hd, float scale,
               float *scratch, float *out) {
    if (prefix + nanc <= 0 || nq <= 0 || hd <= 0) return;
    switch (sk_isa_level()) {
#if SK_X86
    case 2: attend_avx512(q, nq, keys, values, stride, prefix, ancestors, nanc, hd, scale, scratch, out); return;
    case 1: attend_avx2(q, nq, keys, values, stride, prefix, ancestors, nanc, hd, scale, scratch, out); return;
#endif
    default: attend_portable(q, nq, keys, values, stride, prefix, ancestors, nanc, hd, scale, scratch, out); return;
    }
}
