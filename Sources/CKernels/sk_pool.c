// A small persistent thread pool for the matrix kernels.
//
// Workers wait on a generation counter: they spin on it (with `pause`) for up to
// SPIN_NS after their last job, so the ~150 parallel calls of one forward pass
// each cost about a microsecond of hand-off; after that they sleep on a futex
// (Linux) or a condition variable (elsewhere) and are woken by the next call.
// Every thread, the caller included, claims chunks from an atomic counter until
// none is left, so a worker that the OS has descheduled (a busy machine) delays
// the call by at most the chunk it is running, not by its time slice.
// The split of [0, n) into chunks depends only on n, grain and the thread count,
// never on timing, so results are reproducible. A call made while another thread
// is using the pool (or from inside a job) runs inline on its caller as one chunk
// instead of waiting, so concurrent callers are safe, merely not parallel.
#include "CKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ volatile("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

enum { SPIN_NS = 50 * 1000 };   // how long an idle worker spins before sleeping

typedef struct {
    _Alignas(64) atomic_uint gen;       // bumped once per job; the futex word
    _Alignas(64) atomic_uint_fast64_t claim; // (job generation << 32) | (chunks << 16) | next chunk
    _Alignas(64) atomic_int done;       // chunks of the current job finished
    _Alignas(64) atomic_int sleepers;   // workers asleep (or about to sleep) on `gen`
    _Alignas(64) sk_job_fn fn;          // the current job, written before `gen` is bumped
    void *ctx;
    int64_t n, chunk;                   // items, and items per thread
    bool quit;
    int nthreads;                       // including the caller
    unsigned start_gen;                 // `gen` when the workers were created
    pthread_t *threads;                 // (nthreads - 1)
#if !defined(__linux__)
    pthread_mutex_t mu;
    pthread_cond_t cv;
#endif
} sk_pool;

static sk_pool pool = {
    .nthreads = 1,
#if !defined(__linux__)
    .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
#endif
};
static _Thread_local bool in_job;       // nested parallel_for calls run inline
static atomic_int busy;                 // 1 while a caller owns the pool (a job or a resize)

static bool try_own(void) {
    int expected = 0;
    return atomic_compare_exchange_strong(&busy, &expected, 1);
}
static void own(void) {
    while (!try_own()) sched_yield();
}
static void release(void) { atomic_store(&busy, 0); }

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_while(unsigned seen) {
#if defined(__linux__)
    syscall(SYS_futex, (void *)&pool.gen, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
    pthread_mutex_lock(&pool.mu);
    while (atomic_load(&pool.gen) == seen) pthread_cond_wait(&pool.cv, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
#endif
}

static void wake_all(void) {
#if defined(__linux__)
    syscall(SYS_futex, (void *)&pool.gen, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    pthread_mutex_lock(&pool.mu);
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
#endif
}

/// Waits until `gen` differs from `seen`: spins for SPIN_NS, then sleeps.
static unsigned wait_change(unsigned seen) {
    uint64_t t0 = 0;
    for (unsigned i = 1;; i++) {
        unsigned g = atomic_load_explicit(&pool.gen, memory_order_acquire);
        if (g != seen) return g;
        CPU_RELAX();
        if ((i & 15) == 0) {
            uint64_t t = now_ns();
            if (t0 == 0) t0 = t;
            else if (t - t0 > SPIN_NS) {
                // Announce the sleep before the last look at `gen` (seq_cst on both
                // sides: either the caller sees us asleep and wakes us, or we see its bump).
                atomic_fetch_add(&pool.sleepers, 1);
                if (atomic_load(&pool.gen) == seen) sleep_while(seen);
                atomic_fetch_sub(&pool.sleepers, 1);
                t0 = 0;
            }
        }
    }
}

static void run_chunk(int c) {
    int64_t b = c * pool.chunk, e = b + pool.chunk;
    if (e > pool.n) e = pool.n;
    if (b < e) pool.fn(pool.ctx, b, e, c);
}

/// Claims and runs chunks of job `g` until none is left (or job `g` is over).
/// A chunk runs exactly once, on whichever thread claims it first, so a worker
/// that the OS has descheduled delays nobody: the caller takes its chunk.
static void run_chunks(unsigned g) {
    uint64_t c = atomic_load_explicit(&pool.claim, memory_order_acquire);
    for (;;) {
        if ((unsigned)(c >> 32) != g || (c & 0xFFFF) >= ((c >> 16) & 0xFFFF)) return;
        if (!atomic_compare_exchange_weak_explicit(&pool.claim, &c, c + 1, memory_order_acq_rel,
                                                   memory_order_acquire)) continue;
        run_chunk((int)(c & 0xFFFF));     // the job's fields are stable until every chunk is done
        atomic_fetch_add_explicit(&pool.done, 1, memory_order_release);
        c = atomic_load_explicit(&pool.claim, memory_order_acquire);
    }
}

static void *worker(void *arg) {
    (void)arg;
    unsigned seen = pool.start_gen;
    in_job = true;
    for (;;) {
        seen = wait_change(seen);
        if (pool.quit) break;
        run_chunks(seen);
    }
    return NULL;
}

/// Bumps the generation (publishing the job or the quit flag) and wakes sleepers.
static void publish(void) {
    atomic_fetch_add(&pool.gen, 1);
    if (atomic_load(&pool.sleepers) > 0) wake_all();
}

static void stop_workers(void) {
    if (pool.nthreads <= 1) return;
    pool.quit = true;
    publish();
    for (int i = 0; i < pool.nthreads - 1; i++) pthread_join(pool.threads[i], NULL);
    free(pool.threads);
    pool.threads = NULL;
    pool.quit = false;
    pool.nthreads = 1;
}

void sk_pool_start(int nthreads) {
    if (nthreads < 1) nthreads = 1;
    if (nthreads > 256) nthreads = 256;
    if (in_job) return;                   // never from inside a job
    own();
    if (nthreads == pool.nthreads) { release(); return; }
    stop_workers();
    if (nthreads == 1) { release(); return; }
    pool.threads = calloc((size_t)nthreads - 1, sizeof(pthread_t));
    if (!pool.threads) { release(); return; }
    pool.start_gen = atomic_load(&pool.gen);
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&pool.threads[i - 1], NULL, worker, (void *)(intptr_t)i) != 0) break;
        started++;
    }
    pool.nthreads = started + 1;
    release();
}

int sk_pool_threads(void) {
    if (in_job) return pool.nthreads;         // the pool is owned for this job; stable
    own();
    int n = pool.nthreads;
    release();
    return n;
}

void sk_parallel_for(int64_t n, int64_t grain, sk_job_fn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    int64_t units = (n + grain - 1) / grain;
    if (units <= 1 || in_job || !try_own()) {
        fn(ctx, 0, n, 0);
        return;
    }
    int nt = pool.nthreads;                   // stable while we own the pool
    if (nt <= 1) {
        release();
        fn(ctx, 0, n, 0);
        return;
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.chunk = (units + nt - 1) / nt * grain;
    const int chunks = (int)((n + pool.chunk - 1) / pool.chunk);
    const unsigned g = atomic_load(&pool.gen) + 1;       // only the owner bumps `gen`
    atomic_store_explicit(&pool.done, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.claim, (uint64_t)g << 32 | (uint64_t)chunks << 16, memory_order_release);
    publish();
    in_job = true;
    run_chunks(g);
    in_job = false;
    for (unsigned i = 1; atomic_load_explicit(&pool.done, memory_order_acquire) != chunks; i++) {
        CPU_RELAX();
        if ((i & 4095) == 0) sched_yield();   // a worker may have been descheduled
    }
    release();
}
