/// The acceptance pane: block efficiency and predicted speedup, acceptance
/// rate per tree depth as bars with values, and a histogram of accepted
/// lengths per step:
///
/// ```
/// block eff. 2.90 · pred ×2.10
/// d1 ████████████████▍    .82
/// d2 ███████████▋         .58
/// len ▂ █ ▅ ▃ ▁
///     0 1 2 3 4
/// ```
/// After a settings change, a row under the summary keeps the figures of the
/// settings before: `before rsd-s W=2 L=4: eff. 2.10 · 18.2 tok/s ×1.4`.
public enum AcceptanceView {
    /// Draws `acceptance` into `rect` (no title: it is on the pane's border).
    /// - Complexity: O(area + depths + histogram bins).
    public static func draw(_ a: AcceptanceState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        // Summary line.
        var cx = grid.write("block eff. ", x: rect.x, y: rect.y, style: CellStyle(.dim), clip: rect)
        cx = grid.write(a.blockEfficiency.map { NumberFormat.fixed($0, 2) } ?? "–", x: cx, y: rect.y,
                        style: CellStyle(.mainFg, on: .mainBg, .bold), clip: rect)
        if let s = a.predictedSpeedup {
            cx = grid.write(" · pred ", x: cx, y: rect.y, style: CellStyle(.dim), clip: rect)
            grid.write(NumberFormat.speedup(s), x: cx, y: rect.y, style: CellStyle(.mainFg), clip: rect)
        }
        var rows = rect.droppingTop(1)
        // Before/after: the figures of the settings before the last change, when there is room.
        if let b = a.previous, rows.height >= 3 {
            previous(b, into: &grid, y: rows.y, rect: rect)
            rows = rows.droppingTop(1)
        }
        // Side by side: accepted tokens on the same tree, last step (running mean).
        if let s = a.sideBySide, rows.height >= 3 {
            grid.write(s.line, x: rect.x, y: rows.y, maxWidth: rect.width, style: CellStyle(.dim), clip: rect)
            rows = rows.droppingTop(1)
        }
        // Histogram: the bottom two rows when there is room for it and at least one depth.
        let histogramRows = !a.acceptedLengthHistogram.isEmpty && rows.height >= 3 ? 2 : 0
        if histogramRows > 0 {
            histogram(a.acceptedLengthHistogram, into: &grid, rect: rows.bottom(2))
            rows = rows.droppingBottom(2)
        }
        // Depth bars.
        let depths = a.rateByDepth
        guard !rows.isEmpty else { return }
        if depths.isEmpty {
            grid.write("no verified steps yet", x: rows.x, y: rows.y, maxWidth: rows.width, style: CellStyle(.dim), clip: rows)
            return
        }
        let shown = depths.count <= rows.height ? depths.count : rows.height - 1
        let labelWidth = depths.count >= 10 ? 4 : 3
        let barWidth = max(1, rows.width - labelWidth - 5)
        for d in 0..<shown {
            let y = rows.y + d
            let label = "d\(d + 1)"
            grid.write(label, x: rows.x, y: y, style: CellStyle(.dim), clip: rows)
            Bars.horizontal(&grid, x: rows.x + labelWidth, y: y, width: barWidth, fraction: depths[d],
                            style: CellStyle(.accepted), emptyStyle: CellStyle(.meterBg), clip: rows)
            grid.write(NumberFormat.pad(NumberFormat.probability(depths[d]), to: 4), x: rows.x + labelWidth + barWidth + 1, y: y,
                       style: CellStyle(.mainFg), clip: rows)
        }
        if shown < depths.count {
            grid.write("… \(depths.count - shown) deeper", x: rows.x, y: rows.y + shown, maxWidth: rows.width,
                       style: CellStyle(.dim), clip: rows)
        }
    }

    /// Accepted-length histogram in two rows: eighth-block bars scaled to the
    /// largest count, and the lengths below. Lengths that do not fit merge
    /// into a last `n+` bin.
    static func histogram(_ counts: [Int], into grid: inout CellGrid, rect: Rect) {
        let label = "len "
        grid.write(label, x: rect.x, y: rect.y, style: CellStyle(.dim), clip: rect)
        let room = (rect.width - label.count) / 2
        guard room >= 1 else { return }
        var bins = Array(counts.prefix(room))
        var merged = false
        if counts.count > room {
            bins[room - 1] = counts[(room - 1)...].reduce(0, +)
            merged = true
        }
        let top = bins.max() ?? 0
        for (k, c) in bins.enumerated() {
            let x = rect.x + label.count + 2 * k
            let glyph = top > 0 ? Bars.vertical(Double(c) / Double(top)) : " "
            grid.put(glyph, x: x, y: rect.y, style: CellStyle(.accepted), clip: rect)
            let axis = merged && k == bins.count - 1 ? "\(k % 10)+" : "\(k % 10)"
            grid.write(axis, x: x, y: rect.y + 1, style: CellStyle(.dim), clip: rect)
        }
    }

    /// One row: `before LABEL: eff. 2.10 · 18.2 tok/s · ×1.40`, the label cut first.
    static func previous(_ b: PreviousSettings, into grid: inout CellGrid, y: Int, rect: Rect) {
        var figures = ": eff. " + NumberFormat.fixed(b.blockEfficiency, 2) + " · " + NumberFormat.fixed(b.tokensPerSecond, 1) + " tok/s"
        if let m = b.measuredSpeedup { figures += " · " + NumberFormat.speedup(m) }
        let dim = CellStyle(.dim)
        var cx = grid.write("before ", x: rect.x, y: y, style: dim, clip: rect)
        let labelRoom = max(1, rect.maxX - cx - DisplayWidth.of(figures))
        cx = grid.write(b.label, x: cx, y: y, maxWidth: labelRoom, style: CellStyle(.mainFg), clip: rect)
        grid.write(figures, x: cx, y: y, style: dim, clip: rect)
    }
}
