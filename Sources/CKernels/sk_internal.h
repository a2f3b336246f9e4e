#ifndef SPECTREE_SK_INTERNAL_H
#define SPECTREE_SK_INTERNAL_H
// Private to CKernels: GGML block structs, the activation block, fp16/bf16
// conversion, and the per-instruction-set kernel tables the dispatcher picks from.
//
// The canonical arithmetic (shared by every ISA level, so that all levels give
// bit-identical results; sk_matmul_scalar.c is its plain statement):
//
// Legacy quantised weights (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0; activations by sk_quantize_act,
// one scale dx_j per 32-block), for output (token t, row r), over the 32-element blocks j
// of the row in order, starting at A = M = +0:
//   i_j  = Σ w_q · x_q               exact integer dot (weights as signed integers)
//   s_j  = dw_j * dx_j               float product (weight scale × activation scale)
//   A    = fmaf((float)i_j, s_j, A)
//   M    = fmaf(m_j, dsum_j, M)      Q4_1, Q5_1 only (their per-block minimum m)
// y = A + M for Q4_1/Q5_1, else y = A. (Two chains rather than one: each block then
// adds one FMA latency, not two, to the longest dependency chain.)
//
// K-quants (Q4_K, Q5_K, Q6_K; activations by sk_quantize_act_k, one scale dx_J per
// 256-element super-block J), over the super-blocks J in order, starting at A = +0,
// with the integer sums of the super-block exact in int32:
//   Q4_K, Q5_K (32-element sub-blocks s with 6-bit scale sc_s and min mn_s, q ≥ 0):
//     isum = Σ_s sc_s · i_s,  i_s = Σ q · x_q            |isum| ≤ 8·63·32·31·127 < 2^26
//     imin = Σ_s mn_s · sum_s (sum_s: the activation block's Σ x_q) |imin| ≤ 8·63·4064 < 2^22
//     A = fmaf((float)isum, d_w * dx_J, A)
//     A = fmaf((float)imin, (-dmin_w) * dx_J, A)
//   Q6_K (16-element halves h with int8 scale sc_h, q in 0..63 stored with offset 32):
//     isum = Σ_h sc_h · i_h,  i_h = Σ (q - 32) · x_q     |isum| ≤ 16·128·16·32·127 < 2^28
//     (the -32 folded in by seeding each half's dot with -32 · its activation sum)
//     A = fmaf((float)isum, d_w * dx_J, A)
// y = A. (One float step per super-block and token instead of one or two per 32-block:
// the integer products (vpdpbusd, then vpmulld by the sub-block scale) carry the rest;
// (float)isum rounds to nearest even when |isum| > 2^24, the same at every level.)
//
// Float weights (F32, F16, BF16): sixteen lane sums, lane l taking the
// elements k ≡ l (mod 16) in order with fmaf (the row zero-padded to a multiple
// of 16), then folded l += l+8, l += l+4, l += l+2, l += l+1.
#include "CKernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#define SK_X86 1
#else
#define SK_X86 0
#endif

#define SK_QK 32    // elements per activation block and per (sub-)block of every kernel
#define SK_QK_K 256 // elements per K-quant super-block

// MARK: - GGML block layouts (ggml-common.h); fp16 fields are raw IEEE half bits.

typedef struct { uint16_t d; uint8_t qs[16]; } sk_block_q4_0;                 // w = d·(q - 8)
typedef struct { uint16_t d, m; uint8_t qs[16]; } sk_block_q4_1;              // w = d·q + m
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } sk_block_q5_0;  // w = d·(q - 16)
typedef struct { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; } sk_block_q5_1; // w = d·q + m
typedef struct { uint16_t d; int8_t qs[32]; } sk_block_q8_0;                  // w = d·q
// Nibble order of the 32-blocks: byte i holds element i (low) and element i + 16 (high);
// qh bit i is bit 4 of element i.
typedef struct {                      // w = d·sc·q - dmin·m per 32-element sub-block
    uint16_t d, dmin;
    uint8_t scales[12];               // 8 six-bit scales and 8 six-bit mins, packed
    uint8_t qs[128];                  // chunk c of 64: low nibbles sub-block 2c, high 2c+1
} sk_block_q4_K;
typedef struct {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qh[32];                   // bit s of qh[l]: fifth bit of element l of sub-block s
    uint8_t qs[128];
} sk_block_q5_K;
typedef struct {                      // w = d·sc·(q - 32) per 16-element sub-block
    uint8_t ql[128];                  // low 4 bits
    uint8_t qh[64];                   // high 2 bits
    int8_t scales[16];
    uint16_t d;
} sk_block_q6_K;

_Static_assert(sizeof(sk_block_q4_0) == 18, "q4_0");
_Static_assert(sizeof(sk_block_q4_1) == 20, "q4_1");
_Static_assert(sizeof(sk_block_q5_0) == 22, "q5_0");
_Static_assert(sizeof(sk_block_q5_1) == 24, "q5_1");
_Static_assert(sizeof(sk_block_q8_0) == 34, "q8_0");
_Static_assert(sizeof(sk_block_q4_K) == 144, "q4_K");
_Static_assert(sizeof(sk_block_q5_K) == 176, "q5_K");
_Static_assert(sizeof(sk_block_q6_K) == 210, "q6_K");
_Static_assert(sizeof(sk_act_block) == 64, "act block");

// MARK: - Half-precision conversion (exact, portable)

/// fp16 bits → float, exact for every input (subnormals, inf, NaN). Cost: a few integer ops.
static inline float sk_fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu, bits;
    if (exp == 0x1F) {
        bits = sign | 0x7F800000u | (man << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else {                                  // subnormal: renormalise
        int e = -1;
        do { man <<= 1; e++; } while (!(man & 0x400u));
        bits = sign | ((uint32_t)(112 - e) << 23) | ((man & 0x3FFu) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/// float → fp16 bits, round to nearest even (for tests and tools; kernels never need it).
static inline uint16_t sk_fp32_to_fp16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, ax = x & 0x7FFFFFFFu;
    if (ax >= 0x7F800000u) return (uint16_t)(sign | 0x7C00u | (ax > 0x7F800000u ? 0x200u : 0));
    if (ax >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u);       // rounds to infinity
    if (ax < 0x38800000u) {                                         // subnormal or zero
        uint32_t shift = 113u - (ax >> 23);
        if (shift > 12) return (uint16_t)sign;                      // below half the least subnormal
        uint32_t man = (ax & 0x7FFFFFu) | 0x800000u;
        uint32_t r = man >> (shift + 13), rem = man & ((1u << (shift + 13)) - 1), half = 1u << (shift + 12);
        if (rem > half || (rem == half && (r & 1))) r++;
        return (uint16_t)(sign | r);
    }
    uint32_t r = ((ax >> 13) - (112u << 10));
    uint32_t rem = ax & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (r & 1))) r++;
    return (uint16_t)(sign | r);
}

/// bf16 bits → float (exact: bf16 is the top half of a float).
static inline float sk_bf16_to_fp32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t sk_rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

// MARK: - Kernel tables

/// Quantised product over rows [r0, r1) for every token; see sk_matmul.
typedef void (*sk_matmul_q_fn)(int type, const uint8_t *w, int64_t k, const sk_act_block *xq,
                               int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1);
/// Float-weight product over rows [r0, r1) for every token; see sk_matmul.
typedef void (*sk_matmul_f_fn)(int type, const uint8_t *w, int64_t k, const float *x,
                               int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1);
/// Activation quantisation of one row of n floats (n a multiple of 32).
typedef void (*sk_quant_act_fn)(const float *x, sk_act_block *dst, int64_t n);

void sk_matmul_q_scalar(int, const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_matmul_f_scalar(int, const uint8_t *, int64_t, const float *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_quantize_act_scalar(const float *, sk_act_block *, int64_t);
void sk_quantize_act_k_scalar(const float *, sk_act_block *, int64_t);
#if SK_X86
void sk_matmul_q_avx2(int, const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_matmul_f_avx2(int, const uint8_t *, int64_t, const float *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_quantize_act_avx2(const float *, sk_act_block *, int64_t);
void sk_quantize_act_k_avx2(const float *, sk_act_block *, int64_t);
void sk_matmul_q_avx512(int, const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_matmul_f_avx512(int, const uint8_t *, int64_t, const float *, int64_t, float *, int64_t, int64_t, int64_t);
void sk_quantize_act_avx512(const float *, sk_act_block *, int64_t);
void sk_quantize_act_k_avx512(const float *, sk_act_block *, int64_t);
/// Packed weights (sk_packed_avx512.c): tile size, packing, and the product.
int64_t sk_packed_tile_bytes(int type, int64_t k);
void sk_pack_tiles(int type, const uint8_t *w, int64_t rows, int64_t k, uint8_t *dst, int64_t t0, int64_t t1);
void sk_matmul_packed_avx512(int, const uint8_t *, int64_t, const sk_act_block *, int64_t, float *, int64_t, int64_t, int64_t);
#endif

/// Fills a block's header from its scale and the sums of q over elements 0..<16 (lo)
/// and 16..<32 (hi): every level's quantiser ends here, so the headers agree.
static inline void sk_act_set_header(sk_act_block *b, float d, int32_t lo, int32_t hi) {
    b->d = d;
    b->sum = lo + hi;
    b->dsum = d * (float)(lo + hi);
    b->bias = -128 * (lo + hi);
    b->bias_lo = -128 * lo;
    b->bias_hi = -128 * hi;
    b->reserved[0] = b->reserved[1] = 0;
}

/// Fills the derived fields of an activation block from its q and d.
static inline void sk_act_finish(sk_act_block *b) {
    int32_t lo = 0, hi = 0;
    for (int i = 0; i < 16; i++) lo += b->q[i];
    for (int i = 16; i < 32; i++) hi += b->q[i];
    sk_act_set_header(b, b->d, lo, hi);
}

/// K format: writes the eight block sums of the group starting at `b` (blocks already
/// finished) as int16 into the reserved words of b[0] (sums 0..3) and b[1] (sums 4..7).
/// |sum| ≤ 32 · 127 = 4064, so each fits.
static inline void sk_act_finish_k(sk_act_block *b) {
    int16_t s[8];
    for (int i = 0; i < 8; i++) s[i] = (int16_t)b[i].sum;
    memcpy(b[0].reserved, s, 8);
    memcpy(b[1].reserved, s + 4, 8);
}

#endif
