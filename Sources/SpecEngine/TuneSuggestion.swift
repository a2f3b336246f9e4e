import SpecCore

/// What a live tune (`SessionCommand.tune`) found: the draft tree with the
/// best predicted tokens/s for the session's draft and sampling on this
/// machine, as `SessionSettings` fields (`SettingsChange.apply` sets them),
/// with the figures behind it and the `spectree run` command that starts a
/// session with it. A plain value, `Codable` so traces carry it.
public struct TuneSuggestion: Sendable, Equatable, Codable {
    /// The draft source it was tuned for, e.g. `self:8`.
    public var draft: String
    public var method: DraftMethod
    /// Beams for rsd-s, first-level branching for specinfer and rsd-c; 1 for a chain (which has none).
    public var width: Int
    /// Levels of the tree.
    public var depth: Int
    /// Branching per level for specinfer and rsd-c when it is not `width` then ones; nil otherwise.
    public var branching: [Int]?
    /// The shape as the header shows it, e.g. `rsd-c b=3,2`, `chain L=6 p-min 0.5`.
    public var shape: String
    /// Tree tokens per target call of the shape.
    public var treeTokens: Int
    /// Predicted by `TreeThroughputModel` from the measured costs and acceptance.
    public var predictedTokensPerSecond: Double
    public var predictedTokensPerStep: Double
    /// Plain decoding predicted from the same measurements (one 1-token target call per token).
    public var plainTokensPerSecond: Double
    /// The shape run on the session's prompt after the search, and plain decoding run right
    /// before it (nil when the tune was not asked to validate, or stopped before).
    public var measuredTokensPerSecond: Double?
    public var measuredPlainTokensPerSecond: Double?
    /// `spectree run …` with the draft, the shape and the sampling.
    public var command: String
    /// Wall time the tune took.
    public var seconds: Double
    /// The chain's p-min (nil or 0: none; traces from before it decode as nil).
    public var pMin: Double?

    public init(draft: String, shape: DraftShape, predictedTokensPerSecond: Double, predictedTokensPerStep: Double,
                plainTokensPerSecond: Double, measuredTokensPerSecond: Double? = nil, measuredPlainTokensPerSecond: Double? = nil,
                command: String, seconds: Double, pMin: Double? = nil) {
        self.pMin = pMin
        self.draft = draft
        method = shape.method
        width = shape.width
        depth = shape.depth
        branching = shape.explicitBranching
        self.shape = shape.label + ((pMin ?? 0) > 0 ? " p-min \((pMin! * 100).rounded() / 100)" : "")
        treeTokens = shape.maxNodeCount
        self.predictedTokensPerSecond = predictedTokensPerSecond
        self.predictedTokensPerStep = predictedTokensPerStep
        self.plainTokensPerSecond = plainTokensPerSecond
        self.measuredTokensPerSecond = measuredTokensPerSecond
        self.measuredPlainTokensPerSecond = measuredPlainTokensPerSecond
        self.command = command
        self.seconds = seconds
    }

    /// The shape these fields describe.
    public var draftShape: DraftShape {
        (try? DraftShape(method: method, width: width, depth: depth, branching: branching)) ?? .chain(depth: max(1, depth))
    }

    /// Whether the shape is predicted to be faster than plain decoding.
    public var beatsPlain: Bool { predictedTokensPerSecond > plainTokensPerSecond }

    /// One line for a screen: `rsd-c b=3,1 · predicted 210 tok/s (plain 190)`, plus the
    /// measured figures when there are some: `· measured 198 (plain 185)`.
    public var summary: String {
        var s = "\(shape) · predicted \(Self.rate(predictedTokensPerSecond)) tok/s (plain \(Self.rate(plainTokensPerSecond)))"
        if let m = measuredTokensPerSecond, let p = measuredPlainTokensPerSecond {
            s += " · measured \(Self.rate(m)) (plain \(Self.rate(p)))"
        }
        return s
    }

    static func rate(_ x: Double) -> String { x.isFinite ? String(Int(x.rounded())) : "?" }
}
