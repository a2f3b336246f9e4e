/// The `?` overlay: a box centred on the screen listing every key binding
/// from the key map and the legend (`LegendView.entries`: every colour,
/// glyph and figure), in as many columns as the height requires.
///
/// Page 0 holds the keys and the legend when both fit, else the keys alone
/// (the bottom edge then says `? legend`); page 1 holds the legend alone.
public enum HelpOverlay {
    /// One row: a left part (keys, or a legend sample in its roles) and its text.
    struct Row {
        var left: [(String, ThemeRole, CellAttributes)]
        var text: String
        var leftWidth: Int { left.reduce(0) { $0 + DisplayWidth.of($1.0) } }
    }

    static func keyRows(_ keyMap: KeyMap) -> [Row] {
        keyMap.helpLines.map { Row(left: [($0.keys, .title, .bold)], text: $0.help) }
    }

    static var legendRows: [Row] {
        LegendView.entries.map { e in Row(left: e.sample.map { ($0.text, $0.role, []) }, text: e.meaning) }
    }

    /// Draws page `page` of the overlay over whatever `bounds` holds.
    /// - Complexity: O(bindings + legend + overlay area).
    public static func draw(keyMap: KeyMap, page: Int = 0, into grid: inout CellGrid, in bounds: Rect) {
        let keys = keyRows(keyMap)
        let legend = legendRows
        if page == 0 {
            let both = keys + [Row(left: [], text: "")] + legend
            if fits(both, in: bounds) {
                drawBox(both, title: "keys · legend", footer: "Esc or ? closes", into: &grid, in: bounds)
            } else {
                drawBox(keys, title: "keys", footer: "? legend · Esc closes", into: &grid, in: bounds)
            }
        } else {
            drawBox(legend, title: "legend", footer: "Esc or ? closes", into: &grid, in: bounds)
        }
    }

    /// Whether `rows` fit in `bounds` without cutting any text.
    static func fits(_ rows: [Row], in bounds: Rect) -> Bool {
        let inner = bounds.height - 2
        guard inner >= 1 else { return false }
        let columns = (rows.count + inner - 1) / inner
        return columns * columnWidth(rows) + (columns - 1) * 3 <= bounds.width - 4
    }

    static func columnWidth(_ rows: [Row]) -> Int {
        rows.reduce(0) { max($0, $1.leftWidth) } + 2 + rows.reduce(0) { max($0, DisplayWidth.of($1.text)) }
    }

    static func drawBox(_ lines: [Row], title: String, footer: String, into grid: inout CellGrid, in bounds: Rect) {
        let leftWidth = lines.reduce(0) { max($0, $1.leftWidth) }
        let maxInner = max(0, bounds.height - 2)  // inside the box lines
        guard maxInner >= 1, bounds.width >= 12 else { return }
        let columns = (lines.count + maxInner - 1) / maxInner
        let rowsPerColumn = (lines.count + columns - 1) / columns
        let innerWidth = min(bounds.width - 4, columns * columnWidth(lines) + (columns - 1) * 3)
        let box = Rect(x: bounds.x + (bounds.width - innerWidth - 4) / 2, y: bounds.y + (bounds.height - rowsPerColumn - 2) / 2,
                       width: innerWidth + 4, height: rowsPerColumn + 2)
        grid.fill(box, style: .normal)
        grid.box(box, style: CellStyle(.title), title: title, titleStyle: CellStyle(.title, on: .mainBg, .bold))
        let inner = box.insetBy(dx: 2, dy: 1)
        let fittedColumnWidth = columns > 1 ? (inner.width - (columns - 1) * 3) / columns : inner.width
        for (i, line) in lines.enumerated() {
            let col = i / rowsPerColumn, row = i % rowsPerColumn
            let x = inner.x + col * (fittedColumnWidth + 3)
            let cell = Rect(x: x, y: inner.y + row, width: fittedColumnWidth, height: 1).intersection(inner)
            var cx = x
            for (text, role, attributes) in line.left {
                cx = grid.write(text, x: cx, y: cell.y, maxWidth: max(0, min(leftWidth, cell.maxX - cx)),
                                style: CellStyle(role, on: .mainBg, attributes), clip: cell)
            }
            let hx = x + leftWidth + 2
            grid.write(line.text, x: hx, y: cell.y, maxWidth: max(0, cell.maxX - hx), style: CellStyle(.mainFg), clip: cell)
        }
        let footerRoom = box.width - 5
        if footerRoom > 0 {
            let x = grid.write(" ", x: box.x + 1, y: box.maxY - 1, style: CellStyle(.dim))
            let end = grid.write(footer, x: x, y: box.maxY - 1, maxWidth: footerRoom, style: CellStyle(.dim))
            grid.write(" ", x: end, y: box.maxY - 1, style: CellStyle(.dim))
        }
    }
}
