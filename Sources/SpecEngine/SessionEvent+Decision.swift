extension SessionEvent {
    /// Whether this is a verification decision (what `stepDecision` stops after).
    public var isDecision: Bool {
        if case .decoding(.decision) = self { return true }
        return false
    }
}
