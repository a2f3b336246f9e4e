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

    /// Whether the suggested tree beats plain decoding: by the run on the
    /// prompt when there is one (a measurement outranks a prediction), else
    /// by the prediction; nil while running.
    public var treeWins: Bool? {
        guard let s = suggestion else { return nil }
        if let m = s.measuredTokensPerSecond, let p = s.measuredPlainTokensPerSecond { return m > p }
        return s.beatsPlain
    }

    /// The banner's text; the verdict and the figures never disagree, and the
    /// shape `A` applies comes first (a narrow banner cuts the figures, not it):
    /// - `tuning… timing target calls`
    /// - `tune: rsd-c b=3,1 beats plain · measured 15 tok/s vs plain 11 · predicted 12 (plain 13)`
    /// - `tune: plain decoding beats the best tree, rsd-c b=3,1 · measured plain 11 tok/s, tree 9 · predicted plain 13, tree 12`
    public var line: String {
        guard let s = suggestion, let wins = treeWins else { return "tuning… " + (progress ?? "") }
        let predictedTree = Self.rate(s.predictedTokensPerSecond), predictedPlain = Self.rate(s.plainTokensPerSecond)
        if let m = s.measuredTokensPerSecond, let p = s.measuredPlainTokensPerSecond {
            return wins
                ? "tune: \(s.shape) beats plain · measured \(Self.rate(m)) tok/s vs plain \(Self.rate(p)) · predicted \(predictedTree) (plain \(predictedPlain))"
                : "tune: plain decoding beats the best tree, \(s.shape) · measured plain \(Self.rate(p)) tok/s, tree \(Self.rate(m)) · predicted plain \(predictedPlain), tree \(predictedTree)"
        }
        return wins
            ? "tune: \(s.shape) beats plain · predicted \(predictedTree) tok/s vs plain \(predictedPlain)"
            : "tune: plain decoding beats the best tree, \(s.shape) · predicted plain \(predictedPlain) tok/s, tree \(predictedTree)"
    }

    /// What `A` and Esc do, at the banner's right: the session always drafts
    /// a tree, so when plain wins `A` says it applies the best tree anyway.
    public func keyHint(wide: Bool) -> String {
        guard let wins = treeWins else { return "" }
        if wins { return wide ? "A apply · Esc dismisses" : "A apply" }
        return wide ? "A applies the tree anyway · Esc keeps the settings" : "A tree anyway"
    }

    static func rate(_ x: Double) -> String { x.isFinite ? String(Int(x.rounded())) : "?" }
}
