import AsyncAlgorithms
import Dispatch
import SpecCore

/// Runs a `StepSource` (a live `DecodingSession` or a `TraceReplay`) on a
/// serial Dispatch queue of its own and streams its events through one
/// `EventPipe`: the pacing of both, written once.
///
/// **Modes.** Running: steps follow one another (after the source's pause).
/// Paused: nothing runs. `step` runs (or releases the rest of) one step, then
/// pauses. `stepDecision` runs a step with its events held back and releases
/// them up to and including the next verification decision, then waits in
/// `.decision` mode; the decoder is never blocked mid-step. Each change of
/// mode is reported as `.mode`; the end of a generation as `.finished` then
/// `.mode(.finished)`, and a new prompt runs again.
///
/// **Threads.** Every call into the source happens on the queue; `send` only
/// enqueues, so the pacer is `Sendable` and never waits for a step. A command
/// sent during a step is handled right after it: that is the step boundary.
/// With a `TraceWriter`, every event is recorded as it is published.
///
/// - Complexity: O(events) bookkeeping per step besides the source's work;
///   one `write(2)` per event with a trace.
public final class Pacer: @unchecked Sendable {
    /// The source's events, in order, in batches (see `EventPipe`); ends after `quit`.
    public var events: AsyncChannel<[SessionEvent]> { pipe.events }

    // Confined to `queue` (the reason for `@unchecked Sendable`).
    private let queue = DispatchQueue(label: "spectree.pacer", qos: .userInitiated)
    private let source: any StepSource
    private var trace: TraceWriter?
    private var mode: SessionMode
    /// Events of a step run for `stepDecision`, not yet released.
    private var held: [SessionEvent] = []
    private var holding = false
    /// Bumped whenever running stops or restarts, so that a step scheduled before does nothing.
    private var ticket = 0
    private var quitted = false

    private let pipe = EventPipe()
    /// Set by `send(.quit)` at once, off the queue: a tune in progress polls it.
    private let quitRequested = Locked(false)

    /// Starts `source` on the pacer's queue: the first events are on their way when this returns.
    /// - Parameters:
    ///   - startPaused: wait for `resume`, `step` or `stepDecision` before the first step.
    ///   - trace: records every event published.
    public init(_ source: any StepSource, startPaused: Bool = false, trace: TraceWriter? = nil) {
        self.source = source
        self.trace = trace
        mode = startPaused ? .paused : .running
        queue.async { self.start() }
    }

    /// Queues `command`; it is handled on the pacer's queue, after the step in progress.
    public func send(_ command: SessionCommand) {
        if command == .quit { quitRequested.withLock { $0 = true } }
        queue.async { self.handle(command) }
    }

    /// Sends `quit` and waits up to `timeout` for it to be handled, so that the
    /// trace ends with it before the program exits.
    /// - Returns: false when the time ran out (a step or a tune was still running).
    @discardableResult
    public func quit(waitingUpTo timeout: Duration) -> Bool {
        send(.quit)
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout.seconds) == .success
    }

    // MARK: - Running

    private func start() {
        switch source.start(emit) {
        case .finished: setMode(.finished)
        case .failed:
            mode = .paused
            emit(.mode(.paused))
        case .ready:
            emit(.mode(mode))
            if mode == .running { schedule(after: 0) }
        }
    }

    /// Runs a step after `seconds`, unless running stopped meanwhile; then the next.
    private func schedule(after seconds: Double) {
        ticket += 1
        let mine = ticket
        let work: @Sendable () -> Void = {
            guard mine == self.ticket, self.mode == .running, !self.quitted else { return }
            if case let .ready(pause) = self.runStep(), self.mode == .running { self.schedule(after: pause) }
        }
        if seconds <= 0 { queue.async(execute: work) } else { queue.asyncAfter(deadline: .now() + seconds, execute: work) }
    }

    /// One step of the source, and the mode it leads to.
    private func runStep() -> StepOutcome {
        guard mode != .finished else { return .finished }
        let outcome = source.step(emit)
        switch outcome {
        case .ready: break
        case .finished: setMode(.finished)
        case .failed: setMode(.paused)
        }
        return outcome
    }

    private func setMode(_ new: SessionMode) {
        guard new != mode else { return }
        mode = new
        if new != .running { ticket += 1 }
        emit(.mode(new))
    }

    // MARK: - Commands

    private func handle(_ command: SessionCommand) {
        guard !quitted else { return }
        switch command {
        case .pause:
            if mode == .running || mode == .decision { setMode(.paused) }
        case .resume:
            resume()
        case .togglePause:
            if mode == .running { releaseHeld(); setMode(.paused) } else { resume() }
        case .step:
            if held.isEmpty {
                guard runStep() != .failed else { return }  // the error paused the session
            } else {
                releaseHeld()  // the rest of the step already run
            }
            if mode != .finished {
                mode = .paused
                ticket += 1
                emit(.mode(.paused))  // always: it tells the screen the step is over
            }
        case .stepDecision:
            stepDecision()
        case .seek:
            seek(command)
        case .replaySpeed:
            _ = source.perform(command, shouldStop: { false }, emit)
        case .change, .newPrompt, .tune:
            releaseHeld()
            let outcome = source.perform(command, shouldStop: { [quitRequested] in quitRequested.withLock { $0 } }, emit)
            switch outcome {
            case nil: break
            case .failed: setMode(.paused)
            case .finished:
                mode = .finished
                emit(.mode(.finished))
            case .ready:
                if mode == .finished { setMode(.running) }
                if mode == .running { schedule(after: 0) }
            }
        case .quit:
            releaseHeld()
            if mode != .finished {
                emit(.finished(reason: "quit"))
                setMode(.finished)
            }
            quitted = true
            pipe.finish()
        }
    }

    /// A replay's jump: the held part of a step is dropped (the screen is
    /// rebuilt from the trace); running goes on from the new place, any other
    /// mode becomes paused there (or finished at the end).
    private func seek(_ command: SessionCommand) {
        held.removeAll()
        guard let outcome = source.perform(command, shouldStop: { false }, emit) else { return }
        switch outcome {
        case .finished: setMode(.finished)
        case .failed: setMode(.paused)
        case .ready: if mode != .running { setMode(.paused) }
        }
    }

    private func resume() {
        releaseHeld()
        guard mode != .finished else { return }
        setMode(.running)
        schedule(after: 0)
    }

    /// Releases held events through the next decision; when none is held,
    /// the rest of the held step and then a new step's events through its first decision.
    private func stepDecision() {
        if !releaseThroughNextDecision() {
            releaseHeld()
            if mode != .finished {
                holding = true
                let outcome = runStep()
                holding = false
                if !releaseThroughNextDecision() { releaseHeld() }
                if outcome == .failed { return }  // the error paused the session
            }
        }
        if mode != .finished {
            mode = .decision
            ticket += 1
            publish([.mode(.decision)])
        } else if !held.isEmpty {
            // The generation ended inside the held step: the screen is between
            // decisions until the rest (ending in `.finished`) is released.
            publish([.mode(.decision)])
        }
    }

    // MARK: - Emitting

    /// Publishes `event`, or holds it while a `stepDecision` step runs.
    private func emit(_ event: SessionEvent) {
        if holding { held.append(event) } else { publish([event]) }
    }

    private func releaseHeld() {
        guard !held.isEmpty else { return }
        let events = held
        held.removeAll()
        publish(events)
    }

    /// Releases held events up to and including the first decision; false if none is held.
    private func releaseThroughNextDecision() -> Bool {
        guard let i = held.firstIndex(where: \.isDecision) else { return false }
        let events = Array(held[...i])
        held.removeFirst(i + 1)
        publish(events)
        return true
    }

    /// Records `events` in the trace and hands them to the pipe.
    private func publish(_ events: [SessionEvent]) {
        if let writer = trace {
            do {
                for event in events { try writer.write(event) }
            } catch {
                trace = nil
                pipe.publish(events + [.error("the trace stopped: \(error)")])
                return
            }
        }
        pipe.publish(events)
    }
}
