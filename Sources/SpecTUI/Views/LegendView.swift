/// What every colour, glyph and figure on the screen means: the legend in
/// the `?` overlay (`HelpOverlay`) and the one-line legend under the tree
/// (key `l`). Samples are drawn in the roles the views use, so the legend
/// shows the theme's own colours.
public enum LegendView {
    /// One legend row: a sample (pieces in their roles) and what it means.
    public struct Entry: Sendable, Equatable {
        public var sample: [Piece]
        public var meaning: String

        /// Text in a role.
        public struct Piece: Sendable, Equatable {
            public var text: String
            public var role: ThemeRole
        }

        init(_ sample: [(String, ThemeRole)], _ meaning: String) {
            self.sample = sample.map { Piece(text: $0.0, role: $0.1) }
            self.meaning = meaning
        }

        /// Columns the sample takes.
        public var sampleWidth: Int { sample.reduce(0) { $0 + DisplayWidth.of($1.text) } }
    }

    /// Every entry, grouped tree, text, figures: 22 rows of at most 70 columns, so
    /// the legend fits one 80×24 screen.
    public static let entries: [Entry] = [
        Entry([("●", .accepted)], "tree: on the accepted path (its tokens are emitted)"),
        Entry([("○", .pending), (" ✂ 0.031", .dim)], "tree: drafted, off the path · cut by the budget (path prob.)"),
        Entry([("✓", .accepted)], "accepted: u < min(1, p(x)/q(x))"),
        Entry([("✗", .rejected)], "rejected by the target"),
        Entry([("↻", .resampled)], "resampled from the residual norm(max(0, p − q))"),
        Entry([("★", .bonus)], "bonus: drawn from p after every draft token was accepted"),
        Entry([(NodeState.pending.glyph.description, .pending)], "pending: drafted, not reached by verification"),
        Entry([("q.45 p.62", .dim), (" ≈", .dim)], "q(x) and p(x) · ≈ the lookup guessed it: no draft call"),
        Entry([("+11", .dim), (" +6", .rejected)], "folded: nodes below · a group of (rejected) siblings"),
        Entry([("◀", .title)], "the node under test (v: one decision at a time)"),
        Entry([("▲3 ▼5", .title)], "lines scrolled out of the pane (↑ ↓ scroll)"),
        Entry([("prompt", .promptText)], "text: the prompt"),
        Entry([("text", .accepted), (" ↻", .resampled), (" ★", .bonus)], "text: drafted and accepted · resampled · bonus"),
        Entry([("│", .dim)], "text: a step boundary (s shows them)"),
        Entry([(String(LatencyView.draftGlyph), .draftBar), (String(LatencyView.verifyGlyph), .verifyBar), (String(LatencyView.otherGlyph), .otherBar)],
              "latency per step: draft · verify · other (ms)"),
        Entry([("×1.84", .mainFg)], "measured speedup: tokens/s ÷ plain decoding's (base)"),
        Entry([("pred ×2.10", .dim)], "speedup the throughput model predicts"),
        Entry([("block eff.", .dim)], "tokens emitted per target call (1 = no gain)"),
        Entry([("d1 ▇▇ .82", .accepted)], "acceptance rate at each tree depth"),
        Entry([("len ▂▇▃", .accepted)], "how many steps accepted 0, 1, 2, … tokens"),
        Entry([("nodes 20/63", .mainFg)], "the shape's most nodes / the limit per call"),
        Entry([("before …", .dim)], "the figures of the settings before a change"),
    ]

    /// The one-line legend: `● path ○ off ✓ kept ✗ rejected ↻ resampled ★ bonus · pending +N folded`.
    public static let line: [(String, ThemeRole)] = [
        ("●", .accepted), (" path ", .dim), ("○", .pending), (" off ", .dim), ("✓", .accepted), (" kept ", .dim),
        ("✗", .rejected), (" rejected ", .dim), ("↻", .resampled), (" resampled ", .dim), ("★", .bonus), (" bonus ", .dim),
        ("·", .pending), (" pending ", .dim), ("+N", .dim), (" folded", .dim),
    ]

    /// The same in 34 columns, for narrow tree panes (80-column screens):
    /// `●path ○off ✓ok ✗no ↻res ★bon ·wait`.
    public static let shortLine: [(String, ThemeRole)] = [
        ("●", .accepted), ("path ", .dim), ("○", .pending), ("off ", .dim), ("✓", .accepted), ("ok ", .dim),
        ("✗", .rejected), ("no ", .dim), ("↻", .resampled), ("res ", .dim), ("★", .bonus), ("bon ", .dim),
        ("·", .pending), ("wait", .dim),
    ]

    /// Draws the one-line legend on row `rect.y` (the short form when the
    /// full one does not fit), cut at the rect's width.
    /// - Complexity: O(width).
    public static func drawLine(into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        var cx = rect.x
        let full = line.reduce(0) { $0 + DisplayWidth.of($1.0) } <= rect.width
        for (text, role) in full ? line : shortLine {
            cx = grid.write(text, x: cx, y: rect.y, style: CellStyle(role), clip: rect)
        }
    }
}
