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
        case .scrollFollow: treeScroll = 0
        case .dismiss: showHelp = false
        default: return false
        }
        return true
    }
}
