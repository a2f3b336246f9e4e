import AsyncAlgorithms
import Foundation

/// Carries events from a producer that must never wait (the decoder's queue)
/// to a consumer that may be slow (the screen), losing nothing.
///
/// Design: `publish` appends to a lock-protected pending buffer and rings a
/// doorbell (an `AsyncStream` that keeps at most one ring), then returns at
/// once. A pump task wakes on the doorbell, takes the whole buffer and sends
/// it as one batch through an `AsyncChannel`, whose `send` suspends until the
/// consumer takes it. Back-pressure thus falls on the pump alone: while the
/// consumer is busy, events accumulate and go out as one bigger batch. That is
/// the coalescing a screen wants (one frame per batch), without dropping any
/// event and without ever blocking the decoder. The cost is memory: a
/// consumer that stops reading lets the buffer grow without bound.
final class EventPump: Sendable {
    let stream: SessionEventStream
    private let state = Locked(State())
    private let doorbell: AsyncStream<Void>.Continuation

    private struct State {
        var pending: [SessionEvent] = []
        var finished = false
    }

    init() {
        let channel = AsyncChannel<[SessionEvent]>()
        stream = SessionEventStream(channel: channel)
        let (rings, doorbell) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.doorbell = doorbell
        let state = self.state
        Task.detached {
            for await _ in rings {
                let batch = state.withLock { s in
                    defer { s.pending.removeAll(keepingCapacity: true) }
                    return s.pending
                }
                if !batch.isEmpty { await channel.send(batch) }
            }
            let rest = state.withLock { $0.pending }
            if !rest.isEmpty { await channel.send(rest) }
            channel.finish()
        }
    }

    /// Appends `events` for the consumer. Never waits. Ignored after `finish`.
    func publish(_ events: [SessionEvent]) {
        guard !events.isEmpty else { return }
        let accepted = state.withLock { s in
            guard !s.finished else { return false }
            s.pending += events
            return true
        }
        if accepted { doorbell.yield() }
    }

    func publish(_ event: SessionEvent) { publish([event]) }

    /// Delivers what is pending, then ends the stream.
    func finish() {
        let first = state.withLock { s in
            defer { s.finished = true }
            return !s.finished
        }
        if first { doorbell.finish() }
    }
}
