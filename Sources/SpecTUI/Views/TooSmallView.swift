/// The screen shown below the minimum size:
/// `window too small — enlarge to at least 60×16 (now 40×10)`, word-wrapped
/// and centred, clipped to whatever room there is (down to 1×1).
public enum TooSmallView {
    /// The message for a `width` × `height` screen.
    public static func message(width: Int, height: Int) -> String {
        "window too small — enlarge to at least \(ScreenLayout.minimumWidth)×\(ScreenLayout.minimumHeight) (now \(width)×\(height))"
    }

    /// Clears `grid` and draws the message.
    /// - Complexity: O(area + message).
    public static func draw(into grid: inout CellGrid) {
        grid.clear()
        let w = grid.width, h = grid.height
        guard w > 0, h > 0 else { return }
        let words = message(width: w, height: h).split(separator: " ")
        var lines: [String] = []
        var current = ""
        for word in words {
            if current.isEmpty { current = String(word) }
            else if DisplayWidth.of(current) + 1 + DisplayWidth.of(word) <= w { current += " " + word }
            else { lines.append(current); current = String(word) }
        }
        if !current.isEmpty { lines.append(current) }
        let top = max(0, (h - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < h {
            let lw = DisplayWidth.of(line)
            let style = i == 0 ? CellStyle(.error, on: .mainBg, .bold) : CellStyle(.mainFg)
            grid.write(line, x: max(0, (w - lw) / 2), y: top + i, maxWidth: w, style: style)
        }
    }
}
