/// The optional panels carved out of a computed layout: the history band
/// (key `g`) across the whole width below the tree and the text, and the
/// verifier comparison (key `C`) at the bottom of the text column.
///
/// ```
/// │ tree          │ text             │
/// │               ├ same draft ──────┤  comparison: bottom of the text column
/// │               │ token  ✓ ✓ ✗     │
/// ├ history ──────┴──────────────────┤  history: a band above the bottom panes
/// │ tok/s ⣀⣤⣶   acceptance   length  │
/// ├ latency ──────┬ acceptance ──────┤
/// ```
/// Each is added only when the panes it takes rows from keep enough of them;
/// otherwise the panel stays hidden (its rect nil). O(1).
extension ScreenLayout {
    /// Tree rows the history band leaves at least.
    public static let minimumTreeRowsWithHistory = 6
    /// Text rows the comparison leaves at least.
    public static let minimumTextRowsWithComparison = 4

    /// Adds the panels asked for, history first.
    public mutating func addPanels(history: Bool, comparison: Bool) {
        guard !isTooSmall else { return }
        if history { addHistory() }
        if comparison { addComparison() }
    }

    /// A full-width band of up to 12 rows (a third of the top panes) off the
    /// bottom of the tree and text, with a border line above it. Not on
    /// short screens where the decision panel lives in the text column.
    mutating func addHistory() {
        if decision != nil, latency == nil { return }
        let rows = min(12, max(4, tree.height / 3))
        guard tree.height - rows - 1 >= Self.minimumTreeRowsWithHistory, text.height - rows - 1 >= 2 else { return }
        let bottom = tree.maxY  // the row below the top panes: a border or the status line
        let lineY = bottom - rows - 1
        history = Rect(x: 1, y: lineY + 1, width: width - 2, height: rows)
        tree.height = lineY - tree.y
        text.height = lineY - text.y
        // The column divider stops at the band and resumes below it.
        if let i = lines.firstIndex(where: { $0.vertical }) {
            let divider = lines[i]
            lines[i].to = lineY
            lines.insert(FrameLine(vertical: true, at: divider.at, from: bottom, to: divider.to), at: i + 1)
        }
        lines.append(FrameLine(vertical: false, at: lineY, from: 0, to: width - 1))
        // Full-width lines first, so the divider's ends join them as ┴ and ┬.
        lines = lines.filter { !$0.vertical } + lines.filter(\.vertical)
    }

    /// The bottom of the text column, up to 14 rows (half of it), with a border line above it.
    mutating func addComparison() {
        let rows = min(14, text.height / 2)
        guard rows >= 4, text.height - rows - 1 >= Self.minimumTextRowsWithComparison else { return }
        let lineY = text.maxY - rows - 1
        comparison = Rect(x: text.x, y: lineY + 1, width: text.width, height: rows)
        text.height = lineY - text.y
        lines.append(FrameLine(vertical: false, at: lineY, from: text.x - 1, to: width - 1))
    }
}
