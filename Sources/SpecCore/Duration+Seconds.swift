extension Duration {
    /// The duration in seconds, the one conversion every timing in spectree uses.
    /// - Complexity: O(1).
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
