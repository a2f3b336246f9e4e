import CKernels
import Foundation
import Testing

/// What a pool job records: how often each item ran, and on which thread.
struct PoolProbe {
    var count: UnsafeMutablePointer<Int32>      // (n)
    var thread: UnsafeMutablePointer<Int32>     // (n)
    var calls: UnsafeMutablePointer<Int32>      // (256): chunks run per thread index

    init(n: Int) {
        count = .allocate(capacity: max(n, 1))
        count.initialize(repeating: 0, count: max(n, 1))
        thread = .allocate(capacity: max(n, 1))
        thread.initialize(repeating: -1, count: max(n, 1))
        calls = .allocate(capacity: 256)
        calls.initialize(repeating: 0, count: 256)
    }
    func free() { count.deallocate(); thread.deallocate(); calls.deallocate() }
}

/// A job that marks items [begin, end) as run by `thread`.
let markJob: sk_job_fn = { ctx, begin, end, thread in
    let p = ctx!.assumingMemoryBound(to: PoolProbe.self).pointee
    p.calls[Int(thread)] += 1
    for i in Int(begin)..<Int(end) {
        p.count[i] += 1
        p.thread[i] = thread
    }
}

/// Runs sk_parallel_for(n, grain) with `markJob` and checks the documented split:
/// every item exactly once; one contiguous chunk per thread in thread order, chunk 0
/// on the caller; every chunk but the last a multiple of `grain`; at most one call
/// per thread; the split a function of (n, grain, threads) only.
func checkSplit(n: Int, grain: Int, threads: Int) -> Bool {
    var probe = PoolProbe(n: n)
    defer { probe.free() }
    withUnsafeMutablePointer(to: &probe) { sk_parallel_for(Int64(n), Int64(grain), markJob, $0) }
    var ok = (0..<n).allSatisfy { probe.count[$0] == 1 }
    ok = ok && (0..<256).allSatisfy { probe.calls[$0] <= 1 }
    // Expected chunking: ceil(ceil(n / grain) / threads) grains per thread.
    let units = (n + grain - 1) / grain
    let perThread = units <= 1 || threads <= 1 ? n : (units + threads - 1) / threads * grain
    for i in 0..<n { ok = ok && Int(probe.thread[i]) == i / max(perThread, 1) }
    return ok
}

extension KernelTests {
    @Suite struct ThreadPool {
        @Test("every item runs once, in the documented deterministic split, for many sizes and grains")
        func splits() {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            for threads in [1, 2, 3, 4] {
                sk_pool_start(Int32(threads))
                #expect(sk_pool_threads() == threads)
                for n in [0, 1, 2, 3, 7, 16, 17, 100, 576, 1000, 49152] {
                    for grain in [1, 3, 16, 64, 5000] {
                        #expect(checkSplit(n: n, grain: grain, threads: threads), "n \(n) grain \(grain) threads \(threads)")
                    }
                }
            }
        }

        @Test("many rapid small calls sum correctly and are cheap")
        func rapidCalls() {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            sk_pool_start(2)
            let box = UnsafeMutablePointer<Int64>.allocate(capacity: 64)
            defer { box.deallocate() }
            let addJob: sk_job_fn = { ctx, begin, end, _ in
                let p = ctx!.assumingMemoryBound(to: Int64.self)
                var s: Int64 = 0
                for i in begin..<end { s += i + 1 }
                // Separate cache lines per chunk: chunk index = begin / chunk size is not known
                // here, so accumulate per (begin != 0) half, which differ across the two threads.
                p[begin == 0 ? 0 : 32] += s
            }
            let calls = 20000
            var good = 0
            let start = Date()
            for c in 0..<calls {
                box[0] = 0
                box[32] = 0
                let n = Int64(2 + c % 31)
                sk_parallel_for(n, 1, addJob, box)
                if box[0] + box[32] == n * (n + 1) / 2 { good += 1 }
            }
            let perCall = Date().timeIntervalSince(start) / Double(calls)
            #expect(good == calls)
            // Loose bound (the machine may be shared): a hand-off that slept on every call
            // would cost tens of microseconds.
            #expect(perCall < 2e-3, "average \(perCall * 1e6) µs per call")
            print("sk_parallel_for: \(String(format: "%.2f", perCall * 1e6)) µs per small call on 2 threads")
        }

        @Test("resizing repeatedly, with jobs in between, keeps results right")
        func resizing() {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            for threads in [2, 4, 1, 3, 3, 2, 5, 1, 2] {
                sk_pool_start(Int32(threads))
                #expect(sk_pool_threads() == threads)
                #expect(checkSplit(n: 1000, grain: 16, threads: threads))
                #expect(checkSplit(n: 33, grain: 1, threads: threads))
            }
            sk_pool_start(0)                          // clamps to 1
            #expect(sk_pool_threads() == 1)
        }

        @Test("workers that fell asleep wake up for the next call")
        func wakeAfterSleep() {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            sk_pool_start(3)
            for _ in 0..<3 {
                Thread.sleep(forTimeInterval: 0.02)   // longer than the spin phase
                #expect(checkSplit(n: 300, grain: 10, threads: 3))
            }
        }

        @Test("a nested call runs inline; concurrent callers are safe")
        func nestedAndConcurrent() async {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            sk_pool_start(2)
            // Nested: each chunk of the outer job calls sk_parallel_for again, which runs
            // inline (chunk 0 only) and adds its item count to the outer chunk's own slot.
            let total = UnsafeMutablePointer<Int64>.allocate(capacity: 16)
            total.initialize(repeating: 0, count: 16)
            defer { total.deallocate() }
            let outer: sk_job_fn = { ctx, begin, end, thread in
                sk_parallel_for(end - begin, 1, countJob, ctx!.advanced(by: 64 * Int(thread)))
            }
            sk_parallel_for(100, 1, outer, total)
            #expect(total[0] + total[8] == 100)
            #expect(total[1] == 0 && total[9] == 0)

            // Concurrent: several tasks call the pool at once; each must see all of its items.
            let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
                for g in 0..<6 {
                    group.addTask { (0..<50).allSatisfy { i in checkCount(n: 200 + g * 37 + i, grain: 1 + i % 5) } }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 })
        }

        @Test("a matrix product split over the pool equals the single-threaded one")
        func parallelMatmul() {
            let before = sk_pool_threads()
            defer { sk_pool_start(before) }
            let m = TestMatrix(type: SK_TYPE_Q4_1, rows: 300, k: 576, seed: 3)
            let a = TestActivations(ntok: 9, k: 576, seed: 4)
            let single = matmul(m, a)
            for threads in [2, 3] {
                sk_pool_start(Int32(threads))
                var y = [Float](repeating: .nan, count: a.ntok * m.rows)
                struct Ctx { var w, xq: UnsafeRawPointer; var y: UnsafeMutablePointer<Float>; var k, ntok, rows: Int64 }
                m.raw.withUnsafeBytes { w in
                    a.xq.withUnsafeBytes { xq in
                        y.withUnsafeMutableBufferPointer { yb in
                            var ctx = Ctx(w: w.baseAddress!, xq: xq.baseAddress!, y: yb.baseAddress!, k: 576, ntok: 9, rows: 300)
                            let job: sk_job_fn = { c, r0, r1, _ in
                                let c = c!.assumingMemoryBound(to: Ctx.self).pointee
                                sk_matmul(Int32(SK_TYPE_Q4_1), c.w, c.k, nil, c.xq, c.ntok, c.y, c.rows, r0, r1)
                            }
                            sk_parallel_for(300, 16, job, &ctx)
                        }
                    }
                }
                #expect(zip(y, single).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(threads) threads")
            }
        }
    }
}

/// A job that adds its item count to ctx[0] and records a nonzero thread index in ctx[1].
let countJob: sk_job_fn = { ctx, begin, end, thread in
    let p = ctx!.assumingMemoryBound(to: Int64.self)
    p[0] += end - begin
    if thread != 0 { p[1] += 1 }
}

/// Runs one parallel_for and checks only that every item ran once (the split may be
/// inline when another caller holds the pool).
func checkCount(n: Int, grain: Int) -> Bool {
    var probe = PoolProbe(n: n)
    defer { probe.free() }
    withUnsafeMutablePointer(to: &probe) { sk_parallel_for(Int64(n), Int64(grain), markJob, $0) }
    return (0..<n).allSatisfy { probe.count[$0] == 1 }
}
