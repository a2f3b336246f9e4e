import AsyncAlgorithms
import SpecEngine
import Testing

@Suite struct EventPipeTests {
    /// Batches published before the consumer reads arrive coalesced, in order,
    /// none dropped; the channel ends after `finish`, and later events are ignored.
    @Test func everyEventArrivesInOrderAndTheChannelEnds() async {
        let pipe = EventPipe()
        let published: [[SessionEvent]] = (0..<50).map { i in [.error("a\(i)"), .tuning("b\(i)")] }
        for batch in published { pipe.publish(batch) }
        pipe.finish()
        pipe.publish([.error("late")])
        var received: [[SessionEvent]] = []
        for await batch in pipe.events { received.append(batch) }
        #expect(received.flatMap { $0 } == published.flatMap { $0 })
        #expect(received.count < published.count, "nobody read while they were published: they coalesced")
    }
}
