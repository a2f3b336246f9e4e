import Foundation

/// Draws the children of one draft-tree node from the draft's processed
/// distribution q at that node (a dense row of vocabulary size that sums to 1).
///
/// Every draw is O(V) in the vocabulary with no sort of it, so a 49152-token
/// vocabulary costs one pass per node. A one-hot q (an n-gram drafter) works:
/// i.i.d. draws repeat its token, draws without replacement return it alone.
public enum ChildSampler {
    /// `count` children drawn i.i.d. from q (with replacement: duplicates
    /// allowed), in draw order — SpecInfer's siblings, and a chain's single child.
    ///
    /// Inverse-CDF sampling of `count` uniforms swept through q in one pass
    /// (the same token for a uniform as `Sampler.draw`).
    /// - Complexity: O(V + count·log count).
    public static func withReplacement(
        from q: UnsafeBufferPointer<Float>, count: Int, random: inout RandomSource
    ) -> [SampledChild] {
        precondition(count >= 1, "draw at least one child")
        let uniforms = (0..<count).map { _ in random.uniform() }
        let order = uniforms.indices.sorted { uniforms[$0] < uniforms[$1] }
        var tokens = [Int](repeating: -1, count: count)
        var next = 0
        var cumulative: Double = 0
        var lastPositive = 0
        for x in q.indices where q[x] > 0 {
            cumulative += Double(q[x])
            lastPositive = x
            while next < count && uniforms[order[next]] < cumulative {
                tokens[order[next]] = x
                next += 1
            }
            if next == count { break }
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
    /// Implemented as an exponential race: the top k of `log q + Gumbel` are
    /// the k smallest keys `E/q` with `E = −log U ~ Exp(1)`, kept in a heap of
    /// size k. Once the heap is full, `E ≥ 1 − U` rules most tokens out without
    /// a logarithm, so the pass costs about one random number per token.
    /// - Parameter offset: added to every score (φ of the parent in stochastic beam search).
    /// - Complexity: O(V + (number of heap insertions)·log k), O(V log k) at worst.
    public static func withoutReplacement(
        from q: UnsafeBufferPointer<Float>, count: Int, random: inout RandomSource, offset: Double = 0
    ) -> [SampledChild] {
        precondition(count >= 1, "draw at least one child")
        var heap = SmallestKeys(capacity: count)
        for x in q.indices {
            let qx = Double(q[x])
            guard qx > 0 else { continue }
            // v uniform in [0, 1); E = −log(1 − v) ≥ v.
            let v = random.uniform()
            if heap.isFull && v >= heap.threshold * qx { continue }
            heap.offer(key: -log1p(-v) / qx, item: x)
        }
        return heap.sortedAscending().map { entry in
            SampledChild(token: TokenID(entry.item), probability: Double(q[entry.item]), score: offset - log(entry.key))
        }
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
