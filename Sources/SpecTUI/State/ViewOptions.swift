/// Choices that change only how the screen looks, not what the decoder does:
/// the help overlay, step markers, the tree's scroll position.
/// `apply` handles the commands that concern them.
public struct ViewOptions: Sendable, Equatable {
    public var showHelp: Bool
    public var showStepBoundaries: Bool
    /// Lines the tree is scrolled from its automatic position (which keeps
    /// the accepted path or node under test in view); negative is up.
    public var treeScroll: Int
    /// The help overlay's page: 0 keys (and the legend when it fits), 1 the legend.
    public var helpPage = 0
    /// The one-line legend under the tree (`l`).
    public var showLegend = false
    /// Which page of key hints the footer shows (`Tab`); wraps round.
    public var footerPage = 0
    /// The decision pane shows the top of p, q and the residual beside the test (key `D`).
    public var showDistributions = true
    /// Lines the text pane is scrolled back from its end (0 follows the newest text).
    public var textScroll = 0
    /// Show every node of the tree, folding nothing (key `e`); the pane scrolls.
    public var expandAllTree = false
    /// Folded groups opened by a click (`TreeLayout.Line.group`), for the tree of step `expandedStep` only.
    public var expandedGroups: Set<Int> = []
    public var expandedStep = 0
    /// The history graphs (key `g`).
    public var showHistory = false
    /// The verifier comparison on the same draft (key `C`).
    public var showComparison = false

    public init(showHelp: Bool = false, showStepBoundaries: Bool = false, treeScroll: Int = 0) {
        self.showHelp = showHelp
        self.showStepBoundaries = showStepBoundaries
        self.treeScroll = treeScroll
    }

    /// Applies a view-only command and returns true, or returns false for a
    /// command the decoder must handle.
    public mutating func apply(_ command: UICommand) -> Bool {
        switch command {
        case .help:
            if !showHelp { showHelp = true; helpPage = 0 } else if helpPage == 0 { helpPage = 1 } else { showHelp = false }
        case .toggleLegend: showLegend.toggle()
        case .footerNext: footerPage += 1
        case .toggleStepBoundaries: showStepBoundaries.toggle()
        case .scrollUp: treeScroll -= 1
        case .scrollDown: treeScroll += 1
        case .pageUp: treeScroll -= 10
        case .pageDown: treeScroll += 10
        case .scrollFollow:
            treeScroll = 0
            textScroll = 0
        case .toggleHistory: showHistory.toggle()
        case .toggleComparison: showComparison.toggle()
        case .dismiss: showHelp = false
        case .toggleDistributions: showDistributions.toggle()
        case .expandTree:
            expandAllTree.toggle()
            if !expandAllTree { expandedGroups = [] }
        default: return false
        }
        return true
    }
}

extension ViewOptions {
    /// The groups opened by clicks, if they belong to `tree`'s step.
    public func groups(for tree: TreeState) -> Set<Int> {
        expandedStep == tree.step ? expandedGroups : []
    }

    /// Opens (or closes, when open) folded group `group` of `tree`.
    public mutating func toggleGroup(_ group: Int, of tree: TreeState) {
        if expandedStep != tree.step {
            expandedStep = tree.step
            expandedGroups = []
        }
        if expandedGroups.remove(group) == nil { expandedGroups.insert(group) }
    }
}
