// AVX-512 (F, BW, VL, VNNI) matrix kernels: ISA level 2.
// (Quantised matrices loaded by TransformerWeights are normally multiplied
// through their packed copies instead, sk_packed_avx512.c, which skip the repacking
// below; this path serves the other types and unpacked callers, with the same bits.)
//
// Layout of the work. Rows are taken 16 at a time (a tile: one zmm lane per row).
// For a chunk of up to 16 consecutive 32-element blocks the tile is repacked,
// in registers, into a panel: per block, eight zmm of unsigned bytes where dword
// v of lane i holds elements 4v..4v+3 of row i (signed weights offset by +128),
// plus the row scales as floats. Every token then runs over the panel, which stays
// in L1: per block and token, eight `vpdpbusd` with the activation dwords broadcast
// from memory give the exact integer dot of all 16 rows at once, and two or three
// float operations apply the scales (sk_internal.h states the arithmetic). So each
// weight byte is read from memory once per call whatever the number of tokens, and
// per (16 rows × 32 elements × token) the cost is 8 dot instructions + ~3 float ones.
//
// Batch invariance: a lane's operations never depend on the other lanes, on the
// token group it is computed in, or on the chunking, so y[t, r] is the same bits for
// any ntok and any row range.
#include "sk_internal.h"

#if SK_X86
#include "sk_avx512.h"
#include <stdlib.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

enum { TR = 16,        // rows per tile
       CHUNK = 16,     // 32-blocks per panel (a multiple of 8, for K-quant super-blocks)
       NTMAX = 8 };    // tokens per register group (more spill: 8 W + 2·NT accumulators)

enum { KIND_SIGNED, KIND_MIN, KIND_Q6K, KIND_KMIN };


/// One repacked 32-element block of a tile: 704 bytes, 64-byte aligned.
typedef struct {
    __m512i w[8];   // unsigned weight bytes, dword v of lane i = elements 4v..4v+3 of row i
    __m512 dw;      // (16) row scales; Q4_K/Q5_K: the int32 sub-block scales; Q6_K: super-block d
    __m512 e1;      // (16) MIN: minimum term mw; Q4_K/Q5_K: the int32 mins; Q6_K: int32 scales of elements 0..15
    __m512 e2;      // (16) Q6_K: int32 scales of elements 16..31; Q4_K/Q5_K: d (sub-block 0), -dmin (sub-block 1)
} pblk;

// MARK: - Repacking helpers

/// Loads 16 bytes at `off` from each of the 16 rows `b + i·rb` and transposes them:
/// Q[v] lane i = dword v of row i. Cost: 4 loads, 12 inserts, 8 unpacks.
T512 INLINE void tr16(const uint8_t *b, int64_t rb, int64_t off, __m512i Q[4]) {
    const uint8_t *p = b + off;
    __m512i Z[4];
    for (int a = 0; a < 4; a++) {
        __m512i z = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(p + a * rb)));
        z = _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + (a + 4) * rb)), 1);
        z = _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + (a + 8) * rb)), 2);
        z = _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + (a + 12) * rb)), 3);
        Z[a] = z;
    }
    __m512i t0 = _mm512_unpacklo_epi32(Z[0], Z[1]), t1 = _mm512_unpackhi_epi32(Z[0], Z[1]);
    __m512i t2 = _mm512_unpacklo_epi32(Z[2], Z[3]), t3 = _mm512_unpackhi_epi32(Z[2], Z[3]);
    Q[0] = _mm512_unpacklo_epi64(t0, t2);
    Q[1] = _mm512_unpackhi_epi64(t0, t2);
    Q[2] = _mm512_unpacklo_epi64(t1, t3);
    Q[3] = _mm512_unpackhi_epi64(t1, t3);
}

/// Transposes `n` ≥ 4 consecutive dwords starting at byte `off` of each of the 16 rows:
/// D[c] lane i = dword c of row i. Reads only bytes [off, off + 4n) of each row.
/// Cost: ceil(n / 4) transposes of 16 bytes.
T512 INLINE void cols(const uint8_t *b, int64_t rb, int64_t off, int n, __m512i *D) {
    for (int c = 0; c < n; c += 4) {
        int s = c + 4 <= n ? c : n - 4;
        tr16(b, rb, off + 4 * s, D + s);
    }
}

/// Prefetch cursor: the next tile's bytes, fetched a slice per repacked block.
typedef struct { const char *p; int64_t off, end, per_block; } pf_t;

/// Prefetches (into L2) the next tile's slice for `nblk` more blocks.
T512 INLINE void pf_step(pf_t *pf, int64_t nblk) {
    int64_t stop = pf->off + nblk * pf->per_block;
    if (stop > pf->end) stop = pf->end;
    for (; pf->off < stop; pf->off += 64) _mm_prefetch(pf->p + pf->off, _MM_HINT_T1);
}

/// fp16 in the low (hi = 0) or high half of each dword → float.
T512 INLINE __m512 h2f(__m512i g, int hi) {
    if (hi) g = _mm512_srli_epi32(g, 16);
    return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(g));
}

T512 INLINE __m512i lonib(__m512i q) { return _mm512_and_si512(q, _mm512_set1_epi8(0x0F)); }
T512 INLINE __m512i hinib(__m512i q) { return _mm512_and_si512(_mm512_srli_epi32(q, 4), _mm512_set1_epi8(0x0F)); }

/// For Q5_0/Q5_1: adds 0x10 to byte k of dword v where bit 4v+k of the lane's qh is set.
T512 INLINE __m512i q5bits(__m512i base, __m512i qh, int v) {
    // Replicate byte v/2 of every dword into its four bytes, then test bit 4(v&1)+k of byte k.
    const int sh = 4 * (v & 1);
    __m512i ctl = _mm512_add_epi8(_mm512_set1_epi8((char)(v >> 1)),
                                  _mm512_set4_epi32(0x0C0C0C0C, 0x08080808, 0x04040404, 0));
    __m512i bits = _mm512_set1_epi32((int)((1u << sh) | (2u << sh) << 8 | (4u << sh) << 16 | (8u << sh) << 24));
    __mmask64 m = _mm512_test_epi8_mask(_mm512_shuffle_epi8(qh, ctl), bits);
    return _mm512_mask_add_epi8(base, m, base, _mm512_set1_epi8(0x10));
}

/// Shifts each dword left (s > 0) or right (s < 0) by |s| bits.
T512 INLINE __m512i shl(__m512i v, int s) {
    return s >= 0 ? _mm512_slli_epi32(v, (unsigned)s) : _mm512_srli_epi32(v, (unsigned)-s);
}

/// Splits four transposed dwords of nibbles into the eight weight dwords of a block.
T512 INLINE void nibbles(const __m512i *Q, __m512i off, pblk *P) {
    for (int v = 0; v < 4; v++) {
        P->w[v] = _mm512_add_epi8(lonib(Q[v]), off);
        P->w[v + 4] = _mm512_add_epi8(hinib(Q[v]), off);
    }
}

// MARK: - Repacking, one function per type: blocks [j0, j0 + n) of the tile into P[0..<n]
// No gathers (slow on many Intel parts since the 2023 microcode): every field comes
// out of transposes of whole dwords of each row.

/// Q4_0 (18 bytes: d, 16 nibble bytes): a transpose for d and one for the nibbles.
T512 static void rp_q4_0(const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const __m512i off = _mm512_set1_epi8(120);                 // (q - 8) + 128
    for (int64_t j = j0; j < j0 + n; j++, P++) {
        pf_step(pf, 1);
        __m512i H[4], Q[4];
        tr16(b, rb, 18 * j, H);                                // H[0] low half: d
        tr16(b, rb, 18 * j + 2, Q);
        P->dw = h2f(H[0], 0);
        nibbles(Q, off, P);
    }
}

/// Q4_1 (20 bytes = 5 dwords: d|m, 4 nibble dwords): up to four blocks per 5 transposes.
T512 static void rp_q4_1(const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const __m512i zero = _mm512_setzero_si512();
    for (int64_t j = j0; j < j0 + n; j += 4) {
        int nj = j0 + n - j < 4 ? (int)(j0 + n - j) : 4;
        pf_step(pf, nj);
        __m512i D[20];
        cols(b, rb, 20 * j, 5 * nj, D);
        for (int u = 0; u < nj; u++, P++) {
            P->dw = h2f(D[5 * u], 0);
            P->e1 = h2f(D[5 * u], 1);
            nibbles(D + 5 * u + 1, zero, P);
        }
    }
}

/// Q5_0 (22 bytes: d, qh, nibbles) and Q5_1 (24 bytes = 6 dwords: d|m, qh, nibbles).
T512 static void rp_q5(int hasmin, const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const __m512i off = _mm512_set1_epi8(hasmin ? 0 : 112);    // Q5_0: (q - 16) + 128
    for (int64_t j = j0; j < j0 + n; j += hasmin ? 2 : 1) {
        int nj = hasmin && j + 1 < j0 + n ? 2 : 1;
        pf_step(pf, nj);
        __m512i D[12], qh[2], *Q[2];
        if (hasmin) {
            cols(b, rb, 24 * j, 6 * nj, D);
            for (int u = 0; u < nj; u++) { qh[u] = D[6 * u + 1]; Q[u] = D + 6 * u + 2; }
        } else {
            tr16(b, rb, 22 * j, D);                            // d | qh[0..1], qh[2..3] | ...
            tr16(b, rb, 22 * j + 6, D + 4);
            qh[0] = _mm512_or_si512(_mm512_srli_epi32(D[0], 16), _mm512_slli_epi32(D[1], 16));
            Q[0] = D + 4;
        }
        for (int u = 0; u < nj; u++, P++) {
            __m512i g = D[hasmin ? 6 * u : 0];
            P->dw = h2f(g, 0);
            if (hasmin) P->e1 = h2f(g, 1);
            for (int v = 0; v < 4; v++) {
                P->w[v] = q5bits(_mm512_add_epi8(lonib(Q[u][v]), off), qh[u], v);
                P->w[v + 4] = q5bits(_mm512_add_epi8(hinib(Q[u][v]), off), qh[u], v + 4);
            }
        }
    }
}

/// Q8_0 (34 bytes: d, 32 int8): three transposes per block.
T512 static void rp_q8_0(const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);         // q + 128
    for (int64_t j = j0; j < j0 + n; j++, P++) {
        pf_step(pf, 1);
        __m512i H[4], Q[8];
        tr16(b, rb, 34 * j, H);                                // H[0] low half: d
        tr16(b, rb, 34 * j + 2, Q);
        tr16(b, rb, 34 * j + 18, Q + 4);
        P->dw = h2f(H[0], 0);
        for (int v = 0; v < 8; v++) P->w[v] = _mm512_xor_si512(Q[v], flip);
    }
}

/// Q4_K (144 bytes = 36 dwords) and Q5_K (176 = 44): whole super-blocks (j0, n multiples of 8).
T512 static void rp_qk(int five, const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const int64_t bb = five ? 176 : 144;
    const int qso = five ? 12 : 4;                              // dword index of qs
    for (int64_t J = j0 / 8; J < (j0 + n) / 8; J++, P += 8) {
        pf_step(pf, 8);
        __m512i D[44];
        cols(b, rb, bb * J, five ? 44 : 36, D);
        __m512 d = h2f(D[0], 0);
        __m512 nmin = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(h2f(D[0], 1)), _mm512_set1_epi32((int)0x80000000u)));
        const __m512i s0 = D[1], s1 = D[2], s2 = D[3];
        const __m512i m6 = _mm512_set1_epi32(63), m4 = _mm512_set1_epi32(0x0F), m30 = _mm512_set1_epi32(0x30);
        for (int s = 0; s < 8; s++) {
            __m512i sc, mn;
            if (s < 4) {
                sc = _mm512_and_si512(_mm512_srli_epi32(s0, 8 * s), m6);
                mn = _mm512_and_si512(_mm512_srli_epi32(s1, 8 * s), m6);
            } else {
                int u = 8 * (s - 4);
                sc = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(s2, u), m4),
                                     _mm512_and_si512(_mm512_srli_epi32(s0, u + 2), m30));
                mn = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(s2, u + 4), m4),
                                     _mm512_and_si512(_mm512_srli_epi32(s1, u + 2), m30));
            }
            P[s].dw = _mm512_castsi512_ps(sc);
            P[s].e1 = _mm512_castsi512_ps(mn);
        }
        P[0].e2 = d;
        P[1].e2 = nmin;
        const __m512i m10 = _mm512_set1_epi8(0x10);
        for (int c = 0; c < 4; c++) {
            const __m512i *Q = D + qso + 8 * c, *H = D + 4;
            for (int v = 0; v < 8; v++) {
                __m512i lo = lonib(Q[v]), hi = hinib(Q[v]);
                if (five) {                                    // bit s of each qh byte → bit 4
                    lo = _mm512_ternarylogic_epi32(lo, shl(H[v], 4 - 2 * c), m10, 0xF8);
                    hi = _mm512_ternarylogic_epi32(hi, shl(H[v], 3 - 2 * c), m10, 0xF8);
                }
                P[2 * c].w[v] = lo;
                P[2 * c + 1].w[v] = hi;
            }
        }
    }
}

/// Q6_K (210 bytes): whole super-blocks (j0, n multiples of 8).
T512 static void rp_q6_K(const uint8_t *b, int64_t rb, int64_t j0, int64_t n, pblk *P, pf_t *pf) {
    const __m512i off = _mm512_set1_epi8(96), m30 = _mm512_set1_epi8(0x30);   // (q - 32) + 128
    for (int64_t J = j0 / 8; J < (j0 + n) / 8; J++, P += 8) {
        pf_step(pf, 8);
        const int64_t o = 210 * J;
        __m512i S[4], T[4];
        tr16(b, rb, o + 192, S);                               // the 16 int8 scales
        tr16(b, rb, o + 194, T);                               // T[3] high half: d
        __m512 d = h2f(T[3], 1);
        for (int g = 0; g < 8; g++) {
            __m512i sd = S[g >> 1];
            int byte = 2 * (g & 1);
            P[g].dw = d;
            P[g].e1 = _mm512_castsi512_ps(_mm512_srai_epi32(_mm512_slli_epi32(sd, 24 - 8 * byte), 24));
            P[g].e2 = _mm512_castsi512_ps(_mm512_srai_epi32(_mm512_slli_epi32(sd, 16 - 8 * byte), 24));
        }
        for (int h = 0; h < 2; h++) {
            __m512i H[8];
            cols(b, rb, o + 128 + 32 * h, 8, H);
            for (int odd = 0; odd < 2; odd++) {                // groups p = odd and p = odd + 2
                __m512i Q[8];
                cols(b, rb, o + 64 * h + 32 * odd, 8, Q);
                int p0 = odd, p1 = odd + 2;
                for (int v = 0; v < 8; v++) {
                    __m512i lo = _mm512_ternarylogic_epi32(lonib(Q[v]), shl(H[v], 4 - 2 * p0), m30, 0xF8);
                    __m512i hi = _mm512_ternarylogic_epi32(hinib(Q[v]), shl(H[v], 4 - 2 * p1), m30, 0xF8);
                    P[4 * h + p0].w[v] = _mm512_add_epi8(lo, off);
                    P[4 * h + p1].w[v] = _mm512_add_epi8(hi, off);
                }
            }
        }
    }
}

// MARK: - Token groups over a panel

/// Runs NT tokens over the panel P (n blocks) of a legacy type. x: the first token's activation
/// blocks for this chunk, successive tokens `nbx` blocks apart; acc: (NT, 2, 16)
/// running sums A and M, read and written. Cost per block and token: 8 vpdpbusd + 2-4 float ops.
T512 INLINE void group(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx,
                       float *acc, const int NT, const int kind) {
    __m512 A[NTMAX], M[NTMAX];
    for (int t = 0; t < NT; t++) {
        A[t] = _mm512_load_ps(acc + 32 * t);
        if (kind == KIND_MIN) M[t] = _mm512_load_ps(acc + 32 * t + 16);
    }
    for (int64_t j = 0; j < n; j++) {
        const pblk *p = P + j;
        __m512i W[8];
        for (int v = 0; v < 8; v++) W[v] = _mm512_load_si512(&p->w[v]);
        const __m512 dw = p->dw, e1 = p->e1;
        for (int t = 0; t < NT; t++) {
            const sk_act_block *a = x + t * nbx + j;
            const int32_t *aq = (const int32_t *)a->q;
            const __m512 sc = _mm512_mul_ps(dw, _mm512_set1_ps(a->d));
            {
                __m512i s0 = kind == KIND_SIGNED ? _mm512_set1_epi32(a->bias) : _mm512_setzero_si512();
                if (NT <= 4) {                     // two chains: latency matters with few tokens
                    __m512i s1 = _mm512_setzero_si512();
                    for (int v = 0; v < 4; v++) {
                        s0 = _mm512_dpbusd_epi32(s0, W[v], _mm512_set1_epi32(aq[v]));
                        s1 = _mm512_dpbusd_epi32(s1, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
                    }
                    s0 = _mm512_add_epi32(s0, s1);
                } else {
                    for (int v = 0; v < 8; v++) s0 = _mm512_dpbusd_epi32(s0, W[v], _mm512_set1_epi32(aq[v]));
                }
                A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0), sc, A[t]);
                if (kind == KIND_MIN) M[t] = _mm512_fmadd_ps(e1, _mm512_set1_ps(a->dsum), M[t]);
            }
        }
    }
    for (int t = 0; t < NT; t++) {
        _mm512_store_ps(acc + 32 * t, A[t]);
        if (kind == KIND_MIN) _mm512_store_ps(acc + 32 * t + 16, M[t]);
    }
}

/// NT tokens over the K-quant panel P (n blocks, whole super-blocks), in the canonical
/// K-quant arithmetic (sk_internal.h): per super-block the exact int32 sums of
/// sc · i (vpmulld) and min · sum, then one or two FMAs. acc: as in `group`.
T512 INLINE void group_k(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx,
                         float *acc, const int NT, const int kind) {
    __m512 A[NTMAX];
    for (int t = 0; t < NT; t++) A[t] = _mm512_load_ps(acc + 32 * t);
    for (int64_t j0 = 0; j0 < n; j0 += 8) {
        __m512i I[NTMAX], Im[NTMAX];
        for (int t = 0; t < NT; t++) I[t] = Im[t] = _mm512_setzero_si512();
        for (int s = 0; s < 8; s++) {
            const pblk *p = P + j0 + s;
            __m512i W[8];
            for (int v = 0; v < 8; v++) W[v] = _mm512_load_si512(&p->w[v]);
            const __m512i sc = _mm512_castps_si512(p->dw), e1 = _mm512_castps_si512(p->e1);
            for (int t = 0; t < NT; t++) {
                const sk_act_block *a = x + t * nbx + j0 + s;
                const int32_t *aq = (const int32_t *)a->q;
                if (kind == KIND_Q6K) {
                    __m512i ia = _mm512_set1_epi32(a->bias_lo), ib = _mm512_set1_epi32(a->bias_hi);
                    for (int v = 0; v < 4; v++) {
                        ia = _mm512_dpbusd_epi32(ia, W[v], _mm512_set1_epi32(aq[v]));
                        ib = _mm512_dpbusd_epi32(ib, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
                    }
                    I[t] = _mm512_add_epi32(I[t], _mm512_mullo_epi32(ia, e1));
                    I[t] = _mm512_add_epi32(I[t], _mm512_mullo_epi32(ib, _mm512_castps_si512(p->e2)));
                } else {
                    __m512i d = _mm512_setzero_si512();
                    for (int v = 0; v < 8; v++) d = _mm512_dpbusd_epi32(d, W[v], _mm512_set1_epi32(aq[v]));
                    I[t] = _mm512_add_epi32(I[t], _mm512_mullo_epi32(d, sc));
                    Im[t] = _mm512_add_epi32(Im[t], _mm512_mullo_epi32(_mm512_set1_epi32(a->sum), e1));
                }
            }
        }
        const __m512 d = kind == KIND_Q6K ? P[j0].dw : P[j0].e2, nmin = P[j0 + 1].e2;
        for (int t = 0; t < NT; t++) {
            const __m512 dx = _mm512_set1_ps(x[t * nbx + j0].d);
            A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[t]), _mm512_mul_ps(d, dx), A[t]);
            if (kind == KIND_KMIN) A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(Im[t]), _mm512_mul_ps(nmin, dx), A[t]);
        }
    }
    for (int t = 0; t < NT; t++) _mm512_store_ps(acc + 32 * t, A[t]);
}

typedef void (*group_fn)(const pblk *, int64_t, const sk_act_block *, int64_t, float *);

#define GROUP_FN(KIND, NT) \
    T512 static void g_##KIND##_##NT(const pblk *P, int64_t n, const sk_act_block *x, int64_t nbx, float *acc) \
    { if (KIND == KIND_Q6K || KIND == KIND_KMIN) group_k(P, n, x, nbx, acc, NT, KIND); \
      else group(P, n, x, nbx, acc, NT, KIND); }
#define GROUP_FNS(KIND) \
    GROUP_FN(KIND, 1) GROUP_FN(KIND, 2) GROUP_FN(KIND, 3) GROUP_FN(KIND, 4) GROUP_FN(KIND, 5) \
    GROUP_FN(KIND, 6) GROUP_FN(KIND, 7) GROUP_FN(KIND, 8)
GROUP_FNS(KIND_SIGNED)
GROUP_FNS(KIND_MIN)
GROUP_FNS(KIND_Q6K)
GROUP_FNS(KIND_KMIN)
#define GROUP_ROW(KIND) { g_##KIND##_1, g_##KIND##_2, g_##KIND##_3, g_##KIND##_4, g_##KIND##_5, \
    g_##KIND##_6, g_##KIND##_7, g_##KIND##_8 }
static const group_fn groups[4][NTMAX] = { GROUP_ROW(KIND_SIGNED), GROUP_ROW(KIND_MIN), GROUP_ROW(KIND_Q6K),
                                            GROUP_ROW(KIND_KMIN) };

// MARK: - Driver

static int kind_of(int type) {
    switch (type) {
    case SK_TYPE_Q4_1: case SK_TYPE_Q5_1: return KIND_MIN;
    case SK_TYPE_Q4_K: case SK_TYPE_Q5_K: return KIND_KMIN;
    case SK_TYPE_Q6_K: return KIND_Q6K;
    default: return KIND_SIGNED;
    }
}

/// One tile: 16 rows starting at `b` (rows `rb` bytes apart), all tokens.
/// acc: (ntok, 2, 16) receives the sums A and M, lane i = row i. panel: (CHUNK) scratch.
/// `next`: the following tile's first row (or NULL), prefetched a slice per chunk so that
/// memory streams while this tile computes.
T512 static void run_tile(int type, const uint8_t *b, int64_t rb, int64_t nb,
                          const sk_act_block *xq, int64_t ntok, float *acc, pblk *panel,
                          const uint8_t *next) {
    const group_fn *gf = groups[kind_of(type)];
    for (int64_t t = 0; t < 2 * ntok; t++) _mm512_store_ps(acc + 16 * t, _mm512_setzero_ps());
    pf_t pf = { (const char *)next, 0, next ? TR * rb : 0, (TR * rb + nb - 1) / nb };
    for (int64_t jc = 0; jc < nb; jc += CHUNK) {
        int64_t n = nb - jc < CHUNK ? nb - jc : CHUNK;
        switch (type) {
        case SK_TYPE_Q4_0: rp_q4_0(b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q4_1: rp_q4_1(b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q5_0: rp_q5(0, b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q5_1: rp_q5(1, b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q8_0: rp_q8_0(b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q4_K: rp_qk(0, b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q5_K: rp_qk(1, b, rb, jc, n, panel, &pf); break;
        case SK_TYPE_Q6_K: rp_q6_K(b, rb, jc, n, panel, &pf); break;
        default: return;
        }
        for (int64_t t0 = 0; t0 < ntok; t0 += NTMAX) {
            int64_t nt = ntok - t0 < NTMAX ? ntok - t0 : NTMAX;
            gf[nt - 1](panel, n, xq + t0 * nb + jc, nb, acc + 32 * t0);
        }
    }
}

/// Quantised product, AVX-512 VNNI. See sk_matmul; w: (rows, row bytes), xq: (ntok, k/32)
/// blocks, y: (ntok, ldy). Cost: one pass over the weights of rows [r0, r1) (rounded up to
/// whole 16-row tiles) plus ~12 instructions per (16 rows × 32 elements × token).
T512 void sk_matmul_q_avx512(int type, const uint8_t *w, int64_t k, const sk_act_block *xq,
                             int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    if (r1 <= r0 || ntok <= 0) return;
    const int64_t nb = k / SK_QK, rb = k / sk_block_elements(type) * sk_block_bytes(type);
    _Alignas(64) pblk panel[CHUNK];
    _Alignas(64) float accbuf[64 * 32];
    float *acc = ntok <= 64 ? accbuf : aligned_alloc(64, (size_t)ntok * 32 * sizeof(float)); // (ntok, 2, 16)
    if (!acc) return;
    uint8_t *pad = NULL;          // (16, rb): a zero-padded copy when the matrix has < 16 rows
    for (int64_t r = r0; r < r1; r += TR) {
        int64_t start = r;        // first row of the tile actually computed
        const uint8_t *b;
        if (r + TR <= r1) {
            b = w + start * rb;
        } else if (r1 >= TR) {    // last partial tile: shift back over rows already done
            start = r1 - TR;
            b = w + start * rb;
        } else {                  // fewer than 16 rows exist before r1
            start = 0;
            pad = calloc(TR, (size_t)rb);
            if (!pad) break;
            memcpy(pad, w, (size_t)(r1 * rb));
            b = pad;
        }
        // The next tile of this range streams into L2 while this one computes.
        const uint8_t *next = !pad && r + TR < r1 ? w + (r + TR + TR <= r1 ? r + TR : r1 - TR) * rb : NULL;
        run_tile(type, b, rb, nb, xq, ntok, acc, panel, next);
        // Store lanes for rows [r, min(r + 16, r1)).
        int64_t lo = r - start, hi = (r1 < r + TR ? r1 : r + TR) - start;
        __mmask16 m = (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
        const int hasmin = kind_of(type) == KIND_MIN;
        for (int64_t t = 0; t < ntok; t++) {
            __m512 v = _mm512_load_ps(acc + 32 * t);
            if (hasmin) v = _mm512_add_ps(v, _mm512_load_ps(acc + 32 * t + 16));
            _mm512_mask_storeu_ps(y + t * ldy + start, m, v);
        }
    }
    free(pad);
    if (acc != accbuf) free(acc);
}

// MARK: - Float weights

/// Loads 16 (or `rem` < 16, zero-filled) weights of a float type as floats.
T512 INLINE __m512 ldw(int type, const uint8_t *p, __mmask16 m) {
    switch (type) {
    case SK_TYPE_F16: return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
    case SK_TYPE_BF16: return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
    default: return _mm512_maskz_loadu_ps(m, p);
    }
}

/// Float-weight product, AVX-512. Rows outer, four tokens at a time inner, so each
/// weight row is converted once per four tokens and read from memory once.
T512 void sk_matmul_f_avx512(int type, const uint8_t *w, int64_t k, const float *x,
                             int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t es = type == SK_TYPE_F32 ? 4 : 2;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * k * es;
        int64_t t = 0;
        for (; t + 4 <= ntok; t += 4) {
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            const float *x0 = x + t * k;
            for (int64_t i = 0; i < k; i += 16) {
                __mmask16 m = k - i >= 16 ? 0xFFFF : (__mmask16)((1u << (k - i)) - 1);
                __m512 wv = ldw(type, row + i * es, m);
                a0 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(m, x0 + i), a0);
                a1 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(m, x0 + k + i), a1);
                a2 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(m, x0 + 2 * k + i), a2);
                a3 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(m, x0 + 3 * k + i), a3);
            }
            y[t * ldy + r] = sk_fold16_avx512(a0);
            y[(t + 1) * ldy + r] = sk_fold16_avx512(a1);
            y[(t + 2) * ldy + r] = sk_fold16_avx512(a2);
            y[(t + 3) * ldy + r] = sk_fold16_avx512(a3);
        }
        for (; t < ntok; t++) {
            __m512 a0 = _mm512_setzero_ps();
            const float *x0 = x + t * k;
            for (int64_t i = 0; i < k; i += 16) {
                __mmask16 m = k - i >= 16 ? 0xFFFF : (__mmask16)((1u << (k - i)) - 1);
                a0 = _mm512_fmadd_ps(ldw(type, row + i * es, m), _mm512_maskz_loadu_ps(m, x0 + i), a0);
            }
            y[t * ldy + r] = sk_fold16_avx512(a0);
        }
    }
}

#endif
