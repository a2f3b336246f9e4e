/// What a `Pacer` paces: a live `DecodingSession` or a `TraceReplay`.
///
/// Synchronous and confined to the pacer's queue: each call runs to its end
/// and hands its events, in order, to `emit`. The source decides what a step
/// is and whether another can follow; the pacer decides when it runs and how
/// much of it the screen sees (running, paused, one step, one decision).
public protocol StepSource: AnyObject {
    /// Emits what comes before the first step (settings, prompt, baseline).
    func start(_ emit: (SessionEvent) -> Void) -> StepOutcome
    /// Runs (or plays) one whole step and emits its events.
    func step(_ emit: (SessionEvent) -> Void) -> StepOutcome
    /// A settings change, a new prompt or a tune, between two steps; nil when
    /// it changes nothing about stepping. `shouldStop` turns true once quit was sent.
    func perform(_ command: SessionCommand, shouldStop: @escaping @Sendable () -> Bool,
                 _ emit: (SessionEvent) -> Void) -> StepOutcome?
}

/// Whether another step can follow, as a `StepSource` reports it.
public enum StepOutcome: Sendable, Equatable {
    /// Another step can run; while running, wait `pause` seconds before it
    /// (0 for a live decoder; a replay's recorded step time).
    case ready(pause: Double)
    /// The source emitted `.finished`: no step until a new prompt.
    case finished
    /// The source emitted an `.error`: the pacer pauses.
    case failed
}
