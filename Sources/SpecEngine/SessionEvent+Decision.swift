extension SessionEvent {
    /// Whether this is a verification decision or the step's final draw
    /// (what `stepDecision` stops after).
    public var isDecision: Bool {
        if case .decoding(.decision) = self { return true }
        if case .decoding(.finalDraw) = self { return true }
        return false
    }
}
