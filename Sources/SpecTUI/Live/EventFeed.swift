import Foundation
import SpecEngine

/// A session as the live loop sees it: batches of events arriving from
/// another isolation domain, and a way to send commands back. Wraps an
/// `EventSource` (a live `DecodingSession` or a `TraceReplay`), or any async
/// sequence of `[SessionEvent]` batches with a `send`.
///
/// A detached task pumps the sequence into a locked inbox; the loop, which
/// must not block on it (curses lives there), takes everything pending with
/// `drain()` once per frame. `Sendable`: the inbox is guarded by a lock.
public final class EventFeed: Sendable {
    private let inbox = Inbox()
    private let sendCommand: @Sendable (SessionCommand) -> Void
    private let pump: @Sendable (Inbox) async -> Void

    /// - Parameters:
    ///   - events: the session's event batches; its end (or an error) closes the source.
    ///   - send: delivers a command to the session; must not block.
    public init<Events: AsyncSequence & Sendable>(events: Events, send: @escaping @Sendable (SessionCommand) -> Void)
        where Events.Element == [SessionEvent] {
        sendCommand = send
        pump = { inbox in
            do {
                for try await batch in events { inbox.push(batch) }
            } catch {
                inbox.push([.error("the session stopped: \(error)")])
            }
            inbox.close()
        }
    }

    /// The events of `source`, and commands to it.
    public convenience init(_ source: any EventSource) {
        self.init(events: source.events, send: { source.send($0) })
    }

    /// A fixed list of batches, then the end (tests, and screens with no session).
    public convenience init(batches: [[SessionEvent]], send: @escaping @Sendable (SessionCommand) -> Void = { _ in }) {
        self.init(events: BatchSequence(batches: batches), send: send)
    }

    /// Starts pumping events (once; later calls do nothing).
    public func start() {
        guard inbox.markStarted() else { return }
        let pump = self.pump, inbox = self.inbox
        Task.detached { await pump(inbox) }
    }

    public func send(_ command: SessionCommand) { sendCommand(command) }

    /// Every batch that arrived since the last call, oldest first, and whether the sequence has ended.
    /// - Complexity: O(1) besides handing over the array.
    public func drain() -> (batches: [[SessionEvent]], ended: Bool) { inbox.take() }

    /// Drains and drops batches until the sequence ends or `timeout` passes
    /// (after `quit`, so the source finishes what it writes).
    public func waitForEnd(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            _ = wait(timeout: .milliseconds(50))
            if drain().ended { return }
        }
    }

    /// Blocks until a batch is pending or the sequence ended, or `timeout` passes (for tests and headless use).
    public func wait(timeout: Duration) -> Bool { inbox.wait(timeout: timeout) }

    final class Inbox: @unchecked Sendable {
        private let condition = NSCondition()
        private var pending: [[SessionEvent]] = []
        private var ended = false
        private var started = false

        func markStarted() -> Bool {
            condition.lock(); defer { condition.unlock() }
            if started { return false }
            started = true
            return true
        }

        func push(_ batch: [SessionEvent]) {
            condition.lock()
            pending.append(batch)
            condition.signal()
            condition.unlock()
        }

        func close() {
            condition.lock()
            ended = true
            condition.broadcast()
            condition.unlock()
        }

        func take() -> ([[SessionEvent]], Bool) {
            condition.lock(); defer { condition.unlock() }
            let out = pending
            pending.removeAll()
            return (out, ended)
        }

        func wait(timeout: Duration) -> Bool {
            let c = timeout.components
            let deadline = Date(timeIntervalSinceNow: Double(c.seconds) + Double(c.attoseconds) * 1e-18)
            condition.lock(); defer { condition.unlock() }
            while pending.isEmpty && !ended {
                if !condition.wait(until: deadline) { break }
            }
            return !pending.isEmpty || ended
        }
    }
}

/// An async sequence over a fixed array of batches.
struct BatchSequence: AsyncSequence, Sendable {
    typealias Element = [SessionEvent]
    let batches: [[SessionEvent]]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<[SessionEvent]>
        mutating func next() async -> [SessionEvent]? { rest.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: batches[...]) }
}
