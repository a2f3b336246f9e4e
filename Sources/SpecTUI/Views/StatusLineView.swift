/// The key line, written over the bottom border: `└ space pause · n step · … · ? help ┘`,
/// derived from the key map (items that do not fit are dropped, least
/// important first), with a transient message at the right.
public enum StatusLineView {
    /// Draws the status line on row `rect.y`, corners included.
    /// - Complexity: O(width + key bindings).
    /// - Parameters:
    ///   - available: whether a command can act now; items none of whose keys can are left out.
    ///   - page: which page of key hints (`KeyMap.statusPages`), when they need several.
    public static func draw(keyMap: KeyMap, message: String?, available: (UICommand) -> Bool = { _ in true },
                            page: Int = 0, into grid: inout CellGrid, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 1 else { return }
        let y = rect.y
        let border = CellStyle(.border)
        grid.edgeRow(y: y, from: rect.x, to: rect.maxX - 1, left: "└", right: "┘", style: border)
        var room = rect.width - 4
        var messageWidth = 0
        if let m = message, !m.isEmpty {
            messageWidth = min(DisplayWidth.of(m), max(0, room / 2))
            room -= messageWidth + 3
        }
        let keyStyle = CellStyle(.title, on: .statusBg, .bold)
        let wordStyle = CellStyle(.statusFg, on: .statusBg)
        let sepStyle = CellStyle(.dim, on: .statusBg)
        var cx = grid.put(" ", x: rect.x + 1, y: y, style: wordStyle)
        for (i, item) in keyMap.statusPage(page, fitting: room, available: available).enumerated() {
            if i > 0 { cx = grid.write(" · ", x: cx, y: y, style: sepStyle) }
            cx = grid.write(item.keys, x: cx, y: y, style: keyStyle)
            cx = grid.write(" " + item.word, x: cx, y: y, style: wordStyle)
        }
        grid.put(" ", x: cx, y: y, style: wordStyle)
        if let m = message, messageWidth > 0 {
            let x = rect.maxX - 2 - messageWidth - 1
            let end = grid.write(" ", x: x, y: y, style: wordStyle)
            grid.write(m, x: end, y: y, maxWidth: messageWidth, style: CellStyle(.title, on: .statusBg, .bold))
            grid.put(" ", x: rect.maxX - 2, y: y, style: wordStyle)
        }
    }
}
