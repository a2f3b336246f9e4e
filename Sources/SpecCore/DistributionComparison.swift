/// Compares two samples of discrete outcomes: the total-variation distance of
/// their empirical distributions, and a permutation test of "both come from
/// the same distribution".
///
/// Used by `spectree check`: samples of the next few tokens with and without
/// speculation should be indistinguishable.
public struct DistributionComparison: Sendable {
    /// ½ Σ |p̂(x) − q̂(x)| of the two empirical distributions.
    public let totalVariation: Double
    /// The TV distance that same-distribution samples of these sizes exceed
    /// only 5% of the time (the 95th percentile of the permutation null).
    public let chanceLevel95: Double
    /// The fraction of label permutations whose TV is at least the observed
    /// one (with the +1 correction): small means the samples differ.
    public let pValue: Double
    public let permutations: Int

    /// - Complexity: O(permutations · (a.count + b.count)).
    public init<T: Hashable>(_ a: [T], _ b: [T], permutations: Int = 1000, seed: UInt64 = 0) {
        precondition(!a.isEmpty && !b.isEmpty, "both samples need outcomes")
        var ids: [T: Int] = [:]
        let pooled = (a + b).map { x -> Int in
            if let id = ids[x] { return id }
            ids[x] = ids.count
            return ids.count - 1
        }
        let categories = ids.count
        func distance(_ labels: [Int]) -> Double {
            var countA = [Int](repeating: 0, count: categories), countB = countA
            for (i, id) in labels.enumerated() {
                if i < a.count { countA[id] += 1 } else { countB[id] += 1 }
            }
            var sum = 0.0
            for c in 0..<categories { sum += abs(Double(countA[c]) / Double(a.count) - Double(countB[c]) / Double(b.count)) }
            return sum / 2
        }
        let observed = distance(pooled)
        var random = RandomSource(seed: seed)
        var shuffled = pooled
        var null: [Double] = []
        null.reserveCapacity(permutations)
        var atLeast = 0
        for _ in 0..<permutations {
            shuffled.shuffle(using: &random)
            let d = distance(shuffled)
            null.append(d)
            if d >= observed - 1e-12 { atLeast += 1 }
        }
        null.sort()
        totalVariation = observed
        chanceLevel95 = null.isEmpty ? 0 : null[min(null.count - 1, Int(0.95 * Double(null.count)))]
        pValue = Double(atLeast + 1) / Double(permutations + 1)
        self.permutations = permutations
    }
}
