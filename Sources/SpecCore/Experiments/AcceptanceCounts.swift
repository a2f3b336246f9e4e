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
