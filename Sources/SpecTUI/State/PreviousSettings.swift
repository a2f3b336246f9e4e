/// The figures of the settings in force before the last change, kept so the
/// acceptance pane can show "before and after" side by side:
/// `before rsd-s W=2 L=4: eff. 2.10 · 18.2 tok/s`.
public struct PreviousSettings: Sendable, Equatable {
    /// What changed, as it was: `rsd-s W=2 L=4`, `T=0.80`, `self-draft 8/30 layers (0-7)`.
    public var label: String
    /// Emitted tokens ÷ target calls under those settings.
    public var blockEfficiency: Double
    /// Decoding throughput under those settings.
    public var tokensPerSecond: Double
    /// Measured speedup over the baseline, if a baseline was known.
    public var measuredSpeedup: Double?
    /// Steps those figures rest on.
    public var steps: Int

    public init(label: String, blockEfficiency: Double, tokensPerSecond: Double, measuredSpeedup: Double? = nil, steps: Int) {
        self.label = label
        self.blockEfficiency = blockEfficiency
        self.tokensPerSecond = tokensPerSecond
        self.measuredSpeedup = measuredSpeedup
        self.steps = steps
    }
}
