/// The error banner: one row, `✗ message  (Esc dismisses)`, in the `error`
/// colour (bold reverse in monochrome). Decoder errors show here while the
/// rest of the screen keeps working.
public enum ErrorBanner {
    /// Draws `message` on row `rect.y` across `rect.width`.
    public static func draw(_ message: String, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let style = CellStyle(.error, on: .mainBg, .bold)
        grid.fill(rect.top(1), style: style)
        let hint = "  Esc dismisses"
        let hintWidth = rect.width >= 40 ? DisplayWidth.of(hint) : 0
        // One line: newlines in the message become spaces.
        let flat = message.map { $0 == "\n" || $0 == "\r\n" || $0 == "\t" ? " " : $0 }
        var cx = grid.write("✗ ", x: rect.x, y: rect.y, style: style, clip: rect)
        cx = grid.write(String(flat), x: cx, y: rect.y, maxWidth: rect.maxX - cx - hintWidth, style: style, clip: rect)
        if hintWidth > 0 { grid.write(hint, x: rect.maxX - hintWidth, y: rect.y, style: CellStyle(.dim), clip: rect) }
    }
}
