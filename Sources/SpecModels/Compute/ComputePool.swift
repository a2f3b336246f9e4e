import CKernels

/// The process-wide pool of compute threads that the kernels run on.
///
/// A thin Swift face over the C pool (`sk_pool_start`, `sk_parallel_for`):
/// persistent workers that spin briefly between jobs, so a parallel call costs
/// about a microsecond. Work is split into one contiguous chunk per thread,
/// deterministically, so results never depend on timing.
public enum ComputePool {
    /// Starts (or resizes) the pool; `threads` counts the calling thread.
    public static func start(threads: Int) {
        sk_pool_start(Int32(max(1, threads)))
    }

    /// Threads in the pool, the caller included.
    public static var threads: Int { Int(sk_pool_threads()) }

    /// Runs `body(begin, end, thread)` over one chunk of `0..<count` per
    /// thread (chunks are multiples of `grain`; `thread` is the chunk's index,
    /// unique among chunks running at once), each chunk on whichever pool thread
    /// claims it first, the caller included; returns when every chunk is done.
    /// Not reentrant.
    /// Safe to call from several threads at once: the pool serves one caller
    /// at a time and any other runs its whole range inline (as thread 0),
    /// which gives the same results, since no job depends on its chunking.
    public static func parallelFor(_ count: Int, grain: Int = 1, _ body: (Int, Int, Int) -> Void) {
        guard count > 0 else { return }
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                sk_parallel_for(Int64(count), Int64(max(1, grain)), { context, begin, end, thread in
                    let body = context!.assumingMemoryBound(to: ((Int, Int, Int) -> Void).self).pointee
                    body(Int(begin), Int(end), Int(thread))
                }, pointer)
            }
        }
    }
}
