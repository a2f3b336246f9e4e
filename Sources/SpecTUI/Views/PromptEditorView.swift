/// The prompt editor in the status line (after `i`): `prompt: ` and the
/// text with a cursor (`▏` before the character it stands on), scrolled
/// sideways to keep the cursor in view, and the keys on the right when there
/// is room.
///
/// ```
/// └ prompt: Tell me ab▏out foxes          ←/→ Home End · Enter send · Esc cancel ┘
/// ```
public enum PromptEditorView {
    /// Draws `text` with the cursor at character `cursor` (nil: the end) into the status row `rect`.
    /// - Complexity: O(text + width).
    public static func draw(_ text: String, cursor: Int?, into grid: inout CellGrid, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 1 else { return }
        let y = rect.y
        grid.edgeRow(y: y, from: rect.x, to: rect.maxX - 1, left: "└", right: "┘", style: CellStyle(.border))
        let wordStyle = CellStyle(.statusFg, on: .statusBg)
        let room = rect.width - 4
        let hint = "  ←/→ Home End · Enter send · Esc cancel"
        let hintWidth = room >= 70 ? DisplayWidth.of(hint) : 0
        let label = "prompt: "
        let textRoom = max(2, room - DisplayWidth.of(label) - hintWidth - 1)
        // Characters as shown (newlines and tabs as spaces), with their widths.
        let chars: [Character] = text.map { $0 == "\n" || $0 == "\t" ? " " : $0 }
        let at = min(max(0, cursor ?? chars.count), chars.count)
        // The window: end at the cursor (or later) so that it is in view; start as early as fits.
        var start = at, used = 1  // the cursor's own cell
        while start > 0 {
            let w = DisplayWidth.of(chars[start - 1])
            if used + w > textRoom { break }
            start -= 1
            used += w
        }
        var end = at
        while end < chars.count, used + DisplayWidth.of(chars[end]) <= textRoom {
            used += DisplayWidth.of(chars[end])
            end += 1
        }
        grid.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), style: wordStyle)
        var cx = grid.write(" " + label, x: rect.x + 1, y: y, style: CellStyle(.title, on: .statusBg, .bold))
        cx = grid.write(String(chars[start..<at]), x: cx, y: y, style: wordStyle)
        cx = grid.put("▏", x: cx, y: y, style: CellStyle(.title, on: .statusBg, .bold))
        grid.write(String(chars[at..<end]), x: cx, y: y, style: wordStyle)
        if hintWidth > 0 {
            grid.write(hint, x: rect.maxX - 2 - hintWidth, y: y, style: CellStyle(.dim, on: .statusBg))
        }
    }
}
