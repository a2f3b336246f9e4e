import SpecCore

/// A recorded trace as a `StepSource`, with no model: a `Pacer` plays it
/// with the same pause / step / one-decision pacing as a live session, and
/// as a player: its speed changes (`.replaySpeed`) and it seeks to any step,
/// back or forward (`.seek`). Settings changes, new prompts and tunes are
/// refused with an `.error`.
///
/// A step is everything up to its `stepFinished` and the `.statistics`
/// after it, followed by a `.replayPosition`; while running, the pacer waits
/// the step's recorded time (divided by the pace's speed, at most
/// `longestPause`) before the next. Recorded `.mode` events are skipped: the
/// pacer reports its own. At the end of the trace the replay finishes (with
/// `.finished(reason: "end-of-trace")` when the recording was cut short).
///
/// **Seeking** to step `n` emits `.rewound` and then, at once, every event
/// of the trace from its start to the end of step `n`: the screen, a fold
/// over events, is rebuilt exactly as it was after step `n` was first played.
///
/// - Complexity: O(events) to index the trace; a step O(its events); a seek
///   O(events up to the step sought).
public final class TraceReplay: StepSource, @unchecked Sendable {
    public let trace: Trace
    /// The pace now (`.replaySpeed` changes it).
    public private(set) var pace: ReplayPace
    /// The longest wait between two steps, whatever the trace says: a replay never stalls.
    public static let longestPause = 10.0

    // Used only from the pacer's queue.
    private let recorded: [SessionEvent]
    /// `stepEnds[k]`: the index in `recorded` just after step `k` (its statistics included);
    /// `stepEnds[0]`: the first `stepStarted` (or the end), so step 0 is what precedes the first step.
    private let stepEnds: [Int]
    private var cursor = 0
    /// Steps released so far.
    public private(set) var stepsShown = 0

    public init(trace: Trace, pace: ReplayPace = .recorded(speed: 1)) {
        self.trace = trace
        self.pace = pace
        recorded = trace.events.filter { if case .mode = $0 { false } else { true } }
        stepEnds = Self.index(recorded)
    }

    /// Reads the trace at `path` and replays it.
    /// - Throws: `TraceError` naming the line that cannot be read.
    public convenience init(path: String, pace: ReplayPace = .recorded(speed: 1)) throws {
        self.init(trace: try TraceReader.read(path: path), pace: pace)
    }

    /// Finished steps in the trace.
    public var steps: Int { stepEnds.count - 1 }

    /// Where each step's events end (see `stepEnds`). O(events).
    static func index(_ events: [SessionEvent]) -> [Int] {
        var ends = [events.firstIndex { if case .decoding(.stepStarted) = $0 { true } else { false } } ?? events.count]
        var i = 0
        while i < events.count {
            if case .decoding(.stepFinished) = events[i] {
                if i + 1 < events.count, case .statistics = events[i + 1] { i += 1 }
                ends.append(i + 1)
            }
            i += 1
        }
        return ends
    }

    /// The events of the trace (recorded `.mode` aside) through the end of step `n`: what a seek replays.
    public func events(throughStep n: Int) -> ArraySlice<SessionEvent> {
        recorded[..<stepEnds[min(max(0, n), steps)]]
    }

    public var position: ReplayPosition { ReplayPosition(step: stepsShown, steps: steps, pace: pace) }

    public func start(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        emit(.replayPosition(position))
        return cursor < recorded.count ? .ready(pause: 0) : end(emit)
    }

    /// Releases the rest of the current step (through its `stepFinished` and
    /// the `.statistics` after it), then the new position.
    public func step(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        guard cursor < recorded.count else { return end(emit) }
        var seconds = 0.0
        var finished = false
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
                finished = true
                break
            }
        }
        if finished {
            stepsShown += 1
            emit(.replayPosition(position))
        }
        return cursor < recorded.count ? .ready(pause: delay(forStepOf: seconds)) : end(emit)
    }

    public func perform(_ command: SessionCommand, shouldStop: @escaping @Sendable () -> Bool,
                        _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        switch command {
        case let .seek(n):
            return seek(to: n, emit)
        case let .replaySpeed(speed):
            pace = speed > 0 && speed.isFinite ? .recorded(speed: speed) : .asFastAsPossible
            emit(.replayPosition(position))
            return nil
        case .tune: emit(.error("a replay cannot tune: tuning runs the models, and a replay has none"))
        default: emit(.error("a replay cannot change settings"))
        }
        return nil
    }

    /// Rebuilds the screen at the end of step `n` (clamped to 0…steps).
    private func seek(to n: Int, _ emit: (SessionEvent) -> Void) -> StepOutcome {
        let target = min(max(0, n), steps)
        emit(.rewound)
        for event in events(throughStep: target) { emit(event) }
        cursor = stepEnds[target]
        stepsShown = target
        emit(.replayPosition(position))
        return cursor < recorded.count ? .ready(pause: 0) : end(emit)
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
