import AsyncAlgorithms

/// The one pipe from a session to its screen: `events`, a single
/// `AsyncChannel` of event batches, fed by a producer that must never wait
/// (the pacer's queue) and read by one consumer that may be slow (the screen).
///
/// `publish` appends to a pending list under a lock, rings a doorbell (an
/// `AsyncStream` that keeps at most one ring) and returns. One task wakes on
/// the doorbell and sends everything pending as one batch; the channel's
/// `send` suspends until the consumer takes it, so while the consumer is busy
/// drawing, events pile up and go out as one bigger batch: the coalescing a
/// screen wants, with no event dropped and the decoder never blocked.
///
/// - Complexity: O(1) amortised per event on the producer's side. The cost of
///   a consumer that stops reading is memory: the pending list grows.
public final class EventPipe: Sendable {
    /// Every published event, in order, in batches; ends after `finish`.
    public let events = AsyncChannel<[SessionEvent]>()
    private let pending = Locked(Pending())
    private let doorbell: AsyncStream<Void>.Continuation

    private struct Pending {
        var events: [SessionEvent] = []
        var finished = false
    }

    public init() {
        let (rings, doorbell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.doorbell = doorbell
        let pending = self.pending, events = self.events
        Task.detached {
            func take() -> [SessionEvent] {
                pending.withLock { p in
                    defer { p.events.removeAll(keepingCapacity: true) }
                    return p.events
                }
            }
            for await _ in rings {
                let batch = take()
                if !batch.isEmpty { await events.send(batch) }
            }
            let rest = take()
            if !rest.isEmpty { await events.send(rest) }
            events.finish()
        }
    }

    /// Appends `batch` for the consumer. Never waits; ignored after `finish`.
    public func publish(_ batch: [SessionEvent]) {
        guard !batch.isEmpty else { return }
        let accepted = pending.withLock { p in
            guard !p.finished else { return false }
            p.events += batch
            return true
        }
        if accepted { doorbell.yield() }
    }

    /// Delivers what is pending, then ends `events`.
    public func finish() {
        let first = pending.withLock { p in
            defer { p.finished = true }
            return !p.finished
        }
        if first { doorbell.finish() }
    }
}
