import SpecEngine

/// Everything the screen shows, as plain values: the one input of
/// `Screen.draw`. An integrator folds decoder events into it; nothing here
/// knows about the decoder.
public struct ScreenState: Sendable, Equatable {
    public var header: HeaderState
    public var tree: TreeState
    public var text: TextState
    public var latency: LatencyState
    public var acceptance: AcceptanceState
    /// The decision shown in verify-one-decision mode, if any.
    public var decision: DecisionState?
    /// A decoder or theme error shown in a banner until dismissed; the UI stays usable.
    public var error: String?
    /// A short transient note for the status line ("theme: light").
    public var message: String?
    /// A lasting note for the status line, shown when there is no message:
    /// `done: max-tokens · i new prompt` until a new prompt.
    public var note: String?
    /// The prompt being typed in the status line (after `i`), nil when not editing.
    public var promptEditor: String?
    /// The prompt editor's cursor, in characters from the start; nil: at the end.
    public var promptCursor: Int?
    /// A tree node's decision pinned by a click, shown in the decision pane until Esc.
    public var selection: DecisionState?
    /// A tune running or its suggestion, in a banner until applied or dismissed.
    public var tune: TuneState?
    public var options: ViewOptions
    /// What decides which keys can act (see `KeyContext`); the tune fields follow `tune`.
    public var keys = KeyContext()
    /// The last few hundred steps, for the history graphs.
    public var history = HistoryState()
    /// The last step judged by every verifier, and their running means.
    public var comparison = ComparisonState()
    /// A replay's place in its trace and its pace (nil for a live session).
    public var replay: ReplayPosition?
    /// The step number being typed after `:` in a replay, nil when not editing.
    public var seekEditor: String?

    public init(header: HeaderState = HeaderState(), tree: TreeState = TreeState(), text: TextState = TextState(),
                latency: LatencyState = LatencyState(), acceptance: AcceptanceState = AcceptanceState(),
                decision: DecisionState? = nil, error: String? = nil, message: String? = nil,
                promptEditor: String? = nil, tune: TuneState? = nil, options: ViewOptions = ViewOptions()) {
        self.promptEditor = promptEditor
        self.tune = tune
        self.header = header
        self.tree = tree
        self.text = text
        self.latency = latency
        self.acceptance = acceptance
        self.decision = decision
        self.error = error
        self.message = message
        self.options = options
    }

    /// Applies view-only commands (help, step markers, scrolling, dismissing
    /// the error banner, then the tune banner); returns false for commands the decoder must handle.
    public mutating func apply(_ command: UICommand) -> Bool {
        if command == .dismiss {
            if options.showHelp { options.showHelp = false } else if error != nil { error = nil }
            else if selection != nil { selection = nil } else { tune = nil }
            return true
        }
        return options.apply(command)
    }
}
