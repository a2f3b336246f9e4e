import Foundation

/// Draws the children of one draft-tree node from the draft's processed
/// distribution q at that node (a dense row of vocabulary size that sums to 1).
///
/// Every draw is one O(V) pass over q with no sort of it (about 30–80 µs
/// for a 49152-token vocabulary on one core). A one-hot q (an n-gram drafter) works:
/// i.i.d. draws repeat its token, draws without replacement return it alone.
public enum ChildSampler {
    /// `count` children drawn i.i.d. from q (with replacement: duplicates
    /// allowed), in draw order — SpecInfer's siblings, and a chain's single child.
    ///
    /// Inverse-CDF sampling of `count` sorted uniforms swept through q in one
    /// pass (for each uniform, the token `Sampler.draw` picks); blocks of q
    /// that hold no uniform are summed rather than scanned.
    /// - Complexity: O(V + count·log count).
    public static func withReplacement(
        from q: UnsafeBufferPointer<Float>, count: Int, random: inout RandomSource
    ) -> [SampledChild] {
        precondition(count >= 1, "draw at least one child")
        let uniforms = (0..<count).map { _ in random.uniform() }
        let order = uniforms.indices.sorted { uniforms[$0] < uniforms[$1] }
        var tokens = [Int](repeating: -1, count: count)
        var next = 0
        var bar = uniforms[order[0]]  // the smallest uniform not yet assigned
        var cumulative: Double = 0
        var lastPositive = 0
        var x = 0
        while x < q.count {
            if x + blockSize <= q.count {
                let block = blockSum(q, from: x)
                if cumulative + block <= bar {
                    cumulative += block
                    if block > 0 { lastPositive = lastPositiveIndex(q, from: x) }
                    x += blockSize
                    continue
                }
            }
            let qx = Double(q[x])
            if qx > 0 {
                cumulative += qx
                lastPositive = x
                while bar < cumulative {
                    tokens[order[next]] = x
                    next += 1
                    if next == count { break }
                    bar = uniforms[order[next]]
                }
                if next == count { break }
            }
            x += 1
        }
        // Rounding can leave the largest uniforms above the total mass.
        while next < count { tokens[order[next]] = lastPositive; next += 1 }
        return tokens.map { SampledChild(token: TokenID($0), probability: Double(q[$0]), score: nil) }
    }

    /// Up to `count` distinct children drawn without replacement by
    /// Gumbel-Top-k: the tokens with the `count` largest `log q(x) + Gumbel`,
    /// largest first (Kool et al. 2019). That order is sequential sampling
    /// without replacement: x1 ~ q, x2 ~ q restricted to the rest, and so on.
    /// Tokens with q = 0 are never drawn; when fewer than `count` tokens have
    /// q > 0, all of them are returned.
    ///
    /// Implemented as an exponential race with jumps (after Efraimidis and
    /// Spirakis' A-ExpJ): the top k of `log q + Gumbel` are the k smallest keys
    /// `E/q`, `E ~ Exp(1)`, kept in a heap whose largest key t is the bar to
    /// enter. Once the heap is full, token x enters with probability
    /// 1 − exp(−t·q(x)), independently, so the first entrant after a point is
    /// where the cumulative q from there first exceeds S ~ Exp(1)/t, and its
    /// key is t·(S − cumulative before it)/q(x) (an Exp(1) truncated below
    /// t·q(x), as it should be). Each entry lowers t and draws a new S. The
    /// result has exactly the Gumbel-Top-k distribution while drawing only
    /// O(k·log(V/k)) random numbers.
    /// - Parameter offset: added to every score (φ of the parent in stochastic beam search).
    /// - Complexity: O(V) additions plus O(k·log(V/k)·log k) expected for the heap.
    public static func withoutReplacement(
        from q: UnsafeBufferPointer<Float>, count: Int, random: inout RandomSource, offset: Double = 0
    ) -> [SampledChild] {
        precondition(count >= 1, "draw at least one child")
        var heap = SmallestKeys(capacity: count)
        var x = 0
        let n = q.count
        // Fill: the first `count` tokens with q > 0 get their keys directly.
        while x < n && !heap.isFull {
            let qx = Double(q[x])
            if qx > 0 { heap.offer(key: exponential(&random) / qx, item: x) }
            x += 1
        }
        // Jump from entrant to entrant.
        if heap.isFull {
            var bar = heap.threshold
            var skip = exponential(&random) / bar  // S: cumulative q to pass before the next entrant
            var cumulative: Double = 0
            while x < n {
                // Whole blocks that cannot hold the entrant are summed, not scanned.
                if x + blockSize <= n {
                    let block = blockSum(q, from: x)
                    if cumulative + block <= skip {
                        cumulative += block
                        x += blockSize
                        continue
                    }
                }
                let qx = Double(q[x])
                cumulative += qx
                if cumulative > skip {
                    let key = bar * (skip - (cumulative - qx)) / qx
                    heap.offer(key: min(max(key, 0), bar.nextDown), item: x)
                    bar = heap.threshold
                    skip = exponential(&random) / bar
                    cumulative = 0
                }
                x += 1
            }
        }
        return heap.sortedAscending().map { entry in
            SampledChild(token: TokenID(entry.item), probability: Double(q[entry.item]), score: offset - log(entry.key))
        }
    }

    /// Entries summed at once when skipping through q.
    private static let blockSize = 16

    /// q[x] + … + q[x + 15], with independent accumulators so that the adds
    /// pipeline (a running sum costs one add latency per entry).
    @inline(__always)
    private static func blockSum(_ q: UnsafeBufferPointer<Float>, from x: Int) -> Double {
        var s0: Double = 0, s1: Double = 0, s2: Double = 0, s3: Double = 0
        var i = x
        while i < x + blockSize {
            s0 += Double(q[i]); s1 += Double(q[i + 1]); s2 += Double(q[i + 2]); s3 += Double(q[i + 3])
            i += 4
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// The last index of the block at `x` with q > 0. - Precondition: there is one.
    private static func lastPositiveIndex(_ q: UnsafeBufferPointer<Float>, from x: Int) -> Int {
        var i = x + blockSize - 1
        while !(q[i] > 0) { i -= 1 }
        return i
    }

    /// An Exp(1) draw: −log(1 − u), u uniform in [0, 1).
    @inline(__always)
    private static func exponential(_ random: inout RandomSource) -> Double {
        -log1p(-random.uniform())
    }

    /// Array convenience for `withReplacement(from:count:random:)`.
    public static func withReplacement(from q: [Float], count: Int, random: inout RandomSource) -> [SampledChild] {
        q.withUnsafeBufferPointer { withReplacement(from: $0, count: count, random: &random) }
    }

    /// Array convenience for `withoutReplacement(from:count:random:offset:)`.
    public static func withoutReplacement(
        from q: [Float], count: Int, random: inout RandomSource, offset: Double = 0
    ) -> [SampledChild] {
        q.withUnsafeBufferPointer { withoutReplacement(from: $0, count: count, random: &random, offset: offset) }
    }
}
