/// Where each pane goes on a screen of a given size: a pure function of the
/// size and of what is shown (error banner, decision panel).
///
/// ```
/// ┌ header ─────────────────────────┐  row 0: the header, on the top border
/// │ error banner (when there is one)│
/// │ tree         │ text             │
/// ├ latency ─────┼ acceptance ──────┤  only when height ≥ 24
/// │              │ (or decision)    │
/// └ status keys ────────────────────┘  last row: keys, on the bottom border
/// ```
/// Pane rectangles are interiors: they never include a border cell, never
/// overlap, and lie inside the screen. Below `minimumWidth` × `minimumHeight`
/// the layout is `isTooSmall` and has no panes. O(1), no allocation beyond
/// the small `lines` array.
public struct ScreenLayout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    /// From this height on, the latency and acceptance panes are shown.
    public static let bottomPanesMinimumHeight = 24
    /// The tree pane never grows wider than this; the text pane takes the rest.
    public static let maximumTreeWidth = 72

    public var width: Int
    public var height: Int
    public var isTooSmall: Bool
    /// Row 0: the top border, where the header is written.
    public var header: Rect
    /// The last row: the bottom border, where the status line is written.
    public var status: Rect
    public var banner: Rect?
    public var tree: Rect
    public var text: Rect
    public var latency: Rect?
    public var acceptance: Rect?
    public var decision: Rect?
    /// The history graphs' band (key `g`; see `ScreenLayout+Panels`).
    public var history: Rect? = nil
    /// The verifier comparison (key `C`), below the text (see `ScreenLayout+Panels`).
    public var comparison: Rect? = nil
    /// Border lines to draw (besides the outer box), in drawing order.
    public var lines: [FrameLine]

    /// A straight border line from `from` to `to` inclusive, at row (horizontal) or column (vertical) `at`.
    public struct FrameLine: Equatable, Sendable {
        public var vertical: Bool
        public var at: Int
        public var from: Int
        public var to: Int
    }

    /// All pane rectangles present, for checks.
    public var panes: [Rect] {
        [tree, text, latency, acceptance, decision, history, comparison].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// Computes the layout for a `width` × `height` screen.
    /// - Parameters:
    ///   - hasBanner: an error banner takes the first body row.
    ///   - hasDecision: the decision panel replaces the acceptance pane, or
    ///     takes the bottom of the text pane on short screens.
    public static func compute(width: Int, height: Int, hasBanner: Bool = false, hasDecision: Bool = false) -> ScreenLayout {
        var l = ScreenLayout(width: max(0, width), height: max(0, height), isTooSmall: true,
                             header: .zero, status: .zero, banner: nil, tree: .zero, text: .zero,
                             latency: nil, acceptance: nil, decision: nil, lines: [])
        guard width >= minimumWidth, height >= minimumHeight else { return l }
        l.isTooSmall = false
        l.header = Rect(x: 0, y: 0, width: width, height: 1)
        l.status = Rect(x: 0, y: height - 1, width: width, height: 1)
        var bodyTop = 1
        let bodyBottom = height - 2  // inclusive
        if hasBanner {
            l.banner = Rect(x: 1, y: 1, width: width - 2, height: 1)
            bodyTop = 2
        }
        let inner = width - 2
        let treeWidth = min(maximumTreeWidth, inner / 2)
        let dividerX = 1 + treeWidth
        let textWidth = width - 2 - dividerX

        var topBottom = bodyBottom  // last row of the top panes
        if height >= bottomPanesMinimumHeight {
            let bodyHeight = bodyBottom - bodyTop + 1
            let bottomRows = min(11, max(5, bodyHeight / 3))
            let dividerY = bodyBottom - bottomRows
            topBottom = dividerY - 1
            l.lines.append(FrameLine(vertical: false, at: dividerY, from: 0, to: width - 1))
            l.latency = Rect(x: 1, y: dividerY + 1, width: treeWidth, height: bottomRows)
            let right = Rect(x: dividerX + 1, y: dividerY + 1, width: textWidth, height: bottomRows)
            if hasDecision { l.decision = right } else { l.acceptance = right }
        }
        l.lines.insert(FrameLine(vertical: true, at: dividerX, from: hasBanner ? bodyTop : 0, to: height - 1), at: 0)
        let topHeight = topBottom - bodyTop + 1
        l.tree = Rect(x: 1, y: bodyTop, width: treeWidth, height: topHeight)
        l.text = Rect(x: dividerX + 1, y: bodyTop, width: textWidth, height: topHeight)
        if hasDecision, l.decision == nil {
            let rows = min(5, max(0, topHeight - 4))
            let dividerY = topBottom - rows
            l.lines.append(FrameLine(vertical: false, at: dividerY, from: dividerX, to: width - 1))
            l.decision = Rect(x: dividerX + 1, y: dividerY + 1, width: textWidth, height: rows)
            l.text = Rect(x: dividerX + 1, y: bodyTop, width: textWidth, height: dividerY - bodyTop)
        }
        return l
    }
}
