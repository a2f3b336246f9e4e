/// How fast a replay plays its steps while running.
public enum ReplayPace: Sendable, Equatable, Codable {
    /// Every event at once, as fast as the consumer takes them (tests, tools).
    case asFastAsPossible
    /// Each step lasts as long as it took when recorded (its `StepSummary`
    /// time), divided by `speed` (2 is twice as fast).
    case recorded(speed: Double)
    /// A fixed number of steps per second.
    case stepsPerSecond(Double)
}
