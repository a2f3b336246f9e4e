/// The outcome of one verification decision.
public enum DecisionVerdict: String, Sendable, Equatable {
    /// Shown before the draw is compared.
    case undecided
    case accepted
    case rejected
}
