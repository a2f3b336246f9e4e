// AVX2 + FMA + F16C matrix kernels: ISA level 1.
//
// The same scheme as sk_matmul_avx512.c with 8-row tiles (one ymm lane per row),
// but without VNNI the integer dot uses vpmaddubsw (u8 × s8, pairs summed into
// saturating int16) and vpmaddwd. To keep every int16 exact the weights are kept
// small and unsigned where the type allows (raw q of Q4_0/Q5_0/Q6_K, with the
// activation-sum correction applied to the int32 seed), pair sums are added in
// int16 only as far as they cannot overflow (Q4: 8 at a time, Q5: 4, Q6: 2), and
// Q8_0 uses the sign trick |w| × sign(x, w). The integer dot is exact, and the float
// arithmetic is the canonical one, so results equal levels 0 and 2 bit for bit.
#include "sk_internal.h"

#if SK_X86
#include <immintrin.h>
#include <stdlib.h>

#define T256 __attribute__((target("avx2,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

enum { TR = 8, CHUNK = 16, NTMAX = 4 };

/// Kinds of integer dot and scaling, by weight type.
enum {
    K_Q8,     // Q8_0: sign trick
    K_Q4_0,   // raw q 0..15, seed -8·Σx
    K_Q5_0,   // raw q 0..31, seed -16·Σx
    K_MIN4,   // Q4_1: q 0..15, minimum term
    K_MIN5,   // Q5_1: q 0..31, minimum term
    K_Q6,     // Q6_K: raw q 0..63, seeds -32·Σx per half, two int scales
    K_KMIN4,  // Q4_K: q 0..15, int scales and mins
    K_KMIN5,  // Q5_K: q 0..31, int scales and mins
};

/// One repacked 32-element block of an 8-row tile.
typedef struct {
    __m256i w[8];   // unsigned weight bytes (Q8_0: |w|), dword v of lane i = elements 4v..4v+3 of row i
    __m256i ws[8];  // Q8_0 only: the signed weights
    __m256 dw;      // (8) row scales; Q4_K/Q5_K: the int32 sub-block scales; Q6_K: super-block d
    __m256 e1;      // (8) minimum term; Q4_K/Q5_K: the int32 mins; Q6_K: int32 scales of elements 0..15
    __m256 e2;      // (8) Q6_K: int32 scales of elements 16..31; Q4_K/Q5_K: d (sub-block 0), -dmin (sub-block 1)
} pblk;

// MARK: - Repacking helpers

/// Loads 16 bytes at `off` from each of the 8 rows `b + i·rb`; Q[v] lane i = dword v of row i.
T256 INLINE void tr8(const uint8_t *b, int64_t rb, int64_t off, __m256i Q[4]) {
    const uint8_t *p = b + off;
    __m256i Z[4];
    for (int a = 0; a < 4; a++)
        Z[a] = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(p + a * rb))),
                                       _mm_loadu_si128((const __m128i *)(p + (a + 4) * rb)), 1);
    __m256i t0 = _mm256_unpacklo_epi32(Z[0], Z[1]), t1 = _mm256_unpackhi_epi32(Z[0], Z[1]);
    __m256i t2 = _mm256_unpacklo_epi32(Z[2], Z[3]), t3 = _mm256_unpackhi_epi32(Z[2], Z[3]);
    Q[0] = _mm256_unpacklo_epi64(t0, t2);
    Q[1] = _mm256_unpackhi_epi64(t0, t2);
    Q[2] = _mm256_unpacklo_epi64(t1, t3);
    Q[3] = _mm256_unpackhi_epi64(t1, t3);
}

T256 INLINE __m256i gat(const uint8_t *b, __m256i idx, int64_t off) {
    return _mm256_i32gather_epi32((const int *)(const void *)(b + off), idx, 1);
}

/// fp16 in the low (hi = 0) or high half of each dword → float.
T256 INLINE __m256 h2f(__m256i g, int hi) {
    const __m256i ctl = hi ? _mm256_setr_epi8(2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1,
                                              2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1)
                           : _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1,
                                              0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1);
    __m256i p = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(g, ctl), 0x08);   // qwords 0, 2
    return _mm256_cvtph_ps(_mm256_castsi256_si128(p));
}

T256 INLINE __m256i lonib(__m256i q) { return _mm256_and_si256(q, _mm256_set1_epi8(0x0F)); }
T256 INLINE __m256i hinib(__m256i q) { return _mm256_and_si256(_mm256_srli_epi32(q, 4), _mm256_set1_epi8(0x0F)); }

/// Q5_0/Q5_1: ORs 0x10 into byte k of dword v where bit 4v+k of the lane's qh is set.
T256 INLINE __m256i q5bits(__m256i base, __m256i qh, int v) {
    const int bsel = v >> 1, sh = 4 * (v & 1);
    __m256i ctl = _mm256_add_epi8(_mm256_set1_epi8((char)bsel),
                                  _mm256_setr_epi32(0, 0x04040404, 0x08080808, 0x0C0C0C0C, 0, 0x04040404, 0x08080808, 0x0C0C0C0C));
    __m256i bits = _mm256_set1_epi32((int)((1u << sh) | (2u << sh) << 8 | (4u << sh) << 16 | (8u << sh) << 24));
    __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(qh, ctl), bits), bits);
    return _mm256_or_si256(base, _mm256_and_si256(set, _mm256_set1_epi8(0x10)));
}

T256 INLINE __m256i shl(__m256i v, int s) {
    return s >= 0 ? _mm256_slli_epi32(v, s) : _mm256_srli_epi32(v, -s);
}

// MARK: - Repacking, one function per type: blocks [j0, j0 + n) of the tile into P[0..<n]

T256 static void rp_q4(int hasmin, const uint8_t *b, int64_t rb, __m256i idx, int64_t j0, int64_t n, pblk *P) {
    const int64_t bb = hasmin ? 20 : 18, qo = hasmin ? 4 : 2;
    for (int64_t j = j0; j < j0 + n; j++, P++) {
        __m256i Q[4];
        tr8(b, rb, bb * j + qo, Q);
        __m256i g = gat(b, idx, bb * j);
        P->dw = h2f(g, 0);
        if (hasmin) P->e1 = h2f(g, 1);
        for (int v = 0; v < 4; v++) {
            P->w[v] = lonib(Q[v]);
            P->w[v + 4] = hinib(Q[v]);
        }
    }
}

T256 static void rp_q5(int hasmin, const uint8_t *b, int64_t rb, __m256i idx, int64_t j0, int64_t n, pblk *P) {
    const int64_t bb = hasmin ? 24 : 22, qho = hasmin ? 4 : 2;
    for (int64_t j = j0; j < j0 + n; j++, P++) {
        __m256i Q[4];
        tr8(b, rb, bb * j + qho + 4, Q);
        __m256i g = gat(b, idx, bb * j), qh = gat(b, idx, bb * j + qho);
        P->dw = h2f(g, 0);
        if (hasmin) P->e1 = h2f(g, 1);
        for (int v = 0; v < 4; v++) {
            P->w[v] = q5bits(lonib(Q[v]), qh, v);
            P->w[v + 4] = q5bits(hinib(Q[v]), qh, v + 4);
        }
    }
}

T256 static void rp_q8_0(const uint8_t *b, int64_t rb, __m256i idx, int64_t j0, int64_t n, pblk *P) {
    for (int64_t j = j0; j < j0 + n; j++, P++) {
        __m256i Q[4], R[4];
        tr8(b, rb, 34 * j + 2, Q);
        tr8(b, rb, 34 * j + 18, R);
        P->dw = h2f(gat(b, idx, 34 * j), 0);
        for (int v = 0; v < 4; v++) {
            P->ws[v] = Q[v];
            P->ws[v + 4] = R[v];
            P->w[v] = _mm256_abs_epi8(Q[v]);
            P->w[v + 4] = _mm256_abs_epi8(R[v]);
        }
    }
}

/// Q4_K and Q5_K: whole super-blocks (j0 and n multiples of 8).
T256 static void rp_qk(int five, const uint8_t *b, int64_t rb, __m256i idx, int64_t j0, int64_t n, pblk *P) {
    const int64_t bb = five ? 176 : 144, qso = five ? 48 : 16;
    for (int64_t J = j0 / 8; J < (j0 + n) / 8; J++, P += 8) {
        const int64_t o = bb * J;
        __m256i g = gat(b, idx, o);
        __m256 d = h2f(g, 0);
        __m256 nmin = _mm256_castsi256_ps(_mm256_xor_si256(_mm256_castps_si256(h2f(g, 1)), _mm256_set1_epi32((int)0x80000000u)));
        __m256i s0 = gat(b, idx, o + 4), s1 = gat(b, idx, o + 8), s2 = gat(b, idx, o + 12);
        const __m256i m6 = _mm256_set1_epi32(63), m4 = _mm256_set1_epi32(0x0F), m30 = _mm256_set1_epi32(0x30);
        for (int s = 0; s < 8; s++) {
            __m256i sc, mn;
            if (s < 4) {
                sc = _mm256_and_si256(_mm256_srli_epi32(s0, 8 * s), m6);
                mn = _mm256_and_si256(_mm256_srli_epi32(s1, 8 * s), m6);
            } else {
                int u = 8 * (s - 4);
                sc = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(s2, u), m4),
                                     _mm256_and_si256(_mm256_srli_epi32(s0, u + 2), m30));
                mn = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(s2, u + 4), m4),
                                     _mm256_and_si256(_mm256_srli_epi32(s1, u + 2), m30));
            }
            P[s].dw = _mm256_castsi256_ps(sc);
            P[s].e1 = _mm256_castsi256_ps(mn);
        }
        P[0].e2 = d;
        P[1].e2 = nmin;
        __m256i H[8];
        if (five) {
            tr8(b, rb, o + 16, H);
            tr8(b, rb, o + 32, H + 4);
        }
        const __m256i m10 = _mm256_set1_epi8(0x10);
        for (int c = 0; c < 4; c++) {
            __m256i Q[8];
            tr8(b, rb, o + qso + 32 * c, Q);
            tr8(b, rb, o + qso + 32 * c + 16, Q + 4);
            for (int v = 0; v < 8; v++) {
                __m256i lo = lonib(Q[v]), hi = hinib(Q[v]);
                if (five) {
                    lo = _mm256_or_si256(lo, _mm256_and_si256(shl(H[v], 4 - 2 * c), m10));
                    hi = _mm256_or_si256(hi, _mm256_and_si256(shl(H[v], 3 - 2 * c), m10));
                }
                P[2 * c].w[v] = lo;
                P[2 * c + 1].w[v] = hi;
            }
        }
    }
}

/// Q6_K: whole super-blocks; weights kept as raw q in 0..63.
T256 static void rp_q6_K(const uint8_t *b, int64_t rb, __m256i idx, int64_t j0, int64_t n, pblk *P) {
    const __m256i m30 = _mm256_set1_epi8(0x30);
    for (int64_t J = j0 / 8; J < (j0 + n) / 8; J++, P += 8) {
        const int64_t o = 210 * J;
        __m256 d = h2f(gat(b, idx, o + 206), 1);
        __m256i S[4];
        tr8(b, rb, o + 192, S);
        for (int g = 0; g < 8; g++) {
            __m256i sd = S[g >> 1];
            int byte = 2 * (g & 1);
            P[g].dw = d;
            P[g].e1 = _mm256_castsi256_ps(_mm256_srai_epi32(_mm256_slli_epi32(sd, 24 - 8 * byte), 24));
            P[g].e2 = _mm256_castsi256_ps(_mm256_srai_epi32(_mm256_slli_epi32(sd, 16 - 8 * byte), 24));
        }
        for (int h = 0; h < 2; h++) {
            __m256i H[8];
            tr8(b, rb, o + 128 + 32 * h, H);
            tr8(b, rb, o + 128 + 32 * h + 16, H + 4);
            for (int odd = 0; odd < 2; odd++) {
                __m256i Q[8];
                tr8(b, rb, o + 64 * h + 32 * odd, Q);
                tr8(b, rb, o + 64 * h + 32 * odd + 16, Q + 4);
                int p0 = odd, p1 = odd + 2;
                for (int v = 0; v < 8; v++) {
                    P[4 * h + p0].w[v] = _mm256_or_si256(lonib(Q[v]), _mm256_and_si256(shl(H[v], 4 - 2 * p0), m30));
                    P[4 * h + p1].w[v] = _mm256_or_si256(hinib(Q[v]), _mm256_and_si256(shl(H[v], 4 - 2 * p1), m30));
                }
            }
        }
    }
}

// MARK: - Token groups

/// Σ over dwords v in [v0, v1) of W[v]·x[v] added to `acc`, summing `G` pair results
/// in int16 before widening (G chosen so that no int16 sum can overflow).
T256 INLINE __m256i dot(__m256i acc, const __m256i *W, const int32_t *aq, int v0, int v1, const int G) {
    const __m256i ones = _mm256_set1_epi16(1);
    for (int v = v0; v < v1; v += G) {
        __m256i s = _mm256_maddubs_epi16(W[v], _mm256_set1_epi32(aq[v]));
        for (int u = 1; u < G; u++) s = _mm256_add_epi16(s, _mm256_maddubs_epi16(W[v + u], _mm256_set1_epi32(aq[v + u])));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(s, ones));
    }
    return acc;
}

/// NT tokens over the panel of a legacy type; see the AVX-512 version. acc: (NT, 2, 8), read and written.
T256 INLINE void group(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx,
                       float *acc, const int NT, const int kind) {
    const int hasmin = kind == K_MIN4 || kind == K_MIN5;
    __m256 A[NTMAX], M[NTMAX];
    for (int t = 0; t < NT; t++) {
        A[t] = _mm256_load_ps(acc + 16 * t);
        if (hasmin) M[t] = _mm256_load_ps(acc + 16 * t + 8);
    }
    const __m256i ones = _mm256_set1_epi16(1);
    for (int64_t j = 0; j < n; j++) {
        const pblk *p = P + j;
        __m256i W[8];
        for (int v = 0; v < 8; v++) W[v] = _mm256_load_si256(&p->w[v]);
        for (int t = 0; t < NT; t++) {
            const sk_act_block *a = x + t * nbx + j;
            const int32_t *aq = (const int32_t *)a->q;
            const __m256 sc = _mm256_mul_ps(p->dw, _mm256_set1_ps(a->d));
            __m256i s;
            switch (kind) {
            case K_Q8:
                s = _mm256_setzero_si256();
                for (int v = 0; v < 8; v++) {
                    __m256i xs = _mm256_sign_epi8(_mm256_set1_epi32(aq[v]), _mm256_load_si256(&p->ws[v]));
                    s = _mm256_add_epi32(s, _mm256_madd_epi16(_mm256_maddubs_epi16(W[v], xs), ones));
                }
                break;
            case K_Q4_0: s = dot(_mm256_set1_epi32(a->bias >> 4), W, aq, 0, 8, 8); break;
            case K_Q5_0: s = dot(_mm256_set1_epi32(a->bias >> 3), W, aq, 0, 8, 4); break;
            case K_MIN4: s = dot(_mm256_setzero_si256(), W, aq, 0, 8, 8); break;
            default:     s = dot(_mm256_setzero_si256(), W, aq, 0, 8, 4); break;
            }
            A[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), sc, A[t]);
            if (hasmin) M[t] = _mm256_fmadd_ps(p->e1, _mm256_set1_ps(a->dsum), M[t]);
        }
    }
    for (int t = 0; t < NT; t++) {
        _mm256_store_ps(acc + 16 * t, A[t]);
        if (hasmin) _mm256_store_ps(acc + 16 * t + 8, M[t]);
    }
}

/// NT tokens over a K-quant panel (whole super-blocks) in the canonical K-quant
/// arithmetic (sk_internal.h): exact int32 sums of sc · i and min · sum per super-block,
/// then one or two FMAs. acc: as in `group`.
T256 INLINE void group_k(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx,
                         float *acc, const int NT, const int kind) {
    __m256 A[NTMAX];
    for (int t = 0; t < NT; t++) A[t] = _mm256_load_ps(acc + 16 * t);
    for (int64_t j0 = 0; j0 < n; j0 += 8) {
        __m256i I[NTMAX], Im[NTMAX];
        for (int t = 0; t < NT; t++) I[t] = Im[t] = _mm256_setzero_si256();
        for (int s = 0; s < 8; s++) {
            const pblk *p = P + j0 + s;
            __m256i W[8];
            for (int v = 0; v < 8; v++) W[v] = _mm256_load_si256(&p->w[v]);
            const __m256i sc = _mm256_castps_si256(p->dw), e1 = _mm256_castps_si256(p->e1);
            for (int t = 0; t < NT; t++) {
                const sk_act_block *a = x + t * nbx + j0 + s;
                const int32_t *aq = (const int32_t *)a->q;
                if (kind == K_Q6) {
                    __m256i ia = dot(_mm256_set1_epi32(a->bias_lo >> 2), W, aq, 0, 4, 2);
                    __m256i ib = dot(_mm256_set1_epi32(a->bias_hi >> 2), W, aq, 4, 8, 2);
                    I[t] = _mm256_add_epi32(I[t], _mm256_mullo_epi32(ia, e1));
                    I[t] = _mm256_add_epi32(I[t], _mm256_mullo_epi32(ib, _mm256_castps_si256(p->e2)));
                } else {
                    __m256i d = dot(_mm256_setzero_si256(), W, aq, 0, 8, kind == K_KMIN4 ? 8 : 4);
                    I[t] = _mm256_add_epi32(I[t], _mm256_mullo_epi32(d, sc));
                    Im[t] = _mm256_add_epi32(Im[t], _mm256_mullo_epi32(_mm256_set1_epi32(a->sum), e1));
                }
            }
        }
        const __m256 d = kind == K_Q6 ? P[j0].dw : P[j0].e2, nmin = P[j0 + 1].e2;
        for (int t = 0; t < NT; t++) {
            const __m256 dx = _mm256_set1_ps(x[t * nbx + j0].d);
            A[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(I[t]), _mm256_mul_ps(d, dx), A[t]);
            if (kind != K_Q6) A[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(Im[t]), _mm256_mul_ps(nmin, dx), A[t]);
        }
    }
    for (int t = 0; t < NT; t++) _mm256_store_ps(acc + 16 * t, A[t]);
}

typedef void (*group_fn)(const pblk *, int64_t, const sk_act_block *, int64_t, float *);
#define GROUP_FN(KIND, NT) \
    T256 static void g_##KIND##_##NT(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx, float *acc) \
    { if (KIND == K_Q6 || KIND == K_KMIN4 || KIND == K_KMIN5) group_k(P, n, x, nbx, acc, NT, KIND); \
      else group(P, n, x, nbx, acc, NT, KIND); }
#define GROUP_FNS(KIND) GROUP_FN(KIND, 1) GROUP_FN(KIND, 2) GROUP_FN(KIND, 3) GROUP_FN(KIND, 4)
GROUP_FNS(K_Q8)
GROUP_FNS(K_Q4_0)
GROUP_FNS(K_Q5_0)
GROUP_FNS(K_MIN4)
GROUP_FNS(K_MIN5)
GROUP_FNS(K_Q6)
GROUP_FNS(K_KMIN4)
GROUP_FNS(K_KMIN5)
#define GROUP_ROW(KIND) { g_##KIND##_1, g_##KIND##_2, g_##KIND##_3, g_##KIND##_4 }
static const group_fn groups[8][NTMAX] = {
    GROUP_ROW(K_Q8), GROUP_ROW(K_Q4_0), GROUP_ROW(K_Q5_0), GROUP_ROW(K_MIN4), GROUP_ROW(K_MIN5), GROUP_ROW(K_Q6),
    GROUP_ROW(K_KMIN4), GROUP_ROW(K_KMIN5),
};

// MARK: - Driver

static int kind_of(int type) {
    switch (type) {
    case SK_TYPE_Q8_0: return K_Q8;
    case SK_TYPE_Q4_0: return K_Q4_0;
    case SK_TYPE_Q5_0: return K_Q5_0;
    case SK_TYPE_Q4_1: return K_MIN4;
    case SK_TYPE_Q5_1: return K_MIN5;
    case SK_TYPE_Q4_K: return K_KMIN4;
    case SK_TYPE_Q5_K: return K_KMIN5;
    default: return K_Q6;
    }
}

/// One 8-row tile, all tokens. acc: (ntok, 2, 8) sums A and M; panel: (CHUNK) scratch.
T256 static void run_tile(int type, const uint8_t *b, int64_t rb, __m256i idx, int64_t nb,
                          const sk_act_block *xq, int64_t ntok, float *acc, pblk *panel) {
    const group_fn *gf = groups[kind_of(type)];
    for (int64_t t = 0; t < 2 * ntok; t++) _mm256_store_ps(acc + 8 * t, _mm256_setzero_ps());
    for (int64_t jc = 0; jc < nb; jc += CHUNK) {
        int64_t n = nb - jc < CHUNK ? nb - jc : CHUNK;
        switch (type) {
        case SK_TYPE_Q4_0: rp_q4(0, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q4_1: rp_q4(1, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q5_0: rp_q5(0, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q5_1: rp_q5(1, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q8_0: rp_q8_0(b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q4_K: rp_qk(0, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q5_K: rp_qk(1, b, rb, idx, jc, n, panel); break;
        case SK_TYPE_Q6_K: rp_q6_K(b, rb, idx, jc, n, panel); break;
        default: return;
        }
        for (int64_t t0 = 0; t0 < ntok; t0 += NTMAX) {
            int64_t nt = ntok - t0 < NTMAX ? ntok - t0 : NTMAX;
            gf[nt - 1](panel, n, xq + t0 * nb + jc, nb, acc + 16 * t0);
        }
    }
}

/// Quantised product, AVX2. Same contract and structure as sk_matmul_q_avx512.
T256 void sk_matmul_q_avx2(int type, const uint8_t *w, int64_t k, const sk_act_block *xq,
                           int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    if (r1 <= r0 || ntok <= 0) return;
    const int64_t nb = k / SK_QK, rb = k / sk_block_elements(type) * sk_block_bytes(type);
    _Alignas(64) pblk panel[CHUNK];
    _Alignas(64) float accbuf[64 * 16];
    float *acc = ntok <= 64 ? accbuf : aligned_alloc(64, (size_t)ntok * 16 * sizeof(float)); // (ntok, 2, 8)
    if (!acc) return;
    const __m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)rb));
    uint8_t *pad = NULL;          // (8, rb): zero-padded copy when fewer than 8 rows exist
    for (int64_t r = r0; r < r1; r += TR) {
        int64_t start = r;
        const uint8_t *b;
        if (r + TR <= r1) {
            b = w + start * rb;
        } else if (r1 >= TR) {
            start = r1 - TR;
            b = w + start * rb;
        } else {
            start = 0;
            pad = calloc(TR, (size_t)rb);
            if (!pad) break;
            memcpy(pad, w, (size_t)(r1 * rb));
            b = pad;
        }
        run_tile(type, b, rb, idx, nb, xq, ntok, acc, panel);
        int64_t lo = r - start, hi = (r1 < r + TR ? r1 : r + TR) - start;
        const int hasmin = kind_of(type) == K_MIN4 || kind_of(type) == K_MIN5;
        for (int64_t t = 0; t < ntok; t++)
            for (int64_t i = lo; i < hi; i++)
                y[t * ldy + start + i] = hasmin ? acc[16 * t + i] + acc[16 * t + 8 + i] : acc[16 * t + i];
    }
    free(pad);
    if (acc != accbuf) free(acc);
}

// MARK: - Float weights

/// Eight weights of a float type starting at element i of `row`, zero past `k`.
T256 INLINE __m256 ldw8(int type, const uint8_t *row, int64_t i, int64_t k) {
    if (k - i >= 8) {
        switch (type) {
        case SK_TYPE_F16: return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + 2 * i)));
        case SK_TYPE_BF16:
            return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(row + 2 * i))), 16));
        default: return _mm256_loadu_ps((const float *)(const void *)(row + 4 * i));
        }
    }
    float tmp[8] = {0};
    for (int64_t l = 0; l < 8 && i + l < k; l++) {
        const uint8_t *p = row + (type == SK_TYPE_F32 ? 4 : 2) * (i + l);
        tmp[l] = type == SK_TYPE_F16 ? sk_fp16_to_fp32(sk_rd16(p)) : type == SK_TYPE_BF16 ? sk_bf16_to_fp32(sk_rd16(p)) : *(const float *)(const void *)p;
    }
    return _mm256_loadu_ps(tmp);
}

T256 INLINE __m256 ldx8(const float *x, int64_t i, int64_t k) {
    if (k - i >= 8) return _mm256_loadu_ps(x + i);
    float tmp[8] = {0};
    for (int64_t l = 0; l < 8 && i + l < k; l++) tmp[l] = x[i + l];
    return _mm256_loadu_ps(tmp);
}

/// The canonical fold of lanes 0..7 (lo) and 8..15 (hi).
T256 INLINE float fold16(__m256 lo, __m256 hi) {
    __m256 h = _mm256_add_ps(lo, hi);
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}

/// Float-weight product, AVX2: sixteen lanes as two ymm, two tokens at a time.
T256 void sk_matmul_f_avx2(int type, const uint8_t *w, int64_t k, const float *x,
                           int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t es = type == SK_TYPE_F32 ? 4 : 2;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * k * es;
        int64_t t = 0;
        for (; t + 2 <= ntok; t += 2) {
            __m256 a0 = _mm256_setzero_ps(), b0 = a0, a1 = a0, b1 = a0;
            const float *x0 = x + t * k, *x1 = x0 + k;
            for (int64_t i = 0; i < k; i += 16) {
                __m256 w0 = ldw8(type, row, i, k), w1 = ldw8(type, row, i + 8, k);
                a0 = _mm256_fmadd_ps(w0, ldx8(x0, i, k), a0);
                b0 = _mm256_fmadd_ps(w1, ldx8(x0, i + 8, k), b0);
                a1 = _mm256_fmadd_ps(w0, ldx8(x1, i, k), a1);
                b1 = _mm256_fmadd_ps(w1, ldx8(x1, i + 8, k), b1);
            }
            y[t * ldy + r] = fold16(a0, b0);
            y[(t + 1) * ldy + r] = fold16(a1, b1);
        }
        for (; t < ntok; t++) {
            __m256 a0 = _mm256_setzero_ps(), b0 = a0;
            const float *x0 = x + t * k;
            for (int64_t i = 0; i < k; i += 16) {
                a0 = _mm256_fmadd_ps(ldw8(type, row, i, k), ldx8(x0, i, k), a0);
                b0 = _mm256_fmadd_ps(ldw8(type, row, i + 8, k), ldx8(x0, i + 8, k), b0);
            }
            y[t * ldy + r] = fold16(a0, b0);
        }
    }
}

#endif
