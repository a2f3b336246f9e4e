/// Choices that change only how the screen looks, not what the decoder does:
/// the help overlay, step markers, the tree's scroll position.
/// `apply` handles the commands that concern them.
public struct ViewOptions: Sendable, Equatable {
    public var showHelp: Bool
    public var showStepBoundaries: Bool
    /// Lines the tree is scrolled from its automatic position (which keeps
    /// the accepted path or node under test in view); negative is up.
    public var treeScroll: Int
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
        case .help: showHelp.toggle()
        case .toggleStepBoundaries: showStepBoundaries.toggle()
        case .scrollUp: treeScroll -= 1
        case .scrollDown: treeScroll += 1
        case .pageUp: treeScroll -= 10
        case .pageDown: treeScroll += 10
        case .scrollFollow: treeScroll = 0
        case .toggleHistory: showHistory.toggle()
        case .toggleComparison: showComparison.toggle()
        case .dismiss: showHelp = false
        default: return false
        }
        return true
    }
}
