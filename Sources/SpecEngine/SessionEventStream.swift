import AsyncAlgorithms

/// The events of an `EventSource` as an `AsyncSequence` of batches: every
/// event the source emitted, in order, grouped into as few batches as the
/// consumer's pace allows (a screen that draws slowly gets bigger batches).
///
/// Meant for one consumer; a second iterator would split the batches between
/// the two. Ends when the source has quit and everything was delivered.
public struct SessionEventStream: AsyncSequence, Sendable {
    public typealias Element = [SessionEvent]

    let channel: AsyncChannel<[SessionEvent]>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncChannel<[SessionEvent]>.AsyncIterator

        public mutating func next() async -> [SessionEvent]? {
            await base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: channel.makeAsyncIterator())
    }

    /// Every event until the stream ends, batches concatenated (for tests and tools).
    public func collect() async -> [SessionEvent] {
        var all: [SessionEvent] = []
        for await batch in self { all += batch }
        return all
    }
}
