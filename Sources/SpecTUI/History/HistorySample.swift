/// One finished step as the history graphs keep it: enough to draw
/// tokens/s, acceptance by depth and accepted length over time. A few words,
/// so a ring of hundreds costs a few kilobytes.
public struct HistorySample: Sendable, Equatable {
    /// The step's number since the session began (1-based, across prompts and settings).
    public var step: Int
    /// Tokens the step emitted (accepted plus the resampled or bonus one).
    public var emitted: Int
    /// The step's wall time (draft, verify, other), in seconds.
    public var seconds: Double
    /// Plain decoding tokens/s of the target when the step ran, if measured.
    public var baselineTokensPerSecond: Double?
    /// Draft tokens accepted.
    public var acceptedLength: Int
    /// Deepest level a decision reached: levels 1…`deepestTested` were tried.
    public var deepestTested: Int
    /// Levels of the drafted tree.
    public var treeDepth: Int
    /// Whether the settings changed just before this step (a marker on the graphs).
    public var settingsChanged: Bool

    public init(step: Int, emitted: Int, seconds: Double, baselineTokensPerSecond: Double? = nil, acceptedLength: Int,
                deepestTested: Int, treeDepth: Int, settingsChanged: Bool = false) {
        self.step = step
        self.emitted = emitted
        self.seconds = seconds
        self.baselineTokensPerSecond = baselineTokensPerSecond
        self.acceptedLength = acceptedLength
        self.deepestTested = deepestTested
        self.treeDepth = treeDepth
        self.settingsChanged = settingsChanged
    }

    /// This step's own tokens/s (nil without a positive time).
    public var tokensPerSecond: Double? { seconds > 0 ? Double(emitted) / seconds : nil }
}
