/// Wall-clock time of one decoding step, split by phase, in milliseconds.
public struct StepLatency: Sendable, Equatable {
    /// Drafting the tree.
    public var draftMs: Double
    /// The target's verification call.
    public var verifyMs: Double
    /// Everything else: sampling, bookkeeping, cache compaction.
    public var otherMs: Double

    public init(draftMs: Double, verifyMs: Double, otherMs: Double) {
        self.draftMs = draftMs
        self.verifyMs = verifyMs
        self.otherMs = otherMs
    }

    public var totalMs: Double { max(0, draftMs) + max(0, verifyMs) + max(0, otherMs) }
}
