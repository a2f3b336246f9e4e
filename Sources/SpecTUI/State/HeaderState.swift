import SpecEngine

/// What the header line shows: which models, which method and shape, the
/// temperature, the run mode and the theme.
///
/// Example: target `SmolLM2-135M`, draft `self-draft 8/30 layers`, method
/// `RSD-S W=4 L=5`, temperature 0.8, running, theme `default`.
public struct HeaderState: Sendable, Equatable {
    /// The target model's name.
    public var target: String
    /// The draft, described for people: "self-draft 8/30 layers", "ngram", a file name.
    public var draft: String
    /// Method and tree shape: "RSD-S W=4 L=5", "chain γ=5", "RSD-C 3-2-1".
    public var method: String
    /// Sampling temperature; 0 is greedy.
    public var temperature: Double
    public var mode: SessionMode
    /// The theme's name.
    public var theme: String
    /// Budget mode label when comparing at a fixed target budget, e.g. "budget 16"; nil for fixed length.
    public var budget: String?
    /// The shape's most nodes against the tree's limit, e.g. "nodes 21/63"; nil when unknown.
    public var nodes: String?
    /// The draft as the user wrote it (`self:8`, `ngram:3`, a file name), for narrow headers.
    public var draftShort: String?
    /// The draft's knobs with their measured effect (`DraftKnobs.line`), e.g.
    /// "vocab 16k · p-min 0.30 · draft 9.1 ms/level · predicted 1.45×"; nil for an n-gram draft.
    public var knobs: String?
    /// A replay's badge before the run mode, e.g. `replay ×2 · step 12 of 80`.
    public var badge: String?

    public init(target: String = "", draft: String = "", method: String = "", temperature: Double = 0,
                mode: SessionMode = .paused, theme: String = "default", budget: String? = nil) {
        self.target = target
        self.draft = draft
        self.method = method
        self.temperature = temperature
        self.mode = mode
        self.theme = theme
        self.budget = budget
    }
}
