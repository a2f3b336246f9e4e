/// A recorded session: its header and every event, in order.
public struct Trace: Sendable, Equatable {
    public var header: TraceHeader
    public var events: [SessionEvent]

    public init(header: TraceHeader, events: [SessionEvent]) {
        self.header = header
        self.events = events
    }
}
