/// Acceptance statistics for the acceptance pane.
public struct AcceptanceState: Sendable, Equatable {
    /// Acceptance rate per tree level (index 0 is depth 1): accepted ÷ reached, 0…1.
    public var rateByDepth: [Double]
    /// Emitted tokens ÷ target calls.
    public var blockEfficiency: Double?
    /// How many steps accepted 0, 1, 2, … draft tokens (index = accepted length).
    public var acceptedLengthHistogram: [Int]
    /// Predicted speedup from the throughput model, if known.
    public var predictedSpeedup: Double?
    /// The figures of the settings before the last change, if any (shown under the summary line).
    public var previous: PreviousSettings?

    public init(rateByDepth: [Double] = [], blockEfficiency: Double? = nil,
                acceptedLengthHistogram: [Int] = [], predictedSpeedup: Double? = nil,
                previous: PreviousSettings? = nil) {
        self.rateByDepth = rateByDepth
        self.blockEfficiency = blockEfficiency
        self.acceptedLengthHistogram = acceptedLengthHistogram
        self.predictedSpeedup = predictedSpeedup
        self.previous = previous
    }
}
