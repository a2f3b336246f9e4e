/// Everything a key can ask for. View-only commands are applied by
/// `ScreenState.apply`; the rest go to the decoder (settings change at the
/// next step boundary).
public enum UICommand: String, Sendable, Equatable, Hashable, CaseIterable {
    case quit
    case togglePause
    /// Run one whole step, then pause.
    case step
    /// Run one verification decision, then pause.
    case stepDecision
    case widthUp, widthDown
    case depthUp, depthDown
    case methodNext
    case temperatureUp, temperatureDown
    /// Layers kept in a self-draft or a separate draft model.
    case draftLayersUp, draftLayersDown
    /// The trimmed draft vocabulary (8k, 16k, 32k, full).
    case draftVocabularyUp, draftVocabularyDown
    /// p-min, the adaptive draft length's threshold.
    case pMinUp, pMinDown
    /// Lookup-assisted chain drafting on / off.
    case draftLookupToggle
    case draftSourceNext
    /// Switch between a fixed draft length and a fixed target budget.
    case budgetToggle
    /// The next verifier (token, block, traversal) at the next step.
    case verifierNext
    case themeNext
    case toggleStepBoundaries
    /// The `?` overlay: keys (and the legend when it fits), then the legend, then closed.
    case help
    /// The one-line legend under the tree.
    case toggleLegend
    /// The next page of footer key hints (every key reachable at any width).
    case footerNext
    case scrollUp, scrollDown, pageUp, pageDown
    /// Return the tree to its automatic position.
    case scrollFollow
    case newPrompt
    /// Search tree shapes for the best measured throughput.
    case tune
    /// Take the tune's suggested shape.
    case tuneApply
    /// Close the help overlay or the error banner.
    case dismiss
    /// Repaint the whole screen.
    case redraw
    /// Show or hide the distributions beside a decision.
    case toggleDistributions
    /// Unfold every folded subtree of the tree pane, or fold them back.
    case expandTree
    /// Show or hide the history graphs.
    case toggleHistory
    /// Show or hide the verifier comparison on the same draft.
    case toggleComparison
    /// A replay: back one step (the screen rebuilt from the trace).
    case stepBack
    /// A replay: the first or the last step.
    case seekFirst, seekLast
    /// A replay: type a step number to go to.
    case seekTo
    /// A replay: play faster or slower.
    case faster, slower
}
