/// Running totals of `VerifierComparison`s over a session or a benchmark:
/// accepted draft tokens per step of each verifier on the same trees, and how
/// often the chosen verifier's path parted from token-level's.
public struct VerifierComparisonTotals: Sendable, Equatable, Codable {
    /// Steps compared.
    public var steps = 0
    public var tokenAccepted = 0
    /// Steps whose tree was a chain (the ones block verification judged) and its accepted tokens on them.
    public var chainSteps = 0
    public var blockAccepted = 0
    /// Token-level's accepted tokens on those chain steps (block's baseline).
    public var tokenAcceptedOnChains = 0
    public var traversalAccepted = 0

    public init() {}

    /// Adds one step. O(1).
    public mutating func record(_ comparison: VerifierComparison) {
        steps += 1
        tokenAccepted += comparison.tokenPath.count
        traversalAccepted += comparison.traversalPath.count
        if let block = comparison.blockPath {
            chainSteps += 1
            blockAccepted += block.count
            tokenAcceptedOnChains += comparison.tokenPath.count
        }
    }

    /// Adds another run's totals.
    public mutating func add(_ other: VerifierComparisonTotals) {
        steps += other.steps
        tokenAccepted += other.tokenAccepted
        chainSteps += other.chainSteps
        blockAccepted += other.blockAccepted
        tokenAcceptedOnChains += other.tokenAcceptedOnChains
        traversalAccepted += other.traversalAccepted
    }

    /// Mean accepted draft tokens per step of `verifier` (nil: no step it could judge).
    public func meanAccepted(_ verifier: Verifier) -> Double? {
        switch verifier {
        case .token: steps > 0 ? Double(tokenAccepted) / Double(steps) : nil
        case .block: chainSteps > 0 ? Double(blockAccepted) / Double(chainSteps) : nil
        case .traversal: steps > 0 ? Double(traversalAccepted) / Double(steps) : nil
        }
    }

    /// Accepted draft tokens per step of `verifier` minus token-level
    /// verification's on the same trees (nil: no step it could judge).
    public func gain(_ verifier: Verifier) -> Double? {
        switch verifier {
        case .token: steps > 0 ? 0 : nil
        case .block: chainSteps > 0 ? Double(blockAccepted - tokenAcceptedOnChains) / Double(chainSteps) : nil
        case .traversal: steps > 0 ? Double(traversalAccepted - tokenAccepted) / Double(steps) : nil
        }
    }
}
