/// The `?` help overlay: a box centred on the screen listing every key
/// binding from the key map, in as many columns as the height requires,
/// with `Esc or ? closes` on its bottom edge.
public enum HelpOverlay {
    /// Draws the overlay over whatever `bounds` holds.
    /// - Complexity: O(bindings + overlay area).
    public static func draw(keyMap: KeyMap, into grid: inout CellGrid, in bounds: Rect) {
        let lines = keyMap.helpLines
        let keyWidth = lines.reduce(0) { max($0, DisplayWidth.of($1.keys)) }
        let helpWidth = lines.reduce(0) { max($0, DisplayWidth.of($1.help)) }
        let footer = "Esc or ? closes"
        let maxInner = max(0, bounds.height - 2)  // inside the box lines
        guard maxInner >= 1, bounds.width >= 12 else { return }
        let columns = (lines.count + maxInner - 1) / maxInner
        let rowsPerColumn = (lines.count + columns - 1) / columns
        let columnWidth = keyWidth + 2 + helpWidth
        let innerWidth = min(bounds.width - 4, columns * columnWidth + (columns - 1) * 3)
        let box = Rect(x: bounds.x + (bounds.width - innerWidth - 4) / 2, y: bounds.y + (bounds.height - rowsPerColumn - 2) / 2,
                       width: innerWidth + 4, height: rowsPerColumn + 2)
        grid.fill(box, style: .normal)
        grid.box(box, style: CellStyle(.title), title: "keys", titleStyle: CellStyle(.title, on: .mainBg, .bold))
        let inner = box.insetBy(dx: 2, dy: 1)
        let fittedColumnWidth = columns > 1 ? (inner.width - (columns - 1) * 3) / columns : inner.width
        for (i, line) in lines.enumerated() {
            let col = i / rowsPerColumn, row = i % rowsPerColumn
            let x = inner.x + col * (fittedColumnWidth + 3)
            let cell = Rect(x: x, y: inner.y + row, width: fittedColumnWidth, height: 1).intersection(inner)
            grid.write(line.keys, x: x, y: cell.y, maxWidth: min(keyWidth, cell.width), style: CellStyle(.title, on: .mainBg, .bold), clip: cell)
            let hx = x + keyWidth + 2
            grid.write(line.help, x: hx, y: cell.y, maxWidth: max(0, cell.maxX - hx), style: CellStyle(.mainFg), clip: cell)
        }
        let footerRoom = box.width - 5
        if footerRoom > 0 {
            let x = grid.write(" ", x: box.x + 1, y: box.maxY - 1, style: CellStyle(.dim))
            let end = grid.write(footer, x: x, y: box.maxY - 1, maxWidth: footerRoom, style: CellStyle(.dim))
            grid.write(" ", x: end, y: box.maxY - 1, style: CellStyle(.dim))
        }
    }
}
