import SpecCore

/// A recorded trace as a `StepSource`, with no model: a `Pacer` plays it
/// with the same pause / step / one-decision pacing as a live session;
/// settings changes, new prompts and tunes are refused with an `.error`.
///
/// A step is everything up to its `stepFinished` and the `.statistics`
/// after it; while running, the pacer waits the step's recorded time
/// (divided by the pace's speed, at most `longestPause`) before the next.
/// Recorded `.mode` events are skipped: the pacer reports its own. At the
/// end of the trace the replay finishes (with `.finished(reason: "end-of-trace")`
/// when the recording was cut short).
///
/// - Complexity: O(events) in all.
public final class TraceReplay: StepSource, @unchecked Sendable {
    public let trace: Trace
    public let pace: ReplayPace
    /// The longest wait between two steps, whatever the trace says: a replay never stalls.
    public static let longestPause = 10.0

    // Used only from the pacer's queue.
    private let recorded: [SessionEvent]
    private var cursor = 0

    public init(trace: Trace, pace: ReplayPace = .recorded(speed: 1)) {
        self.trace = trace
        self.pace = pace
        recorded = trace.events.filter { if case .mode = $0 { false } else { true } }
    }

    /// Reads the trace at `path` and replays it.
    /// - Throws: `TraceError` naming the line that cannot be read.
    public convenience init(path: String, pace: ReplayPace = .recorded(speed: 1)) throws {
        self.init(trace: try TraceReader.read(path: path), pace: pace)
    }

    public func start(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        cursor < recorded.count ? .ready(pause: 0) : end(emit)
    }

    /// Releases the rest of the current step (through its `stepFinished` and
    /// the `.statistics` after it).
    public func step(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        guard cursor < recorded.count else { return end(emit) }
        var seconds = 0.0
        while cursor < recorded.count {
            let event = recorded[cursor]
            cursor += 1
            emit(event)
            if case let .decoding(.stepFinished(summary)) = event {
                seconds = summary.totalSeconds
                if cursor < recorded.count, case .statistics = recorded[cursor] {
                    emit(recorded[cursor])
                    cursor += 1
                }
                break
            }
        }
        return cursor < recorded.count ? .ready(pause: delay(forStepOf: seconds)) : end(emit)
    }

    public func perform(_ command: SessionCommand, shouldStop: @escaping @Sendable () -> Bool,
                        _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        switch command {
        case .tune: emit(.error("a replay cannot tune: tuning runs the models, and a replay has none"))
        default: emit(.error("a replay cannot change settings"))
        }
        return nil
    }

    /// The trace is over: `.finished` unless the recording ends with one.
    private func end(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        if case .finished = recorded.last {} else { emit(.finished(reason: "end-of-trace")) }
        return .finished
    }

    /// The wait after a step that took `recordedSeconds`, as the pace says, at most `longestPause`.
    public func delay(forStepOf recordedSeconds: Double) -> Double {
        let seconds: Double = switch pace {
        case .asFastAsPossible: 0
        case let .recorded(speed): speed > 0 ? recordedSeconds / speed : 0
        case let .stepsPerSecond(rate): rate > 0 ? 1 / rate : 0
        }
        return seconds.isFinite ? min(max(0, seconds), Self.longestPause) : 0
    }
}
