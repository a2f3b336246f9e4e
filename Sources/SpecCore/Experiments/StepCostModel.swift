/// What one speculative step costs on this machine, as a function of the
/// tree's shape: the measured inputs of `TreeThroughputModel`.
///
///     step(shape) = draft(shape) + verify(shape) + overhead(shape)
///     draft(shape)    = D(1) + Σ_{ℓ=1}^{L−1} D(n_ℓ)   (the root call, then one call per level but the last)
///     verify(shape)   = V(N + 1)                        (the tree's N nodes after the last emitted token)
///     overhead(shape) = o₀ + o₁ · N                     (sampling, verification, cache commits)
///
/// with n_ℓ the nodes on level ℓ, N the tree's node count, D and V measured
/// model-call times by tokens per call, o₀ and o₁ fitted to timed steps.
/// A draft without a model (n-gram lookup) has D ≡ 0.
public struct StepCostModel: Sendable, Equatable, Codable {
    /// Seconds of one target call on n tokens, by n.
    public var verifyCall: PiecewiseLinear
    /// Seconds of one draft-model call on w tokens (one tree level), by w; nil for a draft without a model.
    public var draftCall: PiecewiseLinear?
    /// o₀: seconds per step besides model calls.
    public var overheadPerStep: Double
    /// o₁: seconds per tree node besides model calls.
    public var overheadPerNode: Double

    public init(verifyCall: PiecewiseLinear, draftCall: PiecewiseLinear?, overheadPerStep: Double = 0, overheadPerNode: Double = 0) {
        self.verifyCall = verifyCall
        self.draftCall = draftCall
        self.overheadPerStep = overheadPerStep
        self.overheadPerNode = overheadPerNode
    }

    /// Seconds of drafting `shape`'s tree: one draft call at the root, one per level but the last.
    public func draftSeconds(_ shape: DraftShape) -> Double {
        guard let draftCall else { return 0 }
        let widths = TreeThroughputModel.levelWidths(shape)
        return draftCall(1) + widths.dropLast().map { draftCall($0) }.reduce(0, +)
    }

    /// Seconds of the target's one call on the tree plus the token it hangs off.
    public func verifySeconds(_ shape: DraftShape) -> Double { verifyCall(shape.maxNodeCount + 1) }

    /// Seconds per step outside the model calls.
    public func overheadSeconds(_ shape: DraftShape) -> Double {
        max(0, overheadPerStep + overheadPerNode * Double(shape.maxNodeCount))
    }

    /// Predicted seconds of one step.
    public func stepSeconds(_ shape: DraftShape) -> Double {
        draftSeconds(shape) + verifySeconds(shape) + overheadSeconds(shape)
    }
}
