/// The latency pane: one stacked bar per recent step (newest at the
/// bottom), split into draft `█`, verify `▓` and other `░` time, all on one
/// scale (the slowest shown step fills the width), with the step's total;
/// a legend above and throughput below:
///
/// ```
/// █ draft  ▓ verify  ░ other
/// ████▓▓▓▓▓▓▓▓▓▓▓░░         41ms
/// ███▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░░░░    55ms
/// 12.3 tok/s · ×1.84 (pred ×2.10) · base 6.7 tok/s
/// ```
/// The three parts have distinct glyphs as well as colours, so the bars read
/// the same in monochrome.
public enum LatencyView {
    public static let draftGlyph: Character = "█"
    public static let verifyGlyph: Character = "▓"
    public static let otherGlyph: Character = "░"
    /// Columns reserved right of each bar for its total.
    static let totalColumns = 7

    /// Draws `latency` into `rect` (no title: the pane's title is on its border).
    /// - Complexity: O(area).
    public static func draw(_ latency: LatencyState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        var rows = rect
        // Throughput, bottom row.
        figures(latency, into: &grid, y: rect.maxY - 1, rect: rect)
        rows = rows.droppingBottom(1)
        if rows.height >= 2 {
            legend(into: &grid, y: rows.y, rect: rect)
            rows = rows.droppingTop(1)
        }
        guard !rows.isEmpty else { return }
        if latency.steps.isEmpty {
            grid.write("no steps yet", x: rows.x, y: rows.y, maxWidth: rows.width, style: CellStyle(.dim), clip: rows)
            return
        }
        let shown = latency.steps.suffix(rows.height)
        let scale = shown.reduce(0) { max($0, $1.totalMs) }
        let barWidth = max(1, rows.width - totalColumns)
        let firstRow = rows.maxY - shown.count
        for (k, s) in shown.enumerated() {
            let y = firstRow + k
            let parts = Bars.segments([s.draftMs, s.verifyMs, s.otherMs], scale: scale, width: barWidth)
            var cx = rows.x
            for (n, (glyph, role)) in zip(parts, [(draftGlyph, ThemeRole.draftBar), (verifyGlyph, .verifyBar), (otherGlyph, .otherBar)]) {
                for _ in 0..<n { cx = grid.put(glyph, x: cx, y: y, style: CellStyle(role), clip: rows) }
            }
            let total = NumberFormat.pad(NumberFormat.milliseconds(s.totalMs), to: totalColumns - 1)
            grid.write(total, x: rows.x + barWidth + 1, y: y, style: CellStyle(.dim), clip: rows)
        }
    }

    static func legend(into grid: inout CellGrid, y: Int, rect: Rect) {
        var cx = rect.x
        for (glyph, role, word) in [(draftGlyph, ThemeRole.draftBar, "draft  "), (verifyGlyph, .verifyBar, "verify  "), (otherGlyph, .otherBar, "other")] {
            cx = grid.put(glyph, x: cx, y: y, style: CellStyle(role), clip: rect)
            cx = grid.write(" " + word, x: cx, y: y, style: CellStyle(.dim), clip: rect)
        }
    }

    static func figures(_ l: LatencyState, into grid: inout CellGrid, y: Int, rect: Rect) {
        var parts: [(String, CellStyle)] = []
        if let t = l.tokensPerSecond { parts.append((NumberFormat.fixed(t, 1) + " tok/s", CellStyle(.mainFg, on: .mainBg, .bold))) }
        if l.measuredSpeedup != nil || l.predictedSpeedup != nil {
            parts.append((NumberFormat.speedup(l.measuredSpeedup) + " (pred " + NumberFormat.speedup(l.predictedSpeedup) + ")", CellStyle(.mainFg)))
        }
        if let b = l.baselineTokensPerSecond { parts.append(("base " + NumberFormat.fixed(b, 1) + " tok/s", CellStyle(.dim))) }
        if parts.isEmpty { parts.append(("tok/s –", CellStyle(.dim))) }
        // The first part is cut to fit; later parts appear only whole.
        var cx = rect.x
        for (i, (text, style)) in parts.enumerated() {
            if i == 0 {
                cx = grid.write(text, x: cx, y: y, maxWidth: rect.maxX - cx, style: style, clip: rect)
                continue
            }
            guard cx + 3 + DisplayWidth.of(text) <= rect.maxX else { break }
            cx = grid.write(" · ", x: cx, y: y, style: CellStyle(.dim), clip: rect)
            cx = grid.write(text, x: cx, y: y, style: style, clip: rect)
        }
    }
}
