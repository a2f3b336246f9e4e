/// Where a draft-tree node stands in verification.
public enum NodeState: String, Sendable, Equatable, CaseIterable {
    /// Drafted, not yet verified.
    case pending
    /// Verified and kept.
    case accepted
    /// Verified and refused.
    case rejected
    /// Not drafted: sampled from the residual distribution after a rejection.
    case resampled
    /// Not drafted: sampled from the target after every draft token was accepted.
    case bonus
    /// Drafted, then cut by a dynamic tree's rerank: never verified.
    case cut

    /// The verdict glyph: `✓ ✗ ↻ ★`, `·` for pending, `✂` for cut.
    public var glyph: Character {
        switch self {
        case .pending: "·"
        case .accepted: "✓"
        case .rejected: "✗"
        case .resampled: "↻"
        case .bonus: "★"
        case .cut: "✂"
        }
    }

    /// The theme role of the glyph.
    public var role: ThemeRole {
        switch self {
        case .pending: .pending
        case .accepted: .accepted
        case .rejected: .rejected
        case .resampled: .resampled
        case .bonus: .bonus
        case .cut: .dim
        }
    }
}
