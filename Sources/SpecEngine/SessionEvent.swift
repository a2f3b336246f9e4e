import SpecCore

/// Everything a decoding session (live or replayed) tells the screen, in
/// order. A trace is these events as JSON Lines, so each one carries what the
/// screen needs without a model: token texts travel as `tokenText` events,
/// sent once per id before the first event that refers to it.
public enum SessionEvent: Sendable, Equatable, Codable {
    /// The settings in force: at the start and each time a change takes
    /// effect (always at a step boundary). Statistics restart from here.
    case configured(SessionInfo)
    /// A prompt begins (the first one, or one typed in the UI).
    case prompt(text: String, tokenCount: Int)
    /// The text of a token id that later events refer to, as the tree shows it
    /// (a byte token that is not a whole character reads `<0xF0>`).
    case tokenText(id: TokenID, text: String)
    /// The decoded text the next `.decoding(.tokenEmitted)` adds to the generated
    /// text: what the session's `StreamingDecoder` returns for that token, so a
    /// character split over byte tokens arrives whole with its last token ("" before).
    /// Traces without it fall back to the token's `tokenText`.
    case emittedText(String)
    /// Plain autoregressive decoding of the same target, measured by the session
    /// on the same prompt: the denominator of the measured speedup.
    case baseline(tokensPerSecond: Double)
    /// One event of the speculative decoder, as it produced it.
    case decoding(DecodingEvent)
    /// The session's authoritative totals since the last `configured`, sent
    /// after every step: frames may coalesce events, these never drop any.
    case statistics(DecodingStatistics)
    /// Running, paused, waiting between decisions, or finished.
    case mode(SessionMode)
    /// A decoder error; the session pauses and stays usable.
    case error(String)
    /// Generation ended. Reasons: `end-of-text` (an EOS or end-of-turn token
    /// was emitted), `max-tokens`, `context-full`, `quit`, and for a replay
    /// whose trace stops short, `end-of-trace`. The step that ends it is
    /// emitted whole, so a few tokens may follow the end-of-text token.
    case finished(reason: String)
    /// A tune (`SessionCommand.tune`) is running: what it measures now. Decoding
    /// waits meanwhile; it ends in `tuneSuggestion`, or in an `error`.
    case tuning(String)
    /// The tune's result; the session has decoding state restored and goes on as before.
    case tuneSuggestion(TuneSuggestion)
    /// A replay's place in its trace and its pace: after its start, each step
    /// and each change of speed. Never recorded by a live session.
    case replayPosition(ReplayPosition)
    /// A replay went back (or jumped): the screen starts again from nothing,
    /// and the trace's events up to the step sought follow at once.
    case rewound
}

/// What the header shows about a session's settings.
public struct SessionInfo: Sendable, Equatable, Codable {
    /// The target model's name, e.g. `SmolLM2-135M-Instruct`.
    public var target: String
    /// The draft source as a label, e.g. `self-draft 8/30 layers (0-7)`, `n-gram lookup (n ≤ 3)`.
    public var draft: String
    /// The method and shape, e.g. `rsd-s W=4 L=5`.
    public var shape: String
    public var sampling: SamplingParameters
    /// The fixed target budget in tree tokens per call, when the shape is chosen by budget.
    public var budget: Int?
    /// Tokens the draft's output head keeps (nil: all).
    public var draftVocabulary: Int?
    /// p-min in force (nil or 0: off).
    public var pMin: Double?
    /// Lookup-assisted chain drafting's n-gram length (nil or 0: off).
    public var draftLookup: Int?
    /// The settings themselves, so the screen can tell which keys would change
    /// anything (nil in traces from before they were sent).
    public var settings: SessionSettings?
    /// The target's layers (the most a self-draft can keep) and vocabulary size.
    public var layerCount: Int?
    public var vocabularySize: Int?

    public init(target: String, draft: String, shape: String, sampling: SamplingParameters, budget: Int? = nil,
                draftVocabulary: Int? = nil, pMin: Double? = nil, draftLookup: Int? = nil,
                settings: SessionSettings? = nil, layerCount: Int? = nil, vocabularySize: Int? = nil) {
        self.target = target
        self.draft = draft
        self.shape = shape
        self.sampling = sampling
        self.budget = budget
        self.draftVocabulary = draftVocabulary
        self.pMin = pMin
        self.draftLookup = draftLookup
        self.settings = settings
        self.layerCount = layerCount
        self.vocabularySize = vocabularySize
    }
}

/// How a session paces its events.
public enum SessionMode: String, Sendable, Equatable, Codable, CaseIterable {
    case running
    case paused
    /// Paused after releasing one verification decision (`stepDecision`).
    case decision
    case finished
}

/// What the screen asks of a session. Settings changes apply at the next step boundary.
public enum SessionCommand: Sendable, Equatable {
    case togglePause
    case pause
    case resume
    /// Run (or release) one whole step, then pause.
    case step
    /// Release events up to and including the next verification decision, then pause.
    case stepDecision
    case change(SettingsChange)
    /// Start over from a new prompt with the current settings.
    case newPrompt(String)
    /// At the next step boundary, measure this machine's costs and the draft's
    /// acceptance on the current prompt, search tree shapes (the session's `SessionTuning`) and
    /// report `.tuneSuggestion`; needs a draft model. Decoding resumes after, exactly where it was.
    case tune
    /// A replay goes to the end of step `step` (0: before the first step), rebuilding
    /// the screen from the trace (`.rewound`); a live session ignores it.
    case seek(step: Int)
    /// A replay's speed: a multiple of the recorded pace (0: as fast as possible);
    /// a live session ignores it.
    case replaySpeed(Double)
    case quit
}

/// A live change of the decoding settings, applied at the next step boundary.
public enum SettingsChange: Sendable, Equatable {
    /// Width (beams for rsd-s, first-level branching otherwise) by this many.
    case width(Int)
    /// Depth (levels) by this many.
    case depth(Int)
    /// The next drafting method: chain → specinfer → rsd-c → rsd-s → chain.
    case nextMethod
    /// Temperature by this much (clamped at 0; 0 is greedy).
    case temperature(Double)
    /// Layers kept in a self-draft or a separate draft model by this many.
    case draftLayers(Int)
    /// The trimmed draft vocabulary by this many steps of `DraftVocabulary.steps` (8k, 16k, 32k, full).
    case draftVocabulary(Int)
    /// p-min by this much (clamped to 0…`SessionSettings.maxPMin`).
    case pMin(Double)
    /// Lookup-assisted chain drafting off, or on with `SessionSettings.defaultDraftLookup`.
    case toggleDraftLookup
    /// The next draft source in the session's list (self-draft, n-gram, files given).
    case nextDraftSource
    /// Between a fixed draft shape and a fixed target budget.
    case toggleBudget
    /// The next verifier that can judge the shape: token → block (chains only) → traversal → token.
    case nextVerifier
    /// A tune's suggested shape: its method, width, depth and branching, with a fixed shape (no budget).
    case apply(TuneSuggestion)
}
