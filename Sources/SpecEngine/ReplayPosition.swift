/// Where a replay is in its trace: `step` of `steps` finished steps shown,
/// and how fast it plays. What the replay badge shows (`replay ×2 · step 12 of 80`).
public struct ReplayPosition: Sendable, Equatable, Codable {
    /// Steps released so far (0 before the first).
    public var step: Int
    /// Finished steps in the whole trace.
    public var steps: Int
    public var pace: ReplayPace

    public init(step: Int, steps: Int, pace: ReplayPace) {
        self.step = step
        self.steps = steps
        self.pace = pace
    }
}

extension SessionEvent {
    /// Whether this is a replay's `.replayPosition` (which a live session never sends).
    public var isReplayPosition: Bool {
        if case .replayPosition = self { return true }
        return false
    }
}
