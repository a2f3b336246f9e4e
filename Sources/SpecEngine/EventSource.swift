/// What the screen talks to: a live `DecodingSession` or a `TraceReplay`.
///
/// One consumer iterates `events` (batches of `SessionEvent`s, in order,
/// none dropped) and calls `send` from any thread; `send` never blocks.
public protocol EventSource: AnyObject, Sendable {
    /// The session's events in order, in batches. It ends after `quit`.
    var events: SessionEventStream { get }
    /// Queues a command; the source acts on it in order, at the next step
    /// boundary for settings and prompts.
    func send(_ command: SessionCommand)
}
