/// Acceptance by tree depth and sibling rank: `rate(depth:rank:)` is the
/// chance that the `rank`-th sibling tried at a node of `depth` is accepted,
/// given that its parent was accepted and the `rank` siblings tried before it
/// were rejected (the verification decisions' `round` is that rank).
///
/// The input of `TreeThroughputModel`: with independent ranks, a node whose
/// children are b siblings accepts one of them with probability
/// 1 − Π_{r<b} (1 − a_{d,r}).
public struct AcceptanceProfile: Sendable, Equatable, Codable {
    /// `rates[d - 1][r]`: a_{d,r}, each in 0…1. Depths and ranks not listed
    /// are filled in by `rate(depth:rank:)`.
    public var rates: [[Double]]

    /// A profile with the given rates (clamped to 0…1).
    public init(rates: [[Double]]) {
        self.rates = rates.map { $0.map { $0.isNaN ? 0 : min(1, max(0, $0)) } }
    }

    /// Deepest depth measured.
    public var depthCount: Int { rates.count }

    /// a_{d,r}. A depth past the deepest measured takes the deepest one's
    /// rates; a rank not measured at `depth` takes that rank's rate at the
    /// nearest depth that measured it (shallower first); a rank measured
    /// nowhere is 0 (an untested sibling is assumed never to help).
    /// - Complexity: O(depths).
    public func rate(depth: Int, rank: Int) -> Double {
        guard !rates.isEmpty, depth >= 1, rank >= 0 else { return 0 }
        let d = min(depth, rates.count) - 1
        if rank < rates[d].count { return rates[d][rank] }
        for distance in 1..<max(rates.count, 1) {
            for candidate in [d - distance, d + distance] where candidate >= 0 && candidate < rates.count {
                if rank < rates[candidate].count { return rates[candidate][rank] }
            }
        }
        return 0
    }

    /// P_d(b) = 1 − Π_{r<b} (1 − a_{d,r}): the chance that one of `siblings`
    /// children of an accepted node at depth − 1 is accepted.
    public func acceptance(depth: Int, siblings: Int) -> Double {
        var allRejected = 1.0
        for r in 0..<max(0, siblings) { allRejected *= 1 - rate(depth: depth, rank: r) }
        return 1 - allRejected
    }
}
