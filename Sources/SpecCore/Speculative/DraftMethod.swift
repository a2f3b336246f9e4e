/// How a draft tree is grown, and hence how it must be verified.
public enum DraftMethod: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// One child per node, drawn from q (Leviathan et al.; Chen et al.).
    case chain
    /// k children per node drawn i.i.d. from q, duplicates allowed (SpecInfer).
    case specInfer = "specinfer"
    /// k children per node drawn without replacement by Gumbel-Top-k (RSD-C).
    case rsdC = "rsd-c"
    /// W beams of sequences drawn without replacement by stochastic beam search (RSD-S).
    case rsdS = "rsd-s"
    /// EAGLE-2's dynamic tree: the draft's top-k tokens at the nodes of highest
    /// path probability, reranked to a node budget (`DynamicTreeBuilder`).
    /// Candidates are chosen, not drawn, so they are verified as fixed proposals.
    case dynamic

    /// Whether siblings are distinct tokens (drawn without replacement).
    public var drawsWithoutReplacement: Bool { self == .rsdC || self == .rsdS }

    /// The verifier that keeps this method lossless: the greedy one at
    /// temperature 0, otherwise the rejection scheme matching how siblings were drawn.
    public func verificationRule(greedy: Bool) -> VerificationRule {
        if greedy { return .greedy }
        switch self {
        case .chain: return .chain
        case .specInfer: return .multiRound
        case .rsdC, .rsdS: return .recursive
        case .dynamic: return .deterministic
        }
    }
}
