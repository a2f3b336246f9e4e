/// Where an emitted token came from.
public enum Provenance: String, Sendable, Equatable, CaseIterable {
    /// Part of the prompt.
    case prompt
    /// Drafted and accepted by verification.
    case draftAccepted
    /// Sampled from the residual after a rejection.
    case resampled
    /// Sampled from the target after a fully accepted draft.
    case bonus

    /// The colour role of such text.
    public var role: ThemeRole {
        switch self {
        case .prompt: .promptText
        case .draftAccepted: .accepted
        case .resampled: .resampled
        case .bonus: .bonus
        }
    }
}
