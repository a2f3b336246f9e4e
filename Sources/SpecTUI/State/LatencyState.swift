/// Recent step timings and throughput for the latency pane.
public struct LatencyState: Sendable, Equatable {
    /// Recent steps, oldest first (the view shows as many of the newest as fit).
    public var steps: [StepLatency]
    /// Speculative decoding throughput, tokens per second.
    public var tokensPerSecond: Double?
    /// Plain autoregressive throughput of the same target, tokens per second.
    public var baselineTokensPerSecond: Double?
    /// Measured speedup, tokens/s ÷ baseline tokens/s.
    public var measuredSpeedup: Double?
    /// Predicted speedup from the throughput model (see `ThroughputModel`).
    public var predictedSpeedup: Double?

    public init(steps: [StepLatency] = [], tokensPerSecond: Double? = nil, baselineTokensPerSecond: Double? = nil,
                measuredSpeedup: Double? = nil, predictedSpeedup: Double? = nil) {
        self.steps = steps
        self.tokensPerSecond = tokensPerSecond
        self.baselineTokensPerSecond = baselineTokensPerSecond
        self.measuredSpeedup = measuredSpeedup
        self.predictedSpeedup = predictedSpeedup
    }
}
