// Packed weights for the AVX-512 kernels: a one-time copy of a quantised matrix in
// the order the kernel consumes it, so that a product does no transposing at all
// (the on-the-fly repack of sk_matmul_avx512.c costs about 30 cycles per 16 rows ×
// 32 elements, more than the dot products of 4 tokens). Every quantised type has one.
//
// Layout (the same bytes as the GGUF rows, rearranged; 64-byte aligned): tiles of 16
// rows (the last one zero-padded), each tile_bytes long, in row order. A tile is a run
// of *units*, each a whole number of zmm (64 bytes) in which lane i (dword i) belongs
// to row i of the tile:
//
//   Legacy types (unit = a pair of 32-element blocks 2p, 2p + 1; an odd last pair's
//   second block is zero and never read):
//     qs[2][V]  dword v of lane i = bytes 4v..4v+3 of row i's quants of that block
//               (Q4_0/Q4_1/Q5_0/Q5_1: V = 4, the 16 nibble bytes as stored;
//                Q8_0: V = 8, q + 128)
//     qh[2]     Q5_0/Q5_1: the 32 fifth bits, permuted so that bit v of byte c is
//               element 4v + c's (then dword v's fifth bits are one shift away)
//     d         32 fp16 scales: block 2p rows 0..15, then block 2p + 1 rows 0..15
//     m         Q4_1/Q5_1: the minimums, same order
//     Unit bytes: Q4_0 576, Q4_1 640, Q5_0 704, Q5_1 768, Q8_0 1088 (= 32 GGUF blocks).
//   K-quants (unit = a 256-element super-block, 8 blocks): zmm z lane i = dword z of
//     row i's super-block as stored, a plain 16 × n transpose: Q4_K 36 zmm (2304 bytes),
//     Q5_K 44 (2816). Q6_K is re-encoded block by block, so that it too is read in
//     address order (its own order mixes the bits of four blocks in each byte): zmm 0..3
//     the int8 scales as stored (dword s = scales 4s..4s+3); per block g, zmm 4 + 6g + v
//     (v < 4) the low four bits of elements 4v..4v+3 (low nibbles) and 16 + 4v.. (high
//     nibbles), zmm 4 + 6g + 4 + u the high two bits of elements 16u + 4v' + c at bits
//     2v'.. of byte c; zmm 52 the 16 fp16 d (half used). 3392 bytes, 1% more than stored.
//   So the packed copy is as large as the matrix (Q6_K: 1% more).
//
// The product runs each tile for groups of up to NT tokens with the sums A and M of
// every token of the group in registers over the whole row, so a tile costs, per token
// and block, 8 `vpdpbusd` and 2-4 float operations, plus a share of the weight decoding
// (nibbles, fifth/sixth bits, K-quant scales: 10-45 integer operations per block and
// group). Unsigned weights (Q4_0 q, Q5_0 q, Q6_K q) seed the integer dot with the
// activation side of their offset (−8, −16, −32 times the block's sum), so the integer
// is the exact signed dot. The arithmetic is the canonical one of sk_internal.h, block
// by block in order, so results are bit-identical to sk_matmul at every level, for any
// token count and row range.
#include "sk_internal.h"

#if SK_X86
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

enum { TR = 16, NTMAX = 8 };
/// Software prefetch of the weight stream (the packed tiles are one address-ordered
/// stream): PF_DIST bytes ahead of the unit being decoded, into L2 (prefetcht1), for
/// groups of at least pf_min_nt(type) tokens. With a few tokens a block costs about as
/// many cycles of dot products as of memory, and the hardware prefetchers alone then let
/// the two run one after the other. Into L1 (prefetcht0; probably holding the core's few
/// L1 miss buffers: this VM has no counters to show it) and 4 KB ahead, the stream still
/// stalled the dot products: one thread streaming 1024 × 1536
/// from DRAM (huge pages; scripts/kernel-cycles.sh section 3, µs per call at
/// N = 1, 3, 4, 6, 8):
///   Q4_K  none 26 34 53 94 110; L1 4 KB 26 34 43 65 74; L2 16 KB 26 28 36 54 72
///         (the compute alone at N = 4, 6, 8 in L2: 36, 53, 71)
///   Q6_K  N = 2: none 79, L2 16 KB 59; N = 4: L1 4 KB 75, L2 16 KB 47
///   Q8_0 (× 896) N = 3, 4: none 35 39, L2 16 KB 43 44; N = 6, 8: none 65 87, L2 36 45
///   (legacy types prefetch half a pair unit before each of its blocks: Q8_0 N = 8 44 → 42)
/// With one token (and two, but for Q6_K) the extra loads cost more than they bring.
#ifndef SK_PF_DIST
#define SK_PF_DIST 16384
#endif
#ifndef SK_PF_HINT
#define SK_PF_HINT _MM_HINT_T1
#endif
enum { PF_DIST = SK_PF_DIST };

/// The fewest tokens in a group for which tiles of `type` prefetch (see PF_DIST).
static inline int pf_min_nt(int type) {
#ifdef SK_PF_MIN_NT
    (void)type;
    return SK_PF_MIN_NT;
#else
    switch (type) {
    case SK_TYPE_Q6_K: return 2;
    case SK_TYPE_Q8_0: return 5;
    default: return 3;
    }
#endif
}

/// Software prefetch of [p, p + bytes) + PF_DIST, one line every 64 bytes, for groups of
/// NT tokens of `type`.
#define PREFETCH_AHEAD(p, bytes, NT, type) do { if ((NT) >= pf_min_nt(type)) \
    for (int64_t o_ = 0; o_ < (bytes); o_ += 64) _mm_prefetch((const char *)(p) + PF_DIST + o_, SK_PF_HINT); } while (0)

static int is_kquant(int type) { return type == SK_TYPE_Q4_K || type == SK_TYPE_Q5_K || type == SK_TYPE_Q6_K; }

/// Bytes of one unit (a pair of blocks, or a K-quant super-block) of a 16-row tile, or 0.
static int64_t unit_bytes(int type) {
    switch (type) {
    case SK_TYPE_Q4_0: return 576;
    case SK_TYPE_Q4_1: return 640;
    case SK_TYPE_Q5_0: return 704;
    case SK_TYPE_Q5_1: return 768;
    case SK_TYPE_Q8_0: return 1088;
    case SK_TYPE_Q4_K: return 2304;
    case SK_TYPE_Q5_K: return 2816;
    case SK_TYPE_Q6_K: return 3392;
    default: return 0;
    }
}

/// Units in a row of nb 32-element blocks.
static int64_t units(int type, int64_t nb) { return is_kquant(type) ? nb / 8 : (nb + 1) / 2; }

/// Bytes of one packed 16-row tile of rows of `k` elements (0: no packed form).
int64_t sk_packed_tile_bytes(int type, int64_t k) {
    int64_t ub = unit_bytes(type);
    if (ub == 0 || k <= 0 || k % sk_block_elements(type) != 0 || k % SK_QK != 0) return 0;
    int64_t n = units(type, k / SK_QK);
    return n * ub;
}

/// Bit v of byte c of the result = bit 4v + c of `qh` (Q5_0/Q5_1 fifth bits).
static uint32_t permute_qh(uint32_t qh) {
    uint32_t out = 0;
    for (int v = 0; v < 8; v++)
        for (int c = 0; c < 4; c++) out |= ((qh >> (4 * v + c)) & 1u) << (8 * c + v);
    return out;
}

/// Writes lane i of a packed Q6_K unit (layout above) from super-block `b` of row i.
static void pack_q6_K(const uint8_t *b, uint8_t *unit, int64_t i) {
    memcpy(unit + 4 * i, b + 192, 4);                        // scales: zmm 0..3
    memcpy(unit + 64 + 4 * i, b + 196, 4);
    memcpy(unit + 128 + 4 * i, b + 200, 4);
    memcpy(unit + 192 + 4 * i, b + 204, 4);
    memcpy(unit + 64 * 52 + 2 * i, b + 208, 2);              // d: zmm 52
    uint8_t q[256];                                          // the six-bit values, in element order
    for (int h = 0; h < 2; h++) {
        const uint8_t *ql = b + 64 * h, *qh = b + 128 + 32 * h;
        for (int l = 0; l < 32; l++) {
            q[128 * h + l] = (uint8_t)((ql[l] & 0xF) | (qh[l] & 3) << 4);
            q[128 * h + 32 + l] = (uint8_t)((ql[32 + l] & 0xF) | ((qh[l] >> 2) & 3) << 4);
            q[128 * h + 64 + l] = (uint8_t)((ql[l] >> 4) | ((qh[l] >> 4) & 3) << 4);
            q[128 * h + 96 + l] = (uint8_t)((ql[32 + l] >> 4) | ((qh[l] >> 6) & 3) << 4);
        }
    }
    for (int g = 0; g < 8; g++) {
        const uint8_t *e = q + 32 * g;
        uint8_t *blk = unit + 64 * (4 + 6 * g) + 4 * i;
        for (int v = 0; v < 4; v++)
            for (int c = 0; c < 4; c++)
                blk[64 * v + c] = (uint8_t)((e[4 * v + c] & 0xF) | (e[16 + 4 * v + c] & 0xF) << 4);
        for (int u = 0; u < 2; u++)
            for (int c = 0; c < 4; c++) {
                uint8_t x = 0;
                for (int v = 0; v < 4; v++) x |= (uint8_t)((e[16 * u + 4 * v + c] >> 4) << (2 * v));
                blk[64 * (4 + u) + c] = x;
            }
    }
}

/// Packs rows [16·t0, 16·t1) (tiles t0..<t1) of `w` into `dst` (the whole packed matrix).
void sk_pack_tiles(int type, const uint8_t *w, int64_t rows, int64_t k, uint8_t *dst,
                   int64_t t0, int64_t t1) {
    const int64_t nb = k / SK_QK, rb = k / sk_block_elements(type) * sk_block_bytes(type);
    const int64_t tb = sk_packed_tile_bytes(type, k), ub = unit_bytes(type), nu = units(type, nb);
    for (int64_t t = t0; t < t1; t++) {
        uint8_t *tile = dst + t * tb;
        memset(tile, 0, (size_t)tb);
        for (int64_t i = 0; i < TR && t * TR + i < rows; i++) {
            const uint8_t *row = w + (t * TR + i) * rb;
            if (is_kquant(type)) {
                const int64_t bb = sk_block_bytes(type), nd = bb / 4;      // whole dwords
                for (int64_t u = 0; u < nu; u++) {
                    const uint8_t *b = row + u * bb;
                    uint8_t *unit = tile + u * ub;
                    if (type == SK_TYPE_Q6_K) pack_q6_K(b, unit, i);
                    else for (int64_t z = 0; z < nd; z++) memcpy(unit + 64 * z + 4 * i, b + 4 * z, 4);
                }
                continue;
            }
            const int V = type == SK_TYPE_Q8_0 ? 8 : 4;
            const int five = type == SK_TYPE_Q5_0 || type == SK_TYPE_Q5_1;
            const int hasmin = type == SK_TYPE_Q4_1 || type == SK_TYPE_Q5_1;
            const int64_t bb = sk_block_bytes(type);
            for (int64_t j = 0; j < nb; j++) {
                const uint8_t *b = row + j * bb;
                uint8_t *pair = tile + (j / 2) * ub;
                const int h = (int)(j & 1);
                uint8_t *qs = pair + h * V * 64;
                uint16_t *d = (uint16_t *)(pair + (2 * V + 2 * five) * 64);
                d[16 * h + i] = sk_rd16(b);
                if (hasmin) d[32 + 16 * h + i] = sk_rd16(b + 2);
                const uint8_t *q = b + 2 + 2 * hasmin + 4 * five;      // the quants
                if (type == SK_TYPE_Q8_0) {
                    for (int v = 0; v < 8; v++)
                        for (int c = 0; c < 4; c++) qs[v * 64 + 4 * i + c] = (uint8_t)(q[4 * v + c] + 128);
                } else {
                    for (int v = 0; v < 4; v++) memcpy(qs + v * 64 + 4 * i, q + 4 * v, 4);
                }
                if (five) {
                    uint32_t qh;
                    memcpy(&qh, b + 2 + 2 * hasmin, 4);
                    qh = permute_qh(qh);
                    memcpy(pair + (2 * V + h) * 64 + 4 * i, &qh, 4);
                }
            }
        }
    }
}

// MARK: - Decoding

T512 INLINE __m512i lonib(__m512i q) { return _mm512_and_si512(q, _mm512_set1_epi8(0x0F)); }
T512 INLINE __m512i hinib(__m512i q) { return _mm512_and_si512(_mm512_srli_epi32(q, 4), _mm512_set1_epi8(0x0F)); }
/// Shifts each dword left (s > 0) or right (s < 0) by |s| bits.
T512 INLINE __m512i shl(__m512i v, int s) {
    return s >= 0 ? _mm512_slli_epi32(v, (unsigned)s) : _mm512_srli_epi32(v, (unsigned)-s);
}
/// a | (b & c), one instruction.
T512 INLINE __m512i or_and(__m512i a, __m512i b, __m512i c) { return _mm512_ternarylogic_epi32(a, b, c, 0xF8); }
T512 INLINE __m512i ldz(const uint8_t *p, int z) { return _mm512_load_si512(p + 64 * z); }

/// The 8 weight dwords of block h of a legacy pair (`qs`: the pair; `qh`: its fifth bits).
T512 INLINE void load_pair_w(const uint8_t *pair, int h, int type, __m512i W[8]) {
    if (type == SK_TYPE_Q8_0) {
        for (int v = 0; v < 8; v++) W[v] = ldz(pair, 8 * h + v);
        return;
    }
    for (int v = 0; v < 4; v++) {
        __m512i q = ldz(pair, 4 * h + v);
        W[v] = lonib(q);
        W[v + 4] = hinib(q);
    }
    if (type == SK_TYPE_Q5_0 || type == SK_TYPE_Q5_1) {
        const __m512i X = ldz(pair, 8 + h), m10 = _mm512_set1_epi8(0x10);
        for (int v = 0; v < 8; v++) W[v] = or_and(W[v], shl(X, 4 - v), m10);
    }
}

enum { KIND_SIGNED, KIND_MIN, KIND_Q6K };

/// One block for NT tokens: A[t] += i·(dw·dx), M[t] += e1·dsum (MIN kinds); Q6_K:
/// A[t] += (i_a·e1 + i_b·e2)·(dw·dx). The integer dot is seeded with the activation's
/// bias >> `bsh` (Q8_0 0: −128·sum; Q4_0 4; Q5_0 3; Q6_K 2 of its halves).
/// x: the block of the first token, successive tokens `nbx` blocks apart.
T512 INLINE void block(const __m512i W[8], __m512 dw, __m512 e1, __m512 e2, const sk_act_block *x,
                       int64_t nbx, __m512 *A, __m512 *M, const int NT, const int kind, const int bsh) {
#pragma clang loop unroll(full)
    for (int t = 0; t < NT; t++) {
        const sk_act_block *a = x + t * nbx;
        const int32_t *aq = (const int32_t *)a->q;
        const __m512 sc = _mm512_mul_ps(dw, _mm512_set1_ps(a->d));
        if (kind == KIND_Q6K) {
            __m512i ia = _mm512_set1_epi32(a->bias_lo >> bsh), ib = _mm512_set1_epi32(a->bias_hi >> bsh);
            for (int v = 0; v < 4; v++) {
                ia = _mm512_dpbusd_epi32(ia, W[v], _mm512_set1_epi32(aq[v]));
                ib = _mm512_dpbusd_epi32(ib, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
            }
            __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(ia), e1);
            f = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ib), e2, f);
            A[t] = _mm512_fmadd_ps(f, sc, A[t]);
            continue;
        }
        __m512i s;
        const __m512i seed = kind == KIND_SIGNED ? _mm512_set1_epi32(a->bias >> bsh) : _mm512_setzero_si512();
        if (NT <= 4) {                         // two chains: latency matters with few tokens
            __m512i s0 = seed, s1 = _mm512_setzero_si512();
            for (int v = 0; v < 4; v++) {
                s0 = _mm512_dpbusd_epi32(s0, W[v], _mm512_set1_epi32(aq[v]));
                s1 = _mm512_dpbusd_epi32(s1, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
            }
            s = _mm512_add_epi32(s0, s1);
        } else {
            s = seed;
            for (int v = 0; v < 8; v++) s = _mm512_dpbusd_epi32(s, W[v], _mm512_set1_epi32(aq[v]));
        }
        A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), sc, A[t]);
        if (kind == KIND_MIN) M[t] = _mm512_fmadd_ps(e1, _mm512_set1_ps(a->dsum), M[t]);
    }
}

static inline int kind_of(int type) {
    switch (type) {
    case SK_TYPE_Q4_1: case SK_TYPE_Q5_1: return KIND_MIN;
    case SK_TYPE_Q6_K: return KIND_Q6K;
    default: return KIND_SIGNED;     // (Q4_K, Q5_K: their own branch of tile_group)
    }
}

/// K-quant sub-block for NT tokens: I[t] += sc · (W · x_t), exact in int32 (sk_internal.h).
/// Q6_K (six = 1): the halves' dots, seeded with -32 · their activation sums, times their
/// own scales sc (elements 0..15) and sc2 (16..31). x: the sub-block's activation block of
/// the first token, successive tokens `nbx` blocks apart.
/// Cost per token: 8 vpdpbusd + 1 vpmulld + 1 vpaddd (Q6_K: 2 + 2).
/// Measured (scripts/kernel-cycles.sh, one thread, weights in L2, min of 5 interleaved runs on
/// a loaded machine): Q4_K 12.0 → 10.0 cycles per (token, 16 rows × 32) at N ≥ 8, 12.5 → 10.2
/// at N = 4, 19.8 → 15.5 at N = 1; Q6_K 13.5 → 12.3 at N ≥ 8. Tried and slower for Q4_K
/// (10.8): the two 16-element half dots (each |·| ≤ 30480) paired into int16 by one vpermt2w
/// and scaled by one vpdpwssd instead of vpaddd + vpmulld.
T512 INLINE void kblock(const __m512i W[8], __m512i sc, __m512i sc2, const sk_act_block *x, int64_t nbx,
                        __m512i *I, const int NT, const int six) {
#pragma clang loop unroll(full)
    for (int t = 0; t < NT; t++) {
        const sk_act_block *a = x + t * nbx;
        const int32_t *aq = (const int32_t *)a->q;
        if (six) {
            __m512i ia = _mm512_set1_epi32(a->bias_lo >> 2), ib = _mm512_set1_epi32(a->bias_hi >> 2);
            for (int v = 0; v < 4; v++) {
                ia = _mm512_dpbusd_epi32(ia, W[v], _mm512_set1_epi32(aq[v]));
                ib = _mm512_dpbusd_epi32(ib, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
            }
            I[t] = _mm512_add_epi32(I[t], _mm512_add_epi32(_mm512_mullo_epi32(ia, sc), _mm512_mullo_epi32(ib, sc2)));
            continue;
        }
        __m512i s;
        if (NT <= 4) {                         // two chains: latency matters with few tokens
            __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
            for (int v = 0; v < 4; v++) {
                s0 = _mm512_dpbusd_epi32(s0, W[v], _mm512_set1_epi32(aq[v]));
                s1 = _mm512_dpbusd_epi32(s1, W[v + 4], _mm512_set1_epi32(aq[v + 4]));
            }
            s = _mm512_add_epi32(s0, s1);
        } else {
            s = _mm512_setzero_si512();
            for (int v = 0; v < 8; v++) s = _mm512_dpbusd_epi32(s, W[v], _mm512_set1_epi32(aq[v]));
        }
        I[t] = _mm512_add_epi32(I[t], _mm512_mullo_epi32(s, sc));
    }
}

/// -x, exactly (the sign bit flipped).
T512 INLINE __m512 negate(__m512 x) {
    return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
}

static inline int bias_shift(int type) {
    switch (type) {
    case SK_TYPE_Q4_0: return 4;   // −8·sum
    case SK_TYPE_Q5_0: return 3;   // −16·sum
    case SK_TYPE_Q6_K: return 2;   // −32·sum of each half
    default: return 0;             // Q8_0 stored as q + 128: −128·sum
    }
}

/// NT tokens over one packed tile (nb blocks) of `type`: writes lanes `mask` of rows
/// y[t·ldy + 0..<16]. The weights are read in address order, so the hardware prefetchers
/// stream them; groups of pf_min_nt(type) or more tokens also prefetch ahead (PF_DIST),
/// so that the stream overlaps their longer compute.
T512 INLINE void tile_group(const uint8_t *tile, int64_t nb, const sk_act_block *x, int64_t nbx,
                            float *y, int64_t ldy, __mmask16 mask, const int NT,
                            const int type) {
    const int kind = kind_of(type), bsh = bias_shift(type);
    const int64_t ub = unit_bytes(type);
    __m512 A[NTMAX], M[NTMAX];
    for (int t = 0; t < NT; t++) A[t] = M[t] = _mm512_setzero_ps();
    const __m512 zero = _mm512_setzero_ps();
    if (!is_kquant(type)) {
        const int V = type == SK_TYPE_Q8_0 ? 8 : 4;
        const int dz_at = 2 * V + 2 * (type == SK_TYPE_Q5_0 || type == SK_TYPE_Q5_1);
        for (int64_t j = 0; j < nb; j += 2) {
            const uint8_t *pair = tile + (j / 2) * ub;
            PREFETCH_AHEAD(pair, ub / 2, NT, type);     // half the unit before each block
            const __m512i dz = ldz(pair, dz_at);
            const __m512i mz = kind == KIND_MIN ? ldz(pair, dz_at + 1) : dz;
            __m512i W[8];
            load_pair_w(pair, 0, type, W);
            block(W, _mm512_cvtph_ps(_mm512_castsi512_si256(dz)), _mm512_cvtph_ps(_mm512_castsi512_si256(mz)),
                  zero, x + j, nbx, A, M, NT, kind, bsh);
            if (j + 1 < nb) {
                PREFETCH_AHEAD(pair + ub / 2, ub / 2, NT, type);
                load_pair_w(pair, 1, type, W);
                block(W, _mm512_cvtph_ps(_mm512_extracti64x4_epi64(dz, 1)),
                      _mm512_cvtph_ps(_mm512_extracti64x4_epi64(mz, 1)), zero, x + j + 1, nbx, A, M, NT, kind, bsh);
            }
        }
    } else if (type == SK_TYPE_Q6_K) {
        const __m512i m0F = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
        for (int64_t J = 0; J < nb / 8; J++) {
            const uint8_t *U = tile + J * ub;
            __m512i I[NTMAX];
            for (int t = 0; t < NT; t++) I[t] = _mm512_setzero_si512();
            for (int g = 0; g < 8; g++) {
                PREFETCH_AHEAD(U + g * (ub / 8), ub / 8, NT, type);
                const uint8_t *B = U + 64 * (4 + 6 * g);
                const __m512i sd = ldz(U, g >> 1);
                const int byte = 2 * (g & 1);
                const __m512i sa = _mm512_srai_epi32(_mm512_slli_epi32(sd, 24 - 8 * byte), 24);
                const __m512i sb = _mm512_srai_epi32(_mm512_slli_epi32(sd, 16 - 8 * byte), 24);
                const __m512i X0 = ldz(B, 4), X1 = ldz(B, 5);
                __m512i W[8];
                for (int v = 0; v < 4; v++) {
                    const __m512i q = ldz(B, v);
                    W[v] = or_and(_mm512_and_si512(q, m0F), shl(X0, 4 - 2 * v), m30);
                    W[v + 4] = or_and(_mm512_and_si512(_mm512_srli_epi32(q, 4), m0F), shl(X1, 4 - 2 * v), m30);
                }
                kblock(W, sa, sb, x + 8 * J + g, nbx, I, NT, 1);
            }
            const __m512 d = _mm512_cvtph_ps(_mm256_load_si256((const __m256i *)(U + 64 * 52)));
            for (int t = 0; t < NT; t++) {
                const __m512 dx = _mm512_set1_ps(x[t * nbx + 8 * J].d);
                A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[t]), _mm512_mul_ps(d, dx), A[t]);
            }
        }
    } else {                                           // Q4_K, Q5_K
        const int five = type == SK_TYPE_Q5_K;
        const int qso = five ? 12 : 4;                 // zmm index of qs
        const __m512i m6 = _mm512_set1_epi32(63), m4 = _mm512_set1_epi32(0x0F), m30 = _mm512_set1_epi32(0x30);
        const __m512i m10 = _mm512_set1_epi8(0x10);
        // bytes 0, 1 (2, 3) of each dword → its two int16 halves
        // (vpshufb indexes within 16-byte lanes: dword p of a lane starts at byte 4p)
#define PAIR_CTL(b) _mm512_set4_epi32((int)(0x80008000u | (12u + (b)) | (13u + (b)) << 16), \
                                      (int)(0x80008000u | (8u + (b)) | (9u + (b)) << 16), \
                                      (int)(0x80008000u | (4u + (b)) | (5u + (b)) << 16), \
                                      (int)(0x80008000u | (0u + (b)) | (1u + (b)) << 16))
        const __m512i pair01 = PAIR_CTL(0), pair23 = PAIR_CTL(2);
#undef PAIR_CTL
        for (int64_t J = 0; J < nb / 8; J++) {
            const uint8_t *U = tile + J * ub;
            const __m512i s0 = ldz(U, 1), s1 = ldz(U, 2), s2 = ldz(U, 3);
            __m512i I[NTMAX];
            for (int t = 0; t < NT; t++) I[t] = _mm512_setzero_si512();
            for (int s = 0; s < 8; s++) {
                PREFETCH_AHEAD(U + s * (ub / 8), ub / 8, NT, type);
                __m512i sc;
                if (s < 4) {
                    sc = _mm512_and_si512(_mm512_srli_epi32(s0, 8 * s), m6);
                } else {
                    const int u = 8 * (s - 4);
                    sc = or_and(_mm512_and_si512(_mm512_srli_epi32(s2, u), m4), _mm512_srli_epi32(s0, u + 2), m30);
                }
                const int c = s >> 1;
                __m512i W[8];
                for (int v = 0; v < 8; v++) {
                    __m512i q = ldz(U, qso + 8 * c + v);
                    W[v] = (s & 1) ? hinib(q) : lonib(q);
                    if (five) W[v] = or_and(W[v], shl(ldz(U, 4 + v), 4 - s), m10);
                }
                kblock(W, sc, sc, x + 8 * J + s, nbx, I, NT, 0);
            }
            // The minimums, as int16 pairs (mn 2v, mn 2v + 1) for vpdpwssd with the
            // activation's int16 block sums: 4 per token and super-block.
            const __m512i lo4 = _mm512_and_si512(s1, _mm512_set1_epi8(63));     // bytes: mn 0..3
            const __m512i hi4 = or_and(_mm512_and_si512(_mm512_srli_epi32(s2, 4), _mm512_set1_epi8(0x0F)),
                                       _mm512_srli_epi32(s1, 2), _mm512_set1_epi8(0x30));  // mn 4..7
            const __m512i mp[4] = { _mm512_shuffle_epi8(lo4, pair01), _mm512_shuffle_epi8(lo4, pair23),
                                    _mm512_shuffle_epi8(hi4, pair01), _mm512_shuffle_epi8(hi4, pair23) };
            const __m512i dm = ldz(U, 0);
            const __m512 d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(dm));
            const __m512 nmin = negate(_mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(dm, 16))));
            for (int t = 0; t < NT; t++) {
                const sk_act_block *a = x + t * nbx + 8 * J;
                __m512i im = _mm512_dpwssd_epi32(_mm512_setzero_si512(), mp[0], _mm512_set1_epi32(a[0].reserved[0]));
                im = _mm512_dpwssd_epi32(im, mp[1], _mm512_set1_epi32(a[0].reserved[1]));
                im = _mm512_dpwssd_epi32(im, mp[2], _mm512_set1_epi32(a[1].reserved[0]));
                im = _mm512_dpwssd_epi32(im, mp[3], _mm512_set1_epi32(a[1].reserved[1]));
                const __m512 dx = _mm512_set1_ps(a->d);
                A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[t]), _mm512_mul_ps(d, dx), A[t]);
                A[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(im), _mm512_mul_ps(nmin, dx), A[t]);
            }
        }
    }
    for (int t = 0; t < NT; t++)
        _mm512_mask_storeu_ps(y + t * ldy, mask, kind == KIND_MIN ? _mm512_add_ps(A[t], M[t]) : A[t]);
}

typedef void (*tile_fn)(const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, __mmask16);

#define TILE_FN(NAME, TYPE, NT) \
    T512 static void tg_##NAME##_##NT(const uint8_t *tile, int64_t nb, const sk_act_block *x, int64_t nbx, \
                                      float *y, int64_t ldy, __mmask16 mask) \
    { tile_group(tile, nb, x, nbx, y, ldy, mask, NT, TYPE); }
#define TILE_FNS(NAME, TYPE) TILE_FN(NAME, TYPE, 1) TILE_FN(NAME, TYPE, 2) TILE_FN(NAME, TYPE, 3) \
    TILE_FN(NAME, TYPE, 4) TILE_FN(NAME, TYPE, 5) TILE_FN(NAME, TYPE, 6) TILE_FN(NAME, TYPE, 7) \
    TILE_FN(NAME, TYPE, 8) \
    static const tile_fn fns_##NAME[NTMAX] = { tg_##NAME##_1, tg_##NAME##_2, tg_##NAME##_3, tg_##NAME##_4, \
        tg_##NAME##_5, tg_##NAME##_6, tg_##NAME##_7, tg_##NAME##_8 };
TILE_FNS(q4_0, SK_TYPE_Q4_0)
TILE_FNS(q4_1, SK_TYPE_Q4_1)
TILE_FNS(q5_0, SK_TYPE_Q5_0)
TILE_FNS(q5_1, SK_TYPE_Q5_1)
TILE_FNS(q8_0, SK_TYPE_Q8_0)
TILE_FNS(q4_K, SK_TYPE_Q4_K)
TILE_FNS(q5_K, SK_TYPE_Q5_K)
TILE_FNS(q6_K, SK_TYPE_Q6_K)

static const tile_fn *tile_fns(int type) {
    switch (type) {
    case SK_TYPE_Q4_0: return fns_q4_0;
    case SK_TYPE_Q4_1: return fns_q4_1;
    case SK_TYPE_Q5_0: return fns_q5_0;
    case SK_TYPE_Q5_1: return fns_q5_1;
    case SK_TYPE_Q8_0: return fns_q8_0;
    case SK_TYPE_Q4_K: return fns_q4_K;
    case SK_TYPE_Q5_K: return fns_q5_K;
    case SK_TYPE_Q6_K: return fns_q6_K;
    default: return NULL;
    }
}

/// Product with packed weights over rows [r0, r1) (see sk_matmul_packed).
/// Cost per 16-row tile: one pass over its packed bytes per group of 8 tokens
/// (from memory the first time, L1 or L2 after), ~11 vector operations per token and
/// block plus the weight decoding per group.
T512 void sk_matmul_packed_avx512(int type, const uint8_t *packed, int64_t k, const sk_act_block *xq,
                                  int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t nb = k / SK_QK, tb = sk_packed_tile_bytes(type, k);
    const tile_fn *fns = tile_fns(type);
    if (!fns || tb == 0) return;
    for (int64_t t = r0 / TR; t * TR < r1; t++) {
        const int64_t base = t * TR;
        const int64_t lo = r0 > base ? r0 - base : 0, hi = r1 < base + TR ? r1 - base : TR;
        const __mmask16 mask = (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
        const uint8_t *tile = packed + t * tb;
        for (int64_t t0 = 0; t0 < ntok; t0 += NTMAX) {
            const int64_t nt = ntok - t0 < NTMAX ? ntok - t0 : NTMAX;
            fns[nt - 1](tile, nb, xq + t0 * nb, nb, y + t0 * ldy + base, ldy, mask);
        }
    }
}

#endif
