import SpecCore
import SpecEngine

/// Folds a session's events into the `ScreenState` the views draw: a pure
/// value, no terminal, no threads. The live loop and trace replay feed it the
/// same events, so they give the same screens.
///
/// What each event does:
/// - `configured`: the header (target, draft, shape, temperature, budget);
///   statistics restart, so the figures of the settings before are kept in
///   `acceptance.previous` for a before/after comparison.
/// - `prompt`: the text pane restarts with the prompt; the tree clears.
/// - `tokenText`: the token-text table later events are looked up in (the tree's text).
/// - `emittedText`: the decoded text of the next emitted token (the text pane's).
/// - `decoding`: `stepStarted` starts a new tree; `levelDrafted` adds pending
///   nodes with q; `branchesCut` adds a dynamic tree's cut branches (dimmed,
///   with their path probability); `decision` fills p and the verdict (accepted nodes are the
///   accepted path) and the decision panel; `tokenEmitted` appends text with
///   its provenance and, for the step's final token, a resampled or bonus
///   node below the last accepted one; `stepFinished` adds a latency bar and
///   marks the accepted path (authoritatively). While the session runs, the
///   tree pane shows the last finished step's tree (verdicts and all) while
///   the next one is drafted; paused, stepped or one decision at a time, it
///   shows the tree as it is.
/// - `statistics`: acceptance by depth, block efficiency, accepted-length
///   histogram, tokens/s, measured speedup (÷ `baseline`) and the predicted
///   speedup, all as `DecodingStatistics` computes them.
/// - `mode`, `finished`: the run mode; `error`: the banner.
/// - `tuning`, `tuneSuggestion`: the tune banner (`TuneState`); an `error` or
///   the end while it runs closes it.
///
/// - Complexity: O(1) amortised per event, except `levelDrafted` (O(nodes))
///   and `statistics` (O(depths)).
public struct ScreenModel: Sendable {
    /// The screen as of the last event; view options and messages may be changed directly.
    public var state: ScreenState
    /// Recent steps kept for the latency pane.
    public var latencyHistory: Int
    /// The session's mode as last reported.
    public private(set) var mode: SessionMode = .paused
    /// The settings in force, from the last `configured`.
    public private(set) var info: SessionInfo?
    /// The last statistics (since the last `configured`).
    public private(set) var statistics = DecodingStatistics()
    /// Every verifier on the session's own trees since the last change.
    private var comparisons = VerifierComparisonTotals()
    /// Plain decoding tokens/s of the target, if measured.
    public private(set) var baselineTokensPerSecond: Double?
    /// Why generation ended, once it has.
    public private(set) var finishReason: String?

    /// The current step's tree as events build it.
    private var tree = TreeState()
    /// The tree of the last finished step: what the tree pane shows while
    /// running (a live tree is mostly pending nodes at 10+ steps a second).
    private var verifiedTree: TreeState?
    private var tokenTexts: [TokenID: String] = [:]
    /// Engine tree index → index in `tree.nodes`, for the current step.
    private var nodeIndex: [Int: Int] = [:]
    /// The accepted path so far in this step (tree-state indices).
    private var acceptedPath: [Int] = []
    /// The last decision, shown while the session is in decision mode.
    private var lastDecision: DecisionState?
    /// The settings `state.acceptance.previous`'s figures were measured under.
    private var previousInfo: SessionInfo?
    /// The decoded text of the next emitted token (`.emittedText`), if the session sent it.
    private var emittedText: String?
    /// The node of the step's final draw, once its `finalDraw` came (its
    /// `tokenEmitted` then adds no node).
    private var drawNode: Int?

    public init(theme: String = "default", latencyHistory: Int = 120) {
        state = ScreenState(header: HeaderState(theme: theme))
        self.latencyHistory = latencyHistory
    }

    /// Applies a batch of events in order.
    public mutating func apply(_ events: [SessionEvent]) {
        for e in events { apply(e) }
    }

    /// Applies one event.
    public mutating func apply(_ event: SessionEvent) {
        fold(event)
        state.tree = mode == .running ? verifiedTree ?? tree : tree
    }

    private mutating func fold(_ event: SessionEvent) {
        switch event {
        case let .configured(new):
            configure(new)
        case let .prompt(text, _):
            state.text = TextState()
            state.text.append(text, .prompt, step: 0)
            clearTree(step: 0)
            verifiedTree = nil
            finishReason = nil
            state.note = nil
            if state.error == Self.contextFull { state.error = nil }
        case let .tokenText(id, text):
            tokenTexts[id] = text
        case let .emittedText(text):
            emittedText = text
        case let .baseline(tokensPerSecond):
            baselineTokensPerSecond = tokensPerSecond > 0 ? tokensPerSecond : nil
            updateFigures()
        case let .decoding(e):
            apply(decoding: e)
        case let .statistics(s):
            statistics = s
            updateFigures()
        case let .mode(m):
            mode = m
            state.header.mode = m
            state.keys.mode = m
            showDecision()
        case let .error(message):
            state.error = message
            if state.tune?.isRunning == true { state.tune = nil }  // the tune failed or stopped
        case let .tuning(note):
            state.tune = TuneState(progress: note)
        case let .tuneSuggestion(suggestion):
            state.tune = TuneState(suggestion: suggestion)
        case let .replayPosition(position):
            state.replay = position
            state.header.badge = ReplayPlayer.badge(position)
        case .rewound:
            rewind()
        case let .finished(reason):
            if state.tune?.isRunning == true { state.tune = nil }
            finishReason = reason
            mode = .finished
            state.header.mode = .finished
            state.keys.mode = .finished
            // Stays until dismissed or a new prompt: the generation cannot go on, and the user should know why.
            if reason == "context-full" { state.error = Self.contextFull }
            state.message = nil
            state.note = "done: \(reason) · i new prompt"
            showDecision()
        }
    }

    /// A replay's seek: a fresh model (the events up to the step sought follow),
    /// keeping what is not the session's: view options, theme, run mode, the
    /// replay's place, the status-line message and editors.
    private mutating func rewind() {
        var fresh = ScreenModel(theme: state.header.theme, latencyHistory: latencyHistory)
        fresh.mode = mode
        fresh.state.header.mode = state.header.mode
        fresh.state.header.badge = state.header.badge
        fresh.state.options = state.options
        fresh.state.replay = state.replay
        fresh.state.message = state.message
        fresh.state.promptEditor = state.promptEditor
        fresh.state.seekEditor = state.seekEditor
        self = fresh
    }

    /// What the banner says when a generation ends with a full context.
    public static let contextFull = "context full: i starts a new prompt in a fresh context, or run again with a larger --context"

    /// The text of token `id`, or `⟨id⟩` when no `tokenText` named it.
    public func text(of id: TokenID) -> String {
        tokenTexts[id] ?? "⟨\(id)⟩"
    }

    // MARK: - Settings

    private mutating func configure(_ new: SessionInfo) {
        if info != nil {
            state.history.markChange()
            state.comparison.markChange()
        }
        if let old = info, statistics.steps > 0 {
            state.acceptance.previous = PreviousSettings(
                label: Self.changeLabel(from: old, to: new), blockEfficiency: statistics.blockEfficiency,
                tokensPerSecond: statistics.tokensPerSecond, measuredSpeedup: state.latency.measuredSpeedup,
                steps: statistics.steps)
            previousInfo = old
        } else if let measured = previousInfo, state.acceptance.previous != nil {
            // No step ran under the settings in between: the figures are still
            // those of `measured`, so the label names everything changed since.
            state.acceptance.previous?.label = Self.changeLabel(from: measured, to: new)
        }
        info = new
        state.header.target = new.target
        state.header.draft = new.draft
        state.header.method = new.shape
        state.header.temperature = new.sampling.temperature
        state.header.budget = new.budget.map { "budget \($0)" }
        state.keys.settings = new.settings
        state.keys.layerCount = new.layerCount
        state.keys.vocabularySize = new.vocabularySize
        state.header.nodes = state.keys.nodesLabel
        state.header.draftShort = new.settings.map { String($0.draft.split(separator: "/").last ?? Substring($0.draft)) }
        statistics = DecodingStatistics()
        state.header.knobs = DraftKnobs.line(new, statistics: statistics)
        comparisons = VerifierComparisonTotals()
        state.acceptance.sideBySide = nil
        updateFigures()
    }

    /// What differs between two configurations, as the old one had it; the whole
    /// shape when nothing visible differs.
    static func changeLabel(from old: SessionInfo, to new: SessionInfo) -> String {
        var parts: [String] = []
        if old.draft != new.draft { parts.append(old.draft) }
        if old.shape != new.shape { parts.append(old.shape) }
        if old.budget != new.budget { parts.append(old.budget.map { "budget \($0)" } ?? "fixed shape") }
        if old.sampling.temperature != new.sampling.temperature { parts.append("T=" + NumberFormat.fixed(old.sampling.temperature, 2)) }
        return parts.isEmpty ? old.shape : parts.joined(separator: " · ")
    }

    // MARK: - Decoding

    private mutating func apply(decoding e: DecodingEvent) {
        switch e {
        case let .stepStarted(step, _, _):
            clearTree(step: step + 1)
        case let .levelDrafted(_, _, nodes, _):
            for r in nodes {
                let parent = r.parent < 0 ? nil : nodeIndex[r.parent]
                let i = tree.add(text(of: r.token), parent: parent, q: r.draftProbability)
                tree.nodes[i].guessed = r.guessed ?? false
                nodeIndex[r.index] = i
            }
        case let .branchesCut(_, branches):
            for b in branches {
                let parent = b.parent < 0 ? nil : nodeIndex[b.parent]
                let i = tree.add(text(of: b.token), parent: parent, q: b.draftProbability, state: .cut)
                tree.nodes[i].pathProbability = b.pathProbability
                tree.nodes[i].cutBelow = b.descendants
            }
        case .treeVerified:
            break
        case let .decision(_, d):
            guard let i = nodeIndex[d.node] else { return }
            tree.nodes[i].p = d.targetProbability
            tree.nodes[i].state = d.accepted ? .accepted : .rejected
            if d.accepted {
                tree.nodes[i].onAcceptedPath = true
                acceptedPath.append(i)
            }
            let node = tree.nodes[i]
            var shown = DecisionState(
                node: i, token: node.token, depth: node.depth, p: d.targetProbability, q: d.draftProbability,
                u: d.uniform, verdict: d.accepted ? .accepted : .rejected, residualMass: d.residualMass,
                acceptance: d.acceptanceProbability, pathWeight: d.pathWeight)
            shown.distributions = DistributionState.decision(d, text: text(of:))
            tree.nodes[i].decision = shown
            lastDecision = shown
            showDecision()
        case let .finalDraw(_, draw):
            let piece = text(of: draw.token)
            let i = tree.add(piece, parent: acceptedPath.last, q: nil, p: nil,
                             state: draw.kind == .bonus ? .bonus : .resampled, onAcceptedPath: true)
            var shown = DecisionState(
                node: i, token: piece, depth: tree.nodes[i].depth, p: draw.distribution.probability(of: draw.token) ?? 0,
                q: 0, verdict: .accepted)
            shown.draw = draw.source
            shown.distributions = DistributionState.draw(draw, text: text(of:))
            tree.nodes[i].decision = shown
            drawNode = i
            lastDecision = shown
            showDecision()
        case let .tokenEmitted(step, token, kind):
            let piece = text(of: token)
            let provenance: Provenance = switch kind {
            case .accepted: .draftAccepted
            case .resampled: .resampled
            case .bonus: .bonus
            }
            // The text pane shows decoded UTF-8 (a character split over byte
            // tokens arrives whole with its last token); the tree, the token.
            let shown = emittedText ?? piece
            emittedText = nil
            if !shown.isEmpty { state.text.append(shown, provenance, step: step + 1) }
            if kind != .accepted, drawNode == nil {
                tree.add(piece, parent: acceptedPath.last, q: nil, p: nil,
                         state: kind == .bonus ? .bonus : .resampled, onAcceptedPath: true)
            }
        case let .stepFinished(s):
            if let c = s.comparison { showSideBySide(c, depths: s.acceptedPath.count) }
            state.history.record(s, baseline: baselineTokensPerSecond)
            for n in s.acceptedPath {
                guard let i = nodeIndex[n] else { continue }
                tree.nodes[i].onAcceptedPath = true
                tree.nodes[i].state = .accepted
            }
            state.latency.steps.append(StepLatency(draftMs: s.draftSeconds * 1e3, verifyMs: s.verifySeconds * 1e3,
                                                   otherMs: s.otherSeconds * 1e3))
            if state.latency.steps.count > latencyHistory {
                state.latency.steps.removeFirst(state.latency.steps.count - latencyHistory)
            }
            verifiedTree = tree
        }
    }

    /// The side-by-side line: each verifier's accepted tokens on this step's
    /// tree and its running mean, and where the chosen one parted from token-level.
    private mutating func showSideBySide(_ c: VerifierComparison, depths: Int) {
        comparisons.record(c)
        state.comparison.record(c, step: tree.step) { node in nodeIndex[node].map { tree.nodes[$0].token } ?? "?" }
        var rows: [(name: String, last: Int, mean: Double)] = []
        for v in Verifier.allCases {
            guard let last = c.accepted(v), let mean = comparisons.meanAccepted(v) else { continue }
            rows.append((v.rawValue, last, mean))
        }
        let parted = c.verifier != .token && c.path(c.verifier) != c.tokenPath
        let part = parted ? c.partingNode(c.verifier).map { node in node < 0 ? 1 : (nodeIndex[node].map { tree.nodes[$0].depth } ?? 0) + 1 } : nil
        state.acceptance.sideBySide = AcceptanceState.SideBySide(verifier: c.verifier.rawValue, rows: rows, partDepth: part ?? nil)
    }

    private mutating func clearTree(step: Int) {
        tree = TreeState(step: step)
        tree.root = Self.contextRoot(state.text)
        nodeIndex.removeAll(keepingCapacity: true)
        acceptedPath.removeAll(keepingCapacity: true)
        lastDecision = nil
        drawNode = nil
        showDecision()
    }

    /// The context's last token for the tree's root: the last emitted token,
    /// or the prompt's last 12 characters (`…` before them when cut).
    static func contextRoot(_ text: TextState) -> String? {
        guard let last = text.tokens.last else { return nil }
        guard last.provenance == .prompt, last.text.count > 12 else { return last.text }
        return "…" + String(last.text.suffix(12))
    }

    /// The decision panel and the node under test show only in decision mode.
    private mutating func showDecision() {
        let shown = mode == .decision ? lastDecision : nil
        state.decision = shown
        tree.nodeUnderTest = shown?.node
    }

    // MARK: - Figures

    private mutating func updateFigures() {
        let s = statistics
        let hasSteps = s.steps > 0
        state.acceptance.rateByDepth = s.acceptanceByDepth
        state.acceptance.blockEfficiency = hasSteps ? s.blockEfficiency : nil
        state.acceptance.acceptedLengthHistogram = s.acceptedLengthCounts
        let predicted = s.predictedSpeedup
        state.acceptance.predictedSpeedup = predicted
        state.latency.predictedSpeedup = predicted
        if let info { state.header.knobs = DraftKnobs.line(info, statistics: s) }
        state.latency.baselineTokensPerSecond = baselineTokensPerSecond
        let tps = hasSteps && s.totalSeconds > 0 ? s.tokensPerSecond : nil
        state.latency.tokensPerSecond = tps
        if let tps, let base = baselineTokensPerSecond { state.latency.measuredSpeedup = tps / base } else {
            state.latency.measuredSpeedup = nil
        }
    }
}
