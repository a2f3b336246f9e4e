import SpecEngine

/// The header, written over the top border:
/// `┌ spectree ─ SmolLM2-135M · self-draft 8/30 layers · RSD-S W=4 L=5 · T=0.80 ──── default · running ┐`.
///
/// When the row is short, what matters stays: the run mode, the method and
/// shape, the temperature. The theme name goes first, then the model names
/// are abbreviated (see `details(_:fitting:)`).
public enum HeaderView {
    /// The details (`target · draft · method · nodes · budget · T=…`) in at most
    /// `width` columns, giving way in this order: the target's name is cut
    /// (to 10 columns), the node count goes, the draft becomes its short
    /// form (`self:8`) or is cut, the budget goes, the target goes, the
    /// draft goes; only then is the rest cut with `…`.
    /// - Complexity: O(parts × width).
    public static func details(_ header: HeaderState, fitting width: Int) -> String {
        var target = header.target, draft = header.draft
        var nodes = header.nodes, budget = header.budget, knobs = header.knobs
        func text() -> String {
            [target, draft, header.method, nodes ?? "", budget ?? "", "T=" + NumberFormat.fixed(header.temperature, 2),
             knobs ?? ""]
                .filter { !$0.isEmpty }.joined(separator: " · ")
        }
        func over() -> Int { DisplayWidth.of(text()) - width }
        func cut(_ s: String, by n: Int, keeping minimum: Int) -> String {
            let w = DisplayWidth.of(s)
            guard n > 0, w > minimum else { return s }
            let keep = max(minimum, w - n) - 1
            var out = "", used = 0
            for ch in s {
                let cw = DisplayWidth.of(ch)
                if used + cw > keep { break }
                out.append(ch)
                used += cw
            }
            return out + "…"
        }
        if over() > 0 { knobs = nil }
        if over() > 0 { target = cut(target, by: over(), keeping: 10) }
        if over() > 0 { nodes = nil }
        if over() > 0, let short = header.draftShort, !draft.isEmpty, DisplayWidth.of(short) < DisplayWidth.of(draft) { draft = short }
        if over() > 0 { draft = cut(draft, by: over(), keeping: 8) }
        if over() > 0 { budget = nil }
        if over() > 0 { target = "" }
        if over() > 0 { draft = "" }
        return text()
    }

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
        let room = rect.width - 4  // "┌ " … " ┐"
        var right = header.theme + " · " + mode
        let name = "spectree"
        let fixed = DisplayWidth.of(name) + 3 + 3  // "spectree ─ " and the gap before the right part
        if fixed + DisplayWidth.of(Self.details(header, fitting: .max)) + DisplayWidth.of(right) > room { right = mode }
        let detailText = Self.details(header, fitting: room - fixed - DisplayWidth.of(right))
        let rightWidth = DisplayWidth.of(right)
        var cx = grid.write(" ", x: rect.x + 1, y: y, style: border)
        cx = grid.write(name, x: cx, y: y, maxWidth: room, style: CellStyle(.title, on: .mainBg, .bold))
        let leftRoom = rect.maxX - 2 - rightWidth - 3 - cx
        if leftRoom > 4 {
            cx = grid.write(" ─ ", x: cx, y: y, style: border)
            cx = grid.write(detailText, x: cx, y: y, maxWidth: leftRoom - 3, style: CellStyle(.mainFg))
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
