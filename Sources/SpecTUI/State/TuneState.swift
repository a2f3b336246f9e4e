import SpecEngine

/// The tune banner: a tune running (what it measures now) or its suggestion,
/// which `A` applies. The suggestion travels with the state so that the key
/// can send it back to the session as `.change(.apply(…))`.
public struct TuneState: Sendable, Equatable {
    /// What the tune is doing, while it runs: "timing target calls".
    public var progress: String?
    /// The result, once it came.
    public var suggestion: TuneSuggestion?

    public init(progress: String? = nil, suggestion: TuneSuggestion? = nil) {
        self.progress = progress
        self.suggestion = suggestion
    }

    public var isRunning: Bool { suggestion == nil }

    /// The banner's text: `tuning… timing target calls`, or
    /// `tune: rsd-c b=3,1 · predicted 210 tok/s (plain 190)` (`tune: plain is
    /// faster; best: …` when no tree is predicted to beat plain decoding).
    public var line: String {
        guard let s = suggestion else { return "tuning… " + (progress ?? "") }
        return "tune: " + (s.beatsPlain ? "" : "plain is faster; best: ") + s.summary
    }
}
