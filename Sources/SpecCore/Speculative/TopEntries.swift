/// The largest entries of a distribution over the vocabulary: token ids and
/// their probabilities, largest first. What a decision record keeps of p, q
/// and the residual instead of whole rows (a few dozen bytes, not 151936 floats).
///
/// Ties keep the smaller token id first; entries of probability 0 are never kept.
public struct TopEntries: Sendable, Equatable, Codable {
    public var tokens: [TokenID]
    /// Probabilities (normalised), in the order of `tokens`: non-increasing.
    public var probabilities: [Double]

    /// How many entries decision records keep.
    public static let defaultCount = 8

    public init(tokens: [TokenID] = [], probabilities: [Double] = []) {
        precondition(tokens.count == probabilities.count, "one probability per token")
        self.tokens = tokens
        self.probabilities = probabilities
    }

    public var count: Int { tokens.count }
    public var isEmpty: Bool { tokens.isEmpty }

    /// The probability of `token` if it is among the entries.
    public func probability(of token: TokenID) -> Double? {
        tokens.firstIndex(of: token).map { probabilities[$0] }
    }

    /// One entry: a point mass (a deterministic proposal, a greedy target).
    public static func pointMass(_ token: TokenID) -> TopEntries {
        TopEntries(tokens: [token], probabilities: [1])
    }

    /// The top `count` entries of `row` (a normalised distribution), times `scale`.
    /// - Complexity: O(V) in one pass over the row; a kept entry costs O(count).
    public static func of(_ row: UnsafeBufferPointer<Float>, scale: Double = 1, count: Int = defaultCount) -> TopEntries {
        var s = Selector(count: count)
        for y in 0..<row.count {
            let v = row[y]
            if Double(v) > s.threshold { s.insert(y, Double(v)) }
        }
        return s.entries(scale: scale)
    }

    /// The indices of the `count` largest non-zero values, largest first (ties:
    /// lower index first); what top-k sampling keeps.
    /// - Complexity: O(V) in one pass; a kept entry costs O(count).
    static func topIndices(_ values: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        var s = Selector(count: count)
        for y in 0..<values.count where Double(values[y]) > s.threshold { s.insert(y, Double(values[y])) }
        return s.ids
    }

    /// The top `count` entries of unnormalised `weights`, each divided by `total`.
    /// - Complexity: O(V), one pass.
    public static func of(_ weights: UnsafeBufferPointer<Double>, total: Double, count: Int = defaultCount) -> TopEntries {
        guard total > 0 else { return TopEntries() }
        var s = Selector(count: count)
        for y in 0..<weights.count {
            let v = weights[y]
            if v > s.threshold { s.insert(y, v) }
        }
        return s.entries(scale: 1 / total)
    }

    /// The top `count` entries of max(0, a·p − b·q), normalised by its mass
    /// (computed in the same pass): the residual of a rejection, without storing it.
    /// - Complexity: O(V), one pass.
    public static func residual(
        _ p: UnsafeBufferPointer<Float>, times a: Double, minus q: UnsafeBufferPointer<Float>, times b: Double,
        count: Int = defaultCount
    ) -> TopEntries {
        var s = Selector(count: count)
        var mass: Double = 0
        for y in 0..<p.count {
            // Branch-free positive part: the sign of p − q is a coin toss, the threshold test rarely passes.
            let v = max(0, a * Double(p[y]) - b * Double(q[y]))
            mass += v
            if v > s.threshold { s.insert(y, v) }
        }
        return mass > 0 ? s.entries(scale: 1 / mass) : TopEntries()
    }

    /// Partial selection: the `count` largest values seen, kept sorted
    /// (largest first) in two small arrays; `threshold` is the smallest kept
    /// once full (0 before, so zeros are never kept).
    struct Selector {
        let capacity: Int
        var ids: [Int] = []
        var values: [Double] = []
        var threshold: Double = 0

        init(count: Int) {
            capacity = max(1, count)
            ids.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        /// Keeps (`id`, `value`), dropping the smallest when full.
        /// - Precondition: `value > threshold`.
        mutating func insert(_ id: Int, _ value: Double) {
            var i = values.count
            while i > 0 && values[i - 1] < value { i -= 1 }
            if values.count == capacity {
                values.removeLast()
                ids.removeLast()
            }
            values.insert(value, at: i)
            ids.insert(id, at: i)
            if values.count == capacity { threshold = values[capacity - 1] }
        }

        func entries(scale: Double) -> TopEntries {
            TopEntries(tokens: ids.map { TokenID($0) }, probabilities: values.map { $0 * scale })
        }
    }
}
