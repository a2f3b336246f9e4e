import SpecEngine

/// The header, written over the top border:
/// `┌ spectree ─ SmolLM2-135M · self-draft 8/30 layers · RSD-S W=4 L=5 · T=0.80 ──── default · running ┐`.
///
/// When the row is short, the theme name goes first, then the budget, then
/// the left part is cut with `…`; the run mode always shows.
public enum HeaderView {
    /// Draws `header` on row `rect.y`, from `rect.x` to `rect.maxX - 1`, corners included.
    /// - Complexity: O(width).
    public static func draw(_ header: HeaderState, into grid: inout CellGrid, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 1 else { return }
        let y = rect.y
        let border = CellStyle(.border)
        grid.edgeRow(y: y, from: rect.x, to: rect.maxX - 1, left: "┌", right: "┐", style: border)

        let modeRole: ThemeRole = switch header.mode {
        case .running: .accepted
        case .paused, .finished: .resampled
        case .decision: .bonus
        }
        let mode = (header.badge.map { $0 + " · " } ?? "") + header.mode.label
        var details: [String] = []
        if !header.target.isEmpty { details.append(header.target) }
        if !header.draft.isEmpty { details.append(header.draft) }
        if !header.method.isEmpty { details.append(header.method) }
        if let b = header.budget { details.append(b) }
        details.append("T=" + NumberFormat.fixed(header.temperature, 2))
        let room = rect.width - 4  // "┌ " … " ┐"
        var right = header.theme + " · " + mode
        let name = "spectree"
        func leftWidth() -> Int { DisplayWidth.of(name) + 3 + DisplayWidth.of(details.joined(separator: " · ")) }
        if leftWidth() + 3 + DisplayWidth.of(right) > room { right = mode }
        if leftWidth() + 3 + DisplayWidth.of(right) > room, header.budget != nil {
            details.removeAll { $0 == header.budget }
        }
        let rightWidth = DisplayWidth.of(right)
        var cx = grid.write(" ", x: rect.x + 1, y: y, style: border)
        cx = grid.write(name, x: cx, y: y, maxWidth: room, style: CellStyle(.title, on: .mainBg, .bold))
        let leftRoom = rect.maxX - 2 - rightWidth - 3 - cx
        if leftRoom > 4 {
            cx = grid.write(" ─ ", x: cx, y: y, style: border)
            cx = grid.write(details.joined(separator: " · "), x: cx, y: y, maxWidth: leftRoom - 3, style: CellStyle(.mainFg))
        }
        cx = grid.write(" ", x: cx, y: y, style: border)
        let rx = rect.maxX - 2 - rightWidth - 1
        if rx > cx {
            var x = grid.write(" ", x: rx, y: y, style: border)
            if right != mode {
                x = grid.write(header.theme, x: x, y: y, style: CellStyle(.dim))
                x = grid.write(" · ", x: x, y: y, style: CellStyle(.dim))
            }
            x = grid.write(mode, x: x, y: y, style: CellStyle(modeRole, on: .mainBg, .bold))
            grid.write(" ", x: x, y: y, style: border)
        }
    }
}
