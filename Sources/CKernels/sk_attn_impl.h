// The float kernels of sk_attention.c (exp, SwiGLU, tree attention) as plain lane
// loops: the statement of their canonical arithmetic, compiled twice, portable and
// with AVX2 + FMA (SK_IMPL_TARGET, SK_IMPL_NAME set by the includer). Every lane does
// the same IEEE operations in the same order in each build (contraction off, fused
// multiply-adds only where written as fmaf), so both give identical bits, and the
// AVX-512 intrinsics in sk_attention.c repeat them operation for operation.
//
// Included only by sk_attention.c.

#define SK_FN(name) SK_IMPL_TARGET static inline __attribute__((always_inline)) name
#define SK_CAT2(a, b) a##_##b
#define SK_CAT(a, b) SK_CAT2(a, b)
#define SK_NAME(name) SK_CAT(name, SK_IMPL_NAME)

/// exp of 16 lanes in place, in the canonical arithmetic (see sk_exp_canonical).
SK_FN(void SK_NAME(exp16))(float *x) {
    float n[16], r[16];
    int32_t e[16];
    for (int l = 0; l < 16; l++) {
        float v = x[l];
        v = v < -87.0f ? -87.0f : v;
        v = v > 88.0f ? 88.0f : v;
        float t = v * 1.44269504088896341f + 12582912.0f;     // round to nearest integer
        n[l] = t - 12582912.0f;
        r[l] = fmaf(n[l], -0.693145751953125f, v);
        r[l] = fmaf(n[l], -1.428606765330187e-06f, r[l]);
        e[l] = ((int32_t)n[l] + 127) << 23;
    }
    for (int l = 0; l < 16; l++) {
        float p = 1.0f / 5040.0f;
        p = fmaf(p, r[l], 1.0f / 720.0f);
        p = fmaf(p, r[l], 1.0f / 120.0f);
        p = fmaf(p, r[l], 1.0f / 24.0f);
        p = fmaf(p, r[l], 1.0f / 6.0f);
        p = fmaf(p, r[l], 0.5f);
        p = fmaf(p, r[l], 1.0f);
        p = fmaf(p, r[l], 1.0f);
        union { int32_t i; float f; } s = { e[l] };       // the bits of 2^n
        x[l] = p * s.f;
    }
}

/// exp of x[0..<n] in place.
SK_IMPL_TARGET static void SK_NAME(exp_n)(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        float v[16] = {0};
        const int64_t m = n - i < 16 ? n - i : 16;
        for (int64_t l = 0; l < m; l++) v[l] = x[i + l];
        SK_NAME(exp16)(v);
        for (int64_t l = 0; l < m; l++) x[i + l] = v[l];
    }
}

/// out[i] = gate[i] / (1 + exp(-gate[i])) * up[i] for i < n.
SK_IMPL_TARGET static void SK_NAME(swiglu)(const float *gate, const float *up, float *out, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        float e[16];
        for (int l = 0; l < 16; l++) e[l] = -gate[i + l];
        SK_NAME(exp16)(e);
        for (int l = 0; l < 16; l++) out[i + l] = gate[i + l] / (1.0f + e[l]) * up[i + l];
    }
    if (i < n) {
        float e[16] = {0}, g[16] = {0}, u[16] = {0};
        for (int64_t l = 0; l < n - i; l++) { g[l] = gate[i + l]; u[l] = up[i + l]; e[l] = -g[l]; }
        SK_NAME(exp16)(e);
        for (int64_t l = 0; l < n - i; l++) out[i + l] = g[l] / (1.0f + e[l]) * u[l];
    }
}

/// The canonical fold of sixteen lanes: l += l+8, l += l+4, l += l+2, l += l+1.
SK_FN(float SK_NAME(fold16))(float *a) {
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) a[l] = a[l] + a[l + w];
    return a[0];
}

/// See sk_rmsnorm in CKernels.h.
SK_IMPL_TARGET static void SK_NAME(rmsnorm)(const float *x, const float *w, float *out, int64_t n, float eps) {
    float acc[16] = {0};
    for (int64_t i = 0; i < n; i += 16)                 // zero-padded to whole 16-lane chunks
        for (int l = 0; l < 16; l++) {
            const float v = i + l < n ? x[i + l] : 0.0f;
            acc[l] = fmaf(v, v, acc[l]);
        }
    const float scale = 1.0f / sqrtf(SK_NAME(fold16)(acc) / (float)n + eps);
    for (int64_t i = 0; i < n; i++) out[i] = x[i] * scale * w[i];
}

/// See sk_attend in CKernels.h.
SK_IMPL_TARGET static void SK_NAME(attend)(const float *q, int64_t nq, const float *keys, const float *values,
                                           int64_t stride, int64_t prefix, const int32_t *ancestors, int64_t nanc,
                                           int64_t hd, float scale, float *scratch, float *out) {
    const int64_t count = prefix + nanc, padded = (count + 15) / 16 * 16;
    // scores: s[h][j] = fold16(lane sums of q_h · k_j) · scale
    for (int64_t j = 0; j < count; j++) {
        const float *k = keys + (j < prefix ? j : ancestors[j - prefix]) * stride;
        for (int64_t h = 0; h < nq; h++) {
            const float *qh = q + h * hd;
            float acc[16] = {0};
            int64_t c = 0;
            for (; c + 16 <= hd; c += 16)
                for (int l = 0; l < 16; l++) acc[l] = fmaf(qh[c + l], k[c + l], acc[l]);
            if (c < hd)                                   // zero-padded to whole 16-lane chunks
                for (int l = 0; l < 16; l++)
                    acc[l] = c + l < hd ? fmaf(qh[c + l], k[c + l], acc[l]) : fmaf(0.0f, 0.0f, acc[l]);
            scratch[h * padded + j] = SK_NAME(fold16)(acc) * scale;
        }
    }
    for (int64_t h = 0; h < nq; h++) {
        float *s = scratch + h * padded;
        // softmax weights: e_j = exp(s_j - max), summed in sixteen lanes then folded
        float m = s[0];
        for (int64_t j = 1; j < count; j++) m = s[j] > m ? s[j] : m;
        for (int64_t j = count; j < padded; j++) s[j] = m;
        float sum[16] = {0};
        for (int64_t j = 0; j < padded; j += 16) {
            for (int l = 0; l < 16; l++) s[j + l] -= m;
            SK_NAME(exp16)(s + j);
            for (int l = 0; l < 16; l++) {
                if (j + l >= count) s[j + l] = 0.0f;
                sum[l] += s[j + l];
            }
        }
        const float inv = 1.0f / SK_NAME(fold16)(sum);
        for (int64_t j = 0; j < count; j++) s[j] *= inv;
    }
    // out_h = Σ_j w_hj · v_j, keys in order
    for (int64_t h = 0; h < nq; h++)
        for (int64_t i = 0; i < hd; i++) out[h * hd + i] = 0.0f;
    for (int64_t j = 0; j < count; j++) {
        const float *v = values + (j < prefix ? j : ancestors[j - prefix]) * stride;
        for (int64_t h = 0; h < nq; h++) {
            const float w = scratch[h * padded + j];
            float *o = out + h * hd;
            for (int64_t i = 0; i < hd; i++) o[i] = fmaf(w, v[i], o[i]);
        }
    }
}

#undef SK_FN
#undef SK_CAT2
#undef SK_CAT
#undef SK_NAME
