import Dispatch
import Foundation
import SpecCore

/// Plays a recorded trace through the same interface as a live
/// `DecodingSession`, with no model: the same pause / step / one-decision
/// pacing, and settings changes, new prompts and tunes refused with an `.error`.
///
/// The trace's events are released in order, one step at a time: a step is
/// everything up to its `stepFinished` and the `.statistics` after it.
/// Recorded `.mode` events are skipped: the replay's own mode (from its
/// commands) is what it reports. At the end of the trace it reports
/// `.mode(.finished)` (after `.finished(reason: "end-of-trace")` when the
/// recording was cut short) and waits for `quit`, which ends `events`
/// (after `.finished(reason: "quit")` if the trace was not over).
///
/// - Complexity: O(events) in all; one timer per step while running.
public final class TraceReplay: EventSource, @unchecked Sendable {
    public let events: SessionEventStream
    public let trace: Trace
    public let pace: ReplayPace

    // Confined to `queue`.
    private let queue = DispatchQueue(label: "spectree.trace-replay", qos: .userInitiated)
    private let recorded: [SessionEvent]
    private var cursor = 0
    private var mode: SessionMode
    /// Bumped when the replay stops running, so that a pending timer does nothing.
    private var tick = 0
    private var quitted = false
    private var ended = false
    private let pump = EventPump()

    /// Starts replaying `trace` on its queue.
    public init(trace: Trace, pace: ReplayPace = .recorded(speed: 1), startPaused: Bool = false) {
        self.trace = trace
        self.pace = pace
        recorded = trace.events.filter { if case .mode = $0 { false } else { true } }
        mode = startPaused ? .paused : .running
        events = pump.stream
        queue.async {
            self.pump.publish(.mode(self.mode))
            if self.mode == .running { self.scheduleTick(after: 0) }
        }
    }

    /// Reads the trace at `path` and replays it.
    /// - Throws: `TraceError` naming the line that cannot be read.
    public convenience init(path: String, pace: ReplayPace = .recorded(speed: 1), startPaused: Bool = false) throws {
        self.init(trace: try TraceReader.read(path: path), pace: pace, startPaused: startPaused)
    }

    public func send(_ command: SessionCommand) {
        queue.async { self.handle(command) }
    }

    private func handle(_ command: SessionCommand) {
        guard !quitted else { return }
        switch command {
        case .pause:
            if mode == .running || mode == .decision { setMode(.paused) }
        case .resume:
            resume()
        case .togglePause:
            if mode == .running { setMode(.paused) } else { resume() }
        case .step:
            releaseStep()
            if !atEnd {
                mode = .paused
                pump.publish(.mode(.paused))
            } else {
                reachEnd()
            }
        case .stepDecision:
            if let i = recorded[cursor...].firstIndex(where: \.isDecision) {
                release(upTo: i + 1)
            } else {
                release(upTo: recorded.count)
            }
            if !atEnd {
                mode = .decision
                pump.publish(.mode(.decision))
            } else {
                reachEnd()
            }
        case .change:
            pump.publish(.error("a replay cannot change settings"))
        case .newPrompt:
            pump.publish(.error("a replay cannot change settings"))
        case .tune:
            pump.publish(.error("a replay cannot tune: tuning runs the models, and a replay has none"))
        case .quit:
            quitted = true
            tick += 1
            if !ended {
                // As a live session does when it quits before the end.
                ended = true
                pump.publish([.finished(reason: "quit"), .mode(.finished)])
            }
            pump.finish()
        }
    }

    private var atEnd: Bool { cursor >= recorded.count }

    private func resume() {
        guard !atEnd else { return reachEnd() }
        setMode(.running)
        scheduleTick(after: 0)
    }

    private func setMode(_ new: SessionMode) {
        guard new != mode else { return }
        mode = new
        if new != .running { tick += 1 }
        pump.publish(.mode(new))
    }

    /// Plays one step, then waits as the pace says before the next.
    private func scheduleTick(after seconds: Double) {
        tick += 1
        let ticket = tick
        let work: @Sendable () -> Void = {
            guard ticket == self.tick, self.mode == .running, !self.quitted else { return }
            let duration = self.releaseStep()
            if self.atEnd { return self.reachEnd() }
            self.scheduleTick(after: self.delay(forStepOf: duration))
        }
        if seconds <= 0 {
            queue.async(execute: work)
        } else {
            queue.asyncAfter(deadline: .now() + seconds, execute: work)
        }
    }

    private func delay(forStepOf recordedSeconds: Double) -> Double {
        switch pace {
        case .asFastAsPossible: 0
        case let .recorded(speed): speed > 0 ? recordedSeconds / speed : 0
        case let .stepsPerSecond(rate): rate > 0 ? 1 / rate : 0
        }
    }

    /// Releases the rest of the current step (through its `stepFinished` and
    /// the `.statistics` after it) and returns the step's recorded duration.
    @discardableResult
    private func releaseStep() -> Double {
        var end = cursor
        var seconds = 0.0
        while end < recorded.count {
            let event = recorded[end]
            end += 1
            if case let .decoding(.stepFinished(summary)) = event {
                seconds = summary.totalSeconds
                if end < recorded.count, case .statistics = recorded[end] { end += 1 }
                break
            }
        }
        release(upTo: end)
        return seconds
    }

    private func release(upTo end: Int) {
        guard end > cursor else { return }
        pump.publish(Array(recorded[cursor..<end]))
        cursor = end
    }

    /// The trace is over: say so once.
    private func reachEnd() {
        guard !ended else { return }
        ended = true
        if case .finished = recorded.last {} else {
            pump.publish(.finished(reason: "end-of-trace"))
        }
        mode = .finished
        tick += 1
        pump.publish(.mode(.finished))
    }
}
