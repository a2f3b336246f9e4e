import SpecCore

/// The history graphs' data: the last `capacity` finished steps in a ring
/// (so memory and the cost of a step stay bounded however long a session
/// runs), and whether the next step follows a settings change.
///
/// `ScreenModel` records each `stepFinished` and marks each `configured`
/// after the first; `HistoryView` draws it.
public struct HistoryState: Sendable, Equatable {
    /// Steps kept: a few hundred, as btop keeps a few minutes.
    public static let defaultCapacity = 300
    /// Finished steps, oldest first.
    public private(set) var samples: HistoryRing<HistorySample>
    /// Steps recorded since the session began (the ring keeps only the last `capacity`).
    public private(set) var stepsRecorded = 0
    /// The next recorded step is the first after a settings change.
    public private(set) var changePending = false

    public init(capacity: Int = defaultCapacity) {
        samples = HistoryRing(capacity: capacity)
    }

    /// Notes that the settings changed: the next step carries a marker. O(1).
    public mutating func markChange() { changePending = true }

    /// Adds a finished step. O(1).
    public mutating func record(_ summary: StepSummary, baseline: Double?) {
        stepsRecorded += 1
        samples.append(HistorySample(
            step: stepsRecorded, emitted: summary.emitted.count, seconds: summary.totalSeconds,
            baselineTokensPerSecond: baseline, acceptedLength: summary.acceptedPath.count,
            deepestTested: summary.deepestTested, treeDepth: summary.treeDepth, settingsChanged: changePending))
        changePending = false
    }

    /// Adds a sample as it is (tests, samples). O(1).
    public mutating func append(_ sample: HistorySample) {
        stepsRecorded += 1
        samples.append(sample)
    }
}
