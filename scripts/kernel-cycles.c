// Cycle counts behind the packed AVX-512 kernels (scripts/kernel-cycles.sh builds and runs it).
//
// 1. The core clock (a chain of dependent adds: one cycle each) and what the vector pipes
//    take: 8 independent vpdpbusd zmm a cycle-count loop, then with 1-4 float operations
//    (FMA, MUL: the same two pipes on Zen 4; ADD and CVT: the other two) added per 8.
// 2. sk_matmul_packed with the weights in L2 (one thread, 256 rows): cycles per block of
//    16 rows × 32 elements, per token, for N = 1 … 64 tokens: the compute bound.
// 3. The same streamed from DRAM (a 192 MB matrix in huge pages, as spectree packs it, in
//    1024-row calls; the 5th percentile of 5 passes' calls, so a busy machine's preemptions
//    drop out), on one thread and then on the pool's 2: µs per call against N = 1, the
//    matrix products' own cost(N)/cost(1). The 2-thread table says which share of the
//    chunks the worker ran: well under half means the other core was busy (another
//    process), and the figures are then one thread's.
// Usage: kernel-cycles TYPE K   (GGML type id: 12 Q4_K, 14 Q6_K, 3 Q4_1, 8 Q8_0 …)
#include "CKernels.h"
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

__attribute__((noinline)) static long add_chain(long n) {
    long x = 0;
    for (long i = 0; i < n; i++) { x += i; __asm__ volatile("" : "+r"(x)); }
    return x;
}

#define T512 __attribute__((target("avx512f,avx512vnni,avx512bw"), noinline))
/// 8 independent vpdpbusd chains, plus `nf` float multiplies (FMA, FMA, MUL, MUL) and `nc` conversions per 8.
T512 static float mix(long n, int nf, int nc) {
    __m512i a[8]; __m512 f[6];
    for (int i = 0; i < 8; i++) a[i] = _mm512_set1_epi32(i);
    for (int i = 0; i < 6; i++) f[i] = _mm512_set1_ps((float)i);
    const __m512i w = _mm512_set1_epi32(0x01010101), x = _mm512_set1_epi32(0x02020202);
    const __m512 s = _mm512_set1_ps(1.0001f);
    for (long i = 0; i < n; i++) {
#pragma clang loop unroll(full)
        for (int j = 0; j < 8; j++) { a[j] = _mm512_dpbusd_epi32(a[j], w, x); __asm__ volatile("" : "+v"(a[j])); }
        if (nf >= 1) { f[0] = _mm512_fmadd_ps(f[0], s, s); __asm__ volatile("" : "+v"(f[0])); }
        if (nf >= 2) { f[1] = _mm512_fmadd_ps(f[1], s, s); __asm__ volatile("" : "+v"(f[1])); }
        if (nf >= 3) { f[2] = _mm512_mul_ps(f[2], s); __asm__ volatile("" : "+v"(f[2])); }
        if (nf >= 4) { f[3] = _mm512_mul_ps(f[3], s); __asm__ volatile("" : "+v"(f[3])); }
        if (nc >= 1) { f[4] = _mm512_cvtepi32_ps(a[i & 1]); __asm__ volatile("" : "+v"(f[4])); }
        if (nc >= 2) { f[5] = _mm512_add_ps(f[5], s); __asm__ volatile("" : "+v"(f[5])); }
    }
    __m512 r = f[0];
    for (int i = 1; i < 6; i++) r = _mm512_add_ps(r, f[i]);
    for (int i = 0; i < 8; i++) r = _mm512_add_ps(r, _mm512_castsi512_ps(a[i]));
    return _mm512_reduce_add_ps(r);
}

/// Random weights of `type` (rows × k) with sane scales, packed.
static uint8_t *packed_matrix(int type, long rows, long k, long *bytes) {
    long rb = k / sk_block_elements(type) * sk_block_bytes(type), bb = sk_block_bytes(type);
    uint8_t *w = aligned_alloc(64, (rows * rb + 63) / 64 * 64);
    for (long i = 0; i < rows * rb; i++) w[i] = (uint8_t)rand();
    for (long b = 0; b < rows * rb / bb; b++) {            // fp16 1.0 scales: no NaN or infinity
        uint8_t *p = w + b * bb;
        if (type == SK_TYPE_Q6_K) { p[208] = 0; p[209] = 0x3c; }
        else { p[0] = 0; p[1] = 0x3c; if (type != SK_TYPE_Q4_0 && type != SK_TYPE_Q5_0 && type != SK_TYPE_Q8_0) { p[2] = 0; p[3] = 0x3c; } }
    }
    *bytes = sk_packed_bytes(type, rows, k);
    const size_t huge = 2u << 20, len = (size_t)(*bytes + huge - 1) / huge * huge;
    uint8_t *pk = aligned_alloc(huge, len);
    madvise(pk, len, MADV_HUGEPAGE);
    sk_pack(type, w, rows, k, pk, 0, (rows + 15) / 16);
    free(w);
    return pk;
}

typedef struct { int type; long k; const uint8_t *pk; const void *xq; int n; float *y; long ldy, r0; } job;
static _Thread_local int is_main;
static long worker_chunks, all_chunks;
static void run_job(void *c, int64_t b, int64_t e, int th) {
    job *j = c; (void)th;
    if (!is_main) __atomic_fetch_add(&worker_chunks, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&all_chunks, 1, __ATOMIC_RELAXED);
    sk_matmul_packed(j->type, NULL, j->pk, j->k, j->xq, j->n, j->y, j->ldy, j->r0 + b, j->r0 + e);
}

int main(int argc, char **argv) {
    is_main = 1;
    const int type = argc > 1 ? atoi(argv[1]) : SK_TYPE_Q4_K;
    const long k = argc > 2 ? atol(argv[2]) : 1536;
    if (sk_isa_level() < 2) { printf("no AVX-512 VNNI here: nothing to count\n"); return 0; }
    double ghz = 0;
    for (int r = 0; r < 20; r++) { double t = now(); add_chain(2000000); double g = 2e6 / (now() - t) / 1e9; if (g > ghz) ghz = g; }
    printf("clock %.2f GHz (dependent adds)\n", ghz);
    const int mixes[][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 2}, {3, 2}};
    for (int c = 0; c < 6; c++) {
        double best = 1e9;
        for (int r = 0; r < 20; r++) { double t = now(); mix(100000, mixes[c][0], mixes[c][1]); double e = now() - t; if (e < best) best = e; }
        printf("8 vpdpbusd zmm + %d FMA/MUL + %d CVT/ADD: %.2f cycles\n", mixes[c][0], mixes[c][1], best / 1e5 * ghz * 1e9);
    }

    const int NMAX = 64, Ns[] = {1, 2, 3, 4, 6, 8, 16, 32, 64};
    float *x = malloc(sizeof(float) * NMAX * k);
    for (long i = 0; i < NMAX * k; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
    const long ab = sk_act_row_bytes(k);
    uint8_t *xq = aligned_alloc(64, NMAX * ab);
    for (int t = 0; t < NMAX; t++) (sk_type_uses_act_k(type) ? sk_quantize_act_k : sk_quantize_act)(x + t * k, xq + t * ab, k);

    long rows = 256, pb;
    uint8_t *pk = packed_matrix(type, rows, k, &pb);
    float *y = malloc(sizeof(float) * NMAX * rows);
    const double blocks = rows / 16.0 * k / 32.0;
    printf("\nin L2, one thread: type %d, %ld × %ld (%.0f KB packed)\n   N  cycles/block  per token\n", type, rows, k, pb / 1024.0);
    for (int i = 0; i < 9; i++) {
        double best = 1e9;
        for (int r = 0; r < 400; r++) { double t = now(); sk_matmul_packed(type, NULL, pk, k, xq, Ns[i], y, rows, 0, rows); double e = now() - t; if (e < best) best = e; }
        double c = best * ghz * 1e9 / blocks;
        printf("%4d  %12.1f  %9.2f\n", Ns[i], c, c / Ns[i]);
    }
    free(pk); free(y);

    const long slice = 1024, rb = k / sk_block_elements(type) * sk_block_bytes(type);
    rows = (192l << 20) / rb / slice * slice;
    pk = packed_matrix(type, rows, k, &pb);
    y = malloc(sizeof(float) * NMAX * rows);
    const long nsl = rows / slice, passes = 5;
    double *ts = malloc(sizeof(double) * nsl * passes), base = 0;
    for (int threads = 1; threads <= 2; threads++) {
        sk_pool_start(threads);
        printf("\nfrom DRAM, %d thread%s: %.0f MB in %ld calls of %ld rows (5th percentile)\n   N      µs/call  × N=1   GB/s%s\n",
               threads, threads > 1 ? "s" : "", pb / 1e6, nsl, slice, threads > 1 ? "  worker's chunks" : "");
        for (int i = 0; i < 6; i++) {
            worker_chunks = all_chunks = 0;
            for (int pass = 0; pass < passes; pass++)
                for (long s = 0; s < nsl; s++) {
                    job j = {type, k, pk, xq, Ns[i], y, rows, s * slice};
                    double t = now(); sk_parallel_for(slice, 16, run_job, &j); ts[pass * nsl + s] = now() - t;
                }
            qsort(ts, nsl * passes, sizeof(double), cmp);
            double p = ts[nsl * passes / 20];
            if (i == 0) base = p;
            printf("%4d  %11.2f  %5.2f  %5.1f", Ns[i], p * 1e6, p / base, pb / (double)nsl / p / 1e9);
            if (threads > 1) printf("  %4.0f%%", 100.0 * worker_chunks / all_chunks);
            printf("\n");
        }
    }
    return 0;
}
