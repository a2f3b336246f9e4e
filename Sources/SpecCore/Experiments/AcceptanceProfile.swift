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

/// Counts of verification decisions by depth and sibling rank, from which an
/// `AcceptanceProfile` is estimated.
public struct AcceptanceCounts: Sendable, Equatable, Codable {
    /// `tested[d - 1][r]`: decisions made at depth d on the rank-r sibling.
    public private(set) var tested: [[Int]] = []
    /// `accepted[d - 1][r]`: those that accepted.
    public private(set) var accepted: [[Int]] = []

    public init() {}

    /// Records one decision.
    public mutating func record(depth: Int, rank: Int, accepted isAccepted: Bool) {
        precondition(depth >= 1 && rank >= 0)
        while tested.count < depth { tested.append([]); accepted.append([]) }
        while tested[depth - 1].count <= rank { tested[depth - 1].append(0); accepted[depth - 1].append(0) }
        tested[depth - 1][rank] += 1
        if isAccepted { accepted[depth - 1][rank] += 1 }
    }

    /// Adds another set of counts.
    public mutating func add(_ other: AcceptanceCounts) {
        for d in other.tested.indices {
            for r in other.tested[d].indices {
                for i in 0..<other.tested[d][r] { record(depth: d + 1, rank: r, accepted: i < other.accepted[d][r]) }
            }
        }
    }

    /// accepted ÷ tested per (depth, rank); a rank tested fewer than
    /// `minimumTests` times is left out (and so filled in from its neighbours),
    /// as are the ranks after it at that depth.
    public func profile(minimumTests: Int = 3) -> AcceptanceProfile {
        var rates: [[Double]] = []
        for d in tested.indices {
            var row: [Double] = []
            for r in tested[d].indices {
                guard tested[d][r] >= max(1, minimumTests) else { break }
                row.append(Double(accepted[d][r]) / Double(tested[d][r]))
            }
            if row.isEmpty { break }
            rates.append(row)
        }
        return AcceptanceProfile(rates: rates)
    }
}
