/// Where an emitted token came from.
public enum EmittedTokenKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// A draft token the target accepted.
    case accepted = "draft-accepted"
    /// Sampled from the residual after every child of the last accepted node
    /// was rejected (or, greedy, argmax p where the draft disagreed).
    case resampled
    /// Sampled from p at an accepted leaf: the draft had nothing further.
    case bonus
}
