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
    /// Side by side on the same trees: the last step judged by token-level and
    /// the other verifiers, and their running means since the last change.
    public var sideBySide: SideBySide?

    /// The same drafted tree judged token by token and by the other verifiers.
    public struct SideBySide: Sendable, Equatable {
        /// The verifier deciding the steps.
        public var verifier: String
        /// (verifier, accepted on the last step, running mean accepted per step), token first.
        public var rows: [(name: String, last: Int, mean: Double)]
        /// The depth where the chosen verifier's accepted path left token-level's on the last step (nil: same path).
        public var partDepth: Int?

        public init(verifier: String, rows: [(name: String, last: Int, mean: Double)], partDepth: Int?) {
            self.verifier = verifier
            self.rows = rows
            self.partDepth = partDepth
        }

        public static func == (a: SideBySide, b: SideBySide) -> Bool {
            a.verifier == b.verifier && a.partDepth == b.partDepth
                && a.rows.map(\.name) == b.rows.map(\.name) && a.rows.map(\.last) == b.rows.map(\.last)
                && a.rows.map(\.mean) == b.rows.map(\.mean)
        }

        /// `same tree: token 1 (1.21) · traversal 3 (1.35) · parts at d2`.
        public var line: String {
            var text = "same tree: " + rows.map { "\($0.name) \($0.last) (\(NumberFormat.fixed($0.mean, 2)))" }.joined(separator: " · ")
            if let d = partDepth { text += " · parts at d\(d)" }
            return text
        }
    }

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
