#ifndef SPECTREE_CKERNELS_H
#define SPECTREE_CKERNELS_H
// spectree's compute kernels: GGML block formats, dequantisation, activation
// quantisation, batched quantised matrix products, and a small spinning thread
// pool. Written in C so that each SIMD variant carries its own target attribute
// and the best one is chosen at run time (AVX-512 VNNI, AVX2, portable).
//
// Batch invariance: every kernel computes output (token t, row r) with the same
// instructions in the same order whatever the number of tokens, the row range a
// thread is given, or the other tokens in the batch. Evaluating a token alone or
// inside a batch therefore gives bit-identical results.
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// GGML tensor type ids, as stored in GGUF files.
enum {
    SK_TYPE_F32 = 0, SK_TYPE_F16 = 1, SK_TYPE_Q4_0 = 2, SK_TYPE_Q4_1 = 3,
    SK_TYPE_Q5_0 = 6, SK_TYPE_Q5_1 = 7, SK_TYPE_Q8_0 = 8,
    SK_TYPE_Q4_K = 12, SK_TYPE_Q5_K = 13, SK_TYPE_Q6_K = 14, SK_TYPE_BF16 = 30,
};

/// Whether spectree has kernels for GGML type `type`.
bool sk_type_supported(int type);
/// Elements per block of `type` (1 for float types); 0 if unsupported.
int64_t sk_block_elements(int type);
/// Bytes per block of `type`; 0 if unsupported.
int64_t sk_block_bytes(int type);

/// Dequantises `n` elements (a multiple of the block size) of `type` at `src` into `dst`.
void sk_dequantize(int type, const void *src, float *dst, int64_t n);
/// Whether `sk_quantize` can write `type` (Q4_0).
bool sk_can_quantize(int type);
/// Quantises `n` floats (a multiple of 32) at `x` into blocks of `type` at `dst`
/// (Q4_0: per 32 elements, the one of largest magnitude m sets d = m / -8, rounded to
/// half precision, and each element takes the nearest of the 16 codes d·(q - 8)).
/// Returns false, writing nothing, for a type without a quantiser or a partial block.
/// Cost: O(n), a few scalar operations per element.
bool sk_quantize(int type, const float *x, void *dst, int64_t n);

/// One quantised block of 32 activations, the format `sk_quantize_act` writes and the
/// quantised kernels read: 64 bytes (one cache line when the row is 64-byte aligned).
/// Besides the values and the scale it carries derived integers, so that the matrix
/// kernels do no arithmetic per (token, block) beyond the dot product itself.
typedef struct {
    int8_t q[32];        // round-half-even(x / d), in element order; |q| <= 127
    float d;             // max|x| / 127 over the block (0 for an all-zero block)
    float dsum;          // d * sum: the activation side of a per-block minimum term
    int32_t sum;         // sum of q[0..<32]
    int32_t bias;        // -128 * sum: seeds a dot with weights stored as w + 128
    int32_t bias_lo;     // -128 * sum of q[0..<16]  (Q6_K's 16-element sub-blocks)
    int32_t bias_hi;     // -128 * sum of q[16..<32]
    int32_t reserved[2]; // zero
} sk_act_block;

/// Bytes of one quantised activation row of `n` elements (`n` a multiple of 32):
/// n / 32 blocks of 64 bytes.
int64_t sk_act_row_bytes(int64_t n);
/// Quantises an activation row `x` (`n` floats, `n` a multiple of 32) into n / 32
/// `sk_act_block`s at `dst`. Per block: d = max|x| / 127, id = d ? 1/d : 0,
/// q = round-half-even(x * id), all in float32, the same on every ISA level.
/// Cost: O(n), about a cycle per four elements with AVX2.
void sk_quantize_act(const float *x, void *dst, int64_t n);

/// Quantises an activation row for the K-quant kernels (Q4_K, Q5_K, Q6_K): the same
/// 64-byte blocks, but the 8 blocks of each 256-element group share one scale,
/// d = max|x| over the 256 / 127, id = d ? 1/d : 0, q = round-half-even(x * id) (float32,
/// the same on every ISA level); per block sum, dsum, bias, bias_lo, bias_hi as above.
/// The group's eight block sums, as int16, sit in the reserved words of its first two
/// blocks (block 8J: sums 0..3, block 8J + 1: sums 4..7; the others' are zero), so the
/// kernels take the minimum terms of a super-block in four pair products.
/// `n` a multiple of 256. Cost: O(n), like sk_quantize_act.
/// Precision (llama.cpp's Q8_K makes the same trade): one outlier now coarsens 255 other
/// values, not 31. On Qwen2.5-Coder-1.5B Q4_K_M over a 36-token code prompt
/// (scripts/activation_precision.py, numpy emulation against float activations) the
/// logits' error is a median 0.028 of a row's spread per row (0.013 with per-32 scales),
/// a row's largest 0.14-0.23 (0.07-0.12), and 3.6 (0.45) on the first token, whose
/// activations carry the attention-sink outliers; the top token differed in 1 row of 36 (0).
void sk_quantize_act_k(const float *x, void *dst, int64_t n);
/// Whether the kernels for `type` read activations in the K format (sk_quantize_act_k)
/// rather than the per-block one (sk_quantize_act): Q4_K, Q5_K and Q6_K.
bool sk_type_uses_act_k(int type);

/// Batched matrix product against a weight matrix stored row-major in `type`:
///   y[t * ldy + r] = dot(W[r, 0..<k], x[t, 0..<k])   for t < ntok, r0 <= r < r1.
/// - `w`: rows of `k` elements, each `sk_block_bytes(type) * k / sk_block_elements(type)` bytes.
/// - `x`: float activations, shape (ntok, k), read by float weight types.
/// - `xq`: the same rows quantised by `sk_quantize_act_k` for the K-quant types
///   (sk_type_uses_act_k), by `sk_quantize_act` for the other quantised types, shape
///   (ntok, act_row_bytes), read by quantised weight types (may be NULL for float types).
/// Single-threaded over the given row range; callers split rows across threads,
/// preferably at multiples of 16 rows (the SIMD kernels work on 16-row tiles and
/// recompute the overlap of a partial last tile). Any split gives the same bits.
/// Rows r0..<r1 of `y` are written for every token; nothing else is touched.
/// Cost: O(ntok * k * (r1 - r0)); each weight byte is read from memory once per
/// call, whatever ntok: a call with 8 or 16 tokens costs far less than 8 or 16 calls.
void sk_matmul(int type, const void *w, int64_t k,
               const float *x, const void *xq, int64_t ntok,
               float *y, int64_t ldy, int64_t r0, int64_t r1);

/// Packed weights: a one-time copy of a quantised matrix rearranged for the AVX-512
/// kernel, which then does no transposing per call (2-3× faster for one token in
/// cache, and decoding reads the same number of bytes: the copy is as large as the
/// matrix; Q6_K 1% more). Every quantised type (sk_packed_avx512.c).
/// Bytes of the packed copy of a (rows × k) matrix of `type`, in 16-row tiles;
/// 0 when there is none (another type, or the CPU lacks AVX-512 VNNI).
int64_t sk_packed_bytes(int type, int64_t rows, int64_t k);
/// Writes tiles [t0, t1) (rows 16·t0 ..< 16·t1; the last tile zero-padded) of the packed
/// copy of `w` (rows × k of `type`) into `dst` (sk_packed_bytes, 64-byte aligned).
/// Tiles are independent, so callers may pack ranges on several threads. Cost: O(bytes).
void sk_pack(int type, const void *w, int64_t rows, int64_t k, void *dst, int64_t t0, int64_t t1);
/// sk_matmul for a quantised `type` through the packed copy `packed` of `w` when the
/// AVX-512 level is in use (else through `w`): the same contract and bit-identical results.
void sk_matmul_packed(int type, const void *w, const void *packed, int64_t k, const void *xq,
                      int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1);

/// exp of `n` floats in place, in spectree's canonical arithmetic (the same bits at
/// every ISA level): x clamped to [-87, 88], n = x·log2(e) rounded to nearest,
/// r = x - n·ln2 (two fmaf steps), a degree-7 Taylor polynomial in r by fmaf, times 2^n.
/// Within 2 ulp of expf over the range. Cost: ~20 vector operations per 16 values.
void sk_exp(float *x, int64_t n);
/// SwiGLU: out[i] = gate[i] / (1 + exp(-gate[i])) * up[i] (exp as sk_exp). Cost: O(n).
void sk_swiglu(const float *gate, const float *up, float *out, int64_t n);
/// RMSNorm: out[i] = x[i] · scale · w[i], scale = 1 / sqrt(Σx² / n + eps), the sum of
/// squares in sixteen fmaf lanes (zero-padded), folded l+8, l+4, l+2, l+1. Cost: O(n).
void sk_rmsnorm(const float *x, const float *w, float *out, int64_t n, float eps);
/// Softmax attention of `nq` query heads sharing one KV head, over the key/value rows
/// of slots 0..<prefix and then `ancestors[0..<nanc]` (in that order):
///   s_hj = fold16(16-lane fmaf sums of q_h · k_j) · scale,
///   w_hj = exp(s_hj - max_j s_hj) / Σ_j (16-lane sums, folded),
///   out_h[i] = Σ_j fmaf(w_hj, v_j[i], ·) over j in order.
/// q, out: (nq, hd); slot j's key at keys + j · stride, value at values + j · stride;
/// scratch: nq · (count rounded up to 16) floats. Head vectors are zero-padded to
/// whole 16-lane chunks for the dot products.
/// A query's result depends only on its own inputs and count (never on nq or the
/// other queries), identically at every ISA level. Cost: O(nq · count · hd), keys and
/// values read once for all nq heads.
void sk_attend(const float *q, int64_t nq, const float *keys, const float *values, int64_t stride,
               int64_t prefix, const int32_t *ancestors, int64_t nanc, int64_t hd, float scale,
               float *scratch, float *out);

/// Reads `bytes` bytes at `p` (8-byte aligned) once, in order, and returns the
/// wrapping sum of their 64-bit words (so the read cannot be elided). For measuring
/// memory bandwidth with a buffer larger than the caches. Cost: bytes / bandwidth.
uint64_t sk_stream_read(const void *p, int64_t bytes);

/// Softmax over a row, in three passes (sk_softmax.c): the largest of `x` (n floats;
/// −∞ when n = 0); then y[i] = e^((x[i] − shift)·scale) for every i, returning Σ y[i]
/// (each (x[i] − shift)·scale must be ≤ 0; exponentials below e^−87 are written as 0;
/// y may be x; within 2 ulp of e^z); then y[i] *= factor. Identical bits at every
/// ISA level. Cost: O(n), about 0.1 ms for 151936 entries with AVX-512.
float sk_max_f32(const float *x, int64_t n);
double sk_exp_sum_f32(const float *x, float *y, int64_t n, float shift, float scale);
void sk_scale_f32(float *y, int64_t n, float factor);

/// The instruction-set level in use: 0 portable, 1 AVX2+FMA, 2 AVX-512 (BW, VL, VNNI).
int sk_isa_level(void);
/// Forces a lower level (for tests and benchmarks); returns the level now in use,
/// which is never above what the CPU supports.
int sk_set_isa_level(int level);
/// A short description of the CPU features detected, for `spectree info`.
const char *sk_cpu_description(void);

/// A job for the thread pool: process items [begin, end), chunk number `thread` (0 ..< threads).
typedef void (*sk_job_fn)(void *ctx, int64_t begin, int64_t end, int thread);
/// Starts the pool with `nthreads` threads in all (the caller counts as one).
/// Calling it again resizes the pool. Workers spin briefly between jobs, then sleep.
void sk_pool_start(int nthreads);
/// Threads in the pool, including the caller.
int sk_pool_threads(void);
/// Splits [0, n) into one contiguous chunk per thread, each a multiple of `grain`
/// items except the last, runs `fn(ctx, begin, end, c)` once for every chunk c
/// (`thread` = the chunk's index, so per-thread scratch indexed by it is never shared),
/// and returns when all are done. Chunks are claimed by whichever pool thread is free
/// first, the caller included. Not reentrant: call from one thread at a time.
void sk_parallel_for(int64_t n, int64_t grain, sk_job_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
