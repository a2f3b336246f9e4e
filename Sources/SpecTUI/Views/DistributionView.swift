/// The distributions at a decision: the top tokens of p and q (and, after a
/// rejection, of the residual and RSD's renormalised q) side by side, each
/// bar on one absolute scale (a full bar is probability 1), the drafted or
/// drawn token marked with `▶` on the highlight background.
///
/// ```
/// token     p target      q draft       residual
/// ▶ ␣fox    ██▋     .31   ███▋    .45   ·
///   ␣cat    ███▏    .38   █▏      .15   ███▏    .42
/// residual = norm(max(0, p − q)): what comes next is judged against it
/// ```
/// Rows that do not fit are dropped from the bottom (the marked row is kept);
/// columns that do not fit are dropped from the right. `·` marks a token that
/// is not among a column's recorded top entries.
public enum DistributionView {
    /// Columns of ` .42` after each bar.
    static let valueColumns = 4

    /// Draws `d` into `rect`.
    /// - Complexity: O(area + rows × columns).
    public static func draw(_ d: DistributionState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty, !d.columns.isEmpty else { return }
        let tokenWidth = max(4, min(10, rect.width / 5))
        // Each column: bar, space, value, a space; at least a 3-cell bar.
        let minColumn = 3 + 1 + valueColumns + 1
        let shownColumns = max(1, min(d.columns.count, (rect.width - tokenWidth - 2) / minColumn))
        let columnWidth = max(minColumn, (rect.width - tokenWidth - 2) / shownColumns)
        let barWidth = columnWidth - 1 - valueColumns - 1
        let dim = CellStyle(.dim)

        // Header.
        var y = rect.y
        grid.write("token", x: rect.x + 2, y: y, style: dim, clip: rect)
        for c in 0..<shownColumns {
            let x = rect.x + 2 + tokenWidth + c * columnWidth
            grid.write(d.columns[c].title, x: x, y: y, maxWidth: columnWidth - 1, style: CellStyle(d.columns[c].role, on: .mainBg, .bold), clip: rect)
        }
        y += 1

        // Rows: as many as fit above the notes (which yield first).
        let room = rect.maxY - y
        let notes = min(d.notes.count, max(0, room - min(d.rows.count, 3)))
        var rows = Array(d.rows.prefix(max(0, room - notes)))
        if let marked = d.rows.first(where: \.isMarked), !rows.contains(marked), !rows.isEmpty {
            rows[rows.count - 1] = marked
        }
        for row in rows {
            let style = row.isMarked ? CellStyle(.acceptedPath, on: .highlight, .bold) : CellStyle(.mainFg)
            var cx = grid.write(row.isMarked ? "▶ " : "  ", x: rect.x, y: y, style: style, clip: rect)
            var used = 0
            VisibleText.forEach(row.token) { ch, isEscape in
                let w = DisplayWidth.of(ch)
                guard used + w <= tokenWidth - 1 else { return }
                cx = grid.put(ch, x: cx, y: y, style: isEscape ? CellStyle(.dim, on: row.isMarked ? .highlight : .mainBg) : style, clip: rect)
                used += w
            }
            for c in 0..<shownColumns {
                let x = rect.x + 2 + tokenWidth + c * columnWidth
                guard let v = row.values[c] else {
                    grid.put("·", x: x, y: y, style: dim, clip: rect)
                    continue
                }
                Bars.horizontal(&grid, x: x, y: y, width: barWidth, fraction: v, style: CellStyle(d.columns[c].role),
                                empty: " ", emptyStyle: .normal, clip: rect)
                grid.write(" " + NumberFormat.pad(NumberFormat.probability(v), to: valueColumns - 1), x: x + barWidth, y: y,
                           style: CellStyle(.mainFg), clip: rect)
            }
            if row.isMarked {
                grid.restyle(Rect(x: rect.x, y: y, width: min(rect.width, 2 + tokenWidth), height: 1)) { $0.background = .highlight }
            }
            y += 1
        }
        for note in d.notes.prefix(notes) where y < rect.maxY {
            grid.write(note, x: rect.x, y: y, maxWidth: rect.width, style: dim, clip: rect)
            y += 1
        }
    }
}
