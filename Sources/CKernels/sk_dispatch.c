// Run-time choice of the kernels: CPU feature detection (CPUID plus the OS's
// XSAVE state, so AVX-512 is used only when the kernel saves zmm registers),
// the ISA level in use, and the public entry points that route to it.
#include "sk_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#if SK_X86
#include <cpuid.h>
#endif

typedef struct {
    bool avx2, fma, f16c, avx512f, avx512bw, avx512vl, avx512vnni, os_ymm, os_zmm;
    int max_level;
} sk_cpu;

static sk_cpu cpu;                     // written once, under `once`
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int level;               // in use
static char description[3][200];       // per level: features and the level's name

#if SK_X86
__attribute__((target("xsave")))
static uint64_t xcr0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}
#endif

static const char *level_name(int l) {
    return l == 2 ? "avx512-vnni" : l == 1 ? "avx2" : "portable";
}

static void detect_once(void) {
    char base[160];
    sk_cpu c = {0};
#if SK_X86
    unsigned a, b, cx, d;
    if (__get_cpuid(1, &a, &b, &cx, &d)) {
        c.fma = (cx >> 12) & 1;
        c.f16c = (cx >> 29) & 1;
        bool osxsave = (cx >> 27) & 1, avx = (cx >> 28) & 1;
        if (osxsave && avx) {
            uint64_t x = xcr0();
            c.os_ymm = (x & 0x6) == 0x6;               // SSE and AVX state
            c.os_zmm = c.os_ymm && (x & 0xE0) == 0xE0; // opmask, ZMM_Hi256, Hi16_ZMM
        }
    }
    if (__get_cpuid_count(7, 0, &a, &b, &cx, &d)) {
        c.avx2 = (b >> 5) & 1;
        c.avx512f = (b >> 16) & 1;
        c.avx512bw = (b >> 30) & 1;
        c.avx512vl = (b >> 31) & 1;
        c.avx512vnni = (cx >> 11) & 1;
    }
    if (c.os_ymm && c.avx2 && c.fma && c.f16c) c.max_level = 1;
    if (c.max_level == 1 && c.os_zmm && c.avx512f && c.avx512bw && c.avx512vl && c.avx512vnni) c.max_level = 2;
    char feats[120] = "";
    if (c.avx512f) {
        snprintf(feats, sizeof feats, "AVX-512F%s%s%s, ", c.avx512bw ? "/BW" : "", c.avx512vl ? "/VL" : "",
                 c.avx512vnni ? " VNNI" : "");
        if (!c.os_zmm) strncat(feats, "(no OS zmm state), ", sizeof feats - strlen(feats) - 1);
    }
    if (c.avx2) strncat(feats, "AVX2, ", sizeof feats - strlen(feats) - 1);
    if (c.fma) strncat(feats, "FMA, ", sizeof feats - strlen(feats) - 1);
    if (c.f16c) strncat(feats, "F16C, ", sizeof feats - strlen(feats) - 1);
    size_t len = strlen(feats);
    if (len >= 2) feats[len - 2] = 0; else strcpy(feats, "SSE2 only");
    snprintf(base, sizeof base, "x86-64 %s", feats);
#elif defined(__aarch64__)
    snprintf(base, sizeof base, "arm64");
#else
    snprintf(base, sizeof base, "generic CPU");
#endif
    cpu = c;
    for (int l = 0; l < 3; l++) snprintf(description[l], sizeof description[l], "%s (using %s)", base, level_name(l));
    atomic_store_explicit(&level, c.max_level, memory_order_relaxed);
}

static void detect(void) { pthread_once(&once, detect_once); }

int sk_isa_level(void) {
    detect();
    return atomic_load_explicit(&level, memory_order_relaxed);
}

int sk_set_isa_level(int l) {
    detect();
    if (l < 0) l = 0;
    if (l > cpu.max_level) l = cpu.max_level;
    atomic_store_explicit(&level, l, memory_order_relaxed);
    return l;
}

const char *sk_cpu_description(void) {
    return description[sk_isa_level()];
}

void sk_quantize_act(const float *x, void *dst, int64_t n) {
    switch (sk_isa_level()) {
#if SK_X86
    case 2: sk_quantize_act_avx512(x, dst, n); return;
    case 1: sk_quantize_act_avx2(x, dst, n); return;
#endif
    default: sk_quantize_act_scalar(x, dst, n); return;
    }
}

void sk_quantize_act_k(const float *x, void *dst, int64_t n) {
    switch (sk_isa_level()) {
#if SK_X86
    case 2: sk_quantize_act_k_avx512(x, dst, n); return;
    case 1: sk_quantize_act_k_avx2(x, dst, n); return;
#endif
    default: sk_quantize_act_k_scalar(x, dst, n); return;
    }
}

void sk_matmul(int type, const void *w, int64_t k,
               const float *x, const void *xq, int64_t ntok,
               float *y, int64_t ldy, int64_t r0, int64_t r1) {
    if (!sk_type_supported(type) || ntok <= 0 || r1 <= r0 || k <= 0) return;
    int l = sk_isa_level();
    if (type == SK_TYPE_F32 || type == SK_TYPE_F16 || type == SK_TYPE_BF16) {
        switch (l) {
#if SK_X86
        case 2: sk_matmul_f_avx512(type, w, k, x, ntok, y, ldy, r0, r1); return;
        case 1: sk_matmul_f_avx2(type, w, k, x, ntok, y, ldy, r0, r1); return;
#endif
        default: sk_matmul_f_scalar(type, w, k, x, ntok, y, ldy, r0, r1); return;
        }
    }
    if (k % sk_block_elements(type) != 0 || !xq) return;
    switch (l) {
#if SK_X86
    case 2: sk_matmul_q_avx512(type, w, k, xq, ntok, y, ldy, r0, r1); return;
    case 1: sk_matmul_q_avx2(type, w, k, xq, ntok, y, ldy, r0, r1); return;
#endif
    default: sk_matmul_q_scalar(type, w, k, xq, ntok, y, ldy, r0, r1); return;
    }
}

int64_t sk_packed_bytes(int type, int64_t rows, int64_t k) {
    detect();
#if SK_X86
    if (cpu.max_level < 2 || rows <= 0) return 0;
    return (rows + 15) / 16 * sk_packed_tile_bytes(type, k);
#else
    (void)type; (void)rows; (void)k;
    return 0;
#endif
}

void sk_pack(int type, const void *w, int64_t rows, int64_t k, void *dst, int64_t t0, int64_t t1) {
#if SK_X86
    if (sk_packed_bytes(type, rows, k) > 0) sk_pack_tiles(type, w, rows, k, dst, t0, t1);
#else
    (void)type; (void)w; (void)rows; (void)k; (void)dst; (void)t0; (void)t1;
#endif
}

void sk_matmul_packed(int type, const void *w, const void *packed, int64_t k, const void *xq,
                      int64_t ntok, float *y, int64_t ldy, int64_t r0, int64_t r1) {
#if SK_X86
    if (packed && xq && ntok > 0 && r1 > r0 && sk_isa_level() == 2 && sk_packed_tile_bytes(type, k) > 0) {
        sk_matmul_packed_avx512(type, packed, k, xq, ntok, y, ldy, r0, r1);
        return;
    }
#endif
    sk_matmul(type, w, k, NULL, xq, ntok, y, ldy, r0, r1);
}
