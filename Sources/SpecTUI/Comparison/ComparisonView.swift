import SpecCore

/// The comparison panel (key `C`): the last step's drafted tree judged by
/// token-level verification and by the other verifiers on the same draft and
/// draws, the accepted paths as rows of tokens aligned by depth, where the
/// deciding verifier parts from token-level, and the running mean accepted
/// length of each as a chart:
///
/// ```
/// step 41 · same draft, same random draws
/// token       ✓ the ✓ little                2
/// traversal ★ ✓ the ✓ little ✓ fox ✓ ran    4
///                            ↑ parts after " little": token-level stops, traversal goes on
/// mean accepted/step  token 1.21 ⠒  traversal 1.35 ⠒  gain +0.14 (+12%)
/// ⠀⠀⠀⣀⣀⠤⠤⠒⠒⠒⠉⠉⠉⠉⠉⠉⠉⠉  (the two running means since the last change)
/// ```
/// This is the screen that shows why joint verification accepts more. A
/// pure function of `ComparisonState`.
public enum ComparisonView {
    /// The panel's title: `same draft: token vs traversal`.
    public static func title(_ c: ComparisonState) -> String {
        guard let v = c.verifier else { return "same draft: verifiers compared · C hides" }
        return v == .token ? "same draft: token-level decides · C hides" : "same draft: token vs \(v.rawValue) · C hides"
    }

    /// The style of a verifier's series and label.
    static func role(_ v: Verifier) -> ThemeRole {
        switch v {
        case .token: .draftBar
        case .block: .resampled
        case .traversal: .accepted
        }
    }

    /// Draws `c` into `rect`.
    /// - Complexity: O(rect area + path lengths + chart points).
    public static func draw(_ c: ComparisonState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        guard let step = c.last else {
            grid.write("no comparison yet: each step's tree is judged by every verifier once it finishes",
                       x: rect.x, y: rect.y, maxWidth: rect.width, style: CellStyle(.dim), clip: rect)
            return
        }
        let dim = CellStyle(.dim)
        var y = rect.y
        grid.write("step \(step.step) · same draft, same random draws", x: rect.x, y: y, maxWidth: rect.width, style: dim, clip: rect)
        y += 1
        let partX = paths(step, into: &grid, y: y, rect: rect)
        y += step.rows.count
        if y < rect.maxY {
            parting(step, x: partX, into: &grid, y: y, rect: rect)
            y += 1
        }
        if y < rect.maxY { chart(c, into: &grid, in: Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)) }
    }

    /// Rows of accepted tokens, one per verifier, columns aligned by depth;
    /// returns the column where the deciding verifier's path leaves token-level's.
    static func paths(_ step: ComparisonState.Step, into grid: inout CellGrid, y: Int, rect: Rect) -> Int? {
        let nameWidth = step.rows.reduce(0) { max($0, $1.verifier.rawValue.count) } + 3  // "name ★ "
        let depth = step.rows.reduce(0) { max($0, $1.accepted) }
        // Column widths by depth: the widest token there, plus "✓ " and a space.
        var widths = [Int](repeating: 0, count: depth)
        for r in step.rows { for (d, t) in r.tokens.enumerated() { widths[d] = max(widths[d], VisibleText.width(t) + 3) } }
        let countX = rect.maxX - 3
        var partX: Int?
        for (k, row) in step.rows.enumerated() {
            let ry = y + k
            guard ry < rect.maxY else { break }
            let nameStyle = CellStyle(role(row.verifier), on: .mainBg, row.deciding ? .bold : [])
            var cx = grid.write(row.verifier.rawValue, x: rect.x, y: ry, style: nameStyle, clip: rect)
            if row.deciding { grid.write("★", x: cx + 1, y: ry, style: CellStyle(.bonus), clip: rect) }
            cx = rect.x + nameWidth
            for (d, t) in row.tokens.enumerated() {
                if d == step.partsAfter, row.deciding { partX = cx }
                guard cx + widths[d] <= countX else {
                    grid.write("…", x: cx, y: ry, style: dim, clip: rect)
                    break
                }
                let beyond = step.partsAfter.map { d >= $0 } ?? false
                let style = CellStyle(beyond && row.verifier != .token ? .bonus : .acceptedPath)
                grid.put("✓", x: cx, y: ry, style: CellStyle(.accepted), clip: rect)
                grid.write(VisibleText.string(t), x: cx + 2, y: ry, maxWidth: widths[d] - 3, style: style, clip: rect)
                cx += widths[d]
            }
            if row.deciding, partX == nil, let p = step.partsAfter, p == row.accepted { partX = cx }
            grid.write(NumberFormat.pad("\(row.accepted)", to: 3), x: countX, y: ry,
                       style: CellStyle(.mainFg, on: .mainBg, .bold), clip: rect)
        }
        // Where the token-level path ends short of the deciding one: its stop mark.
        return partX
    }

    static let dim = CellStyle(.dim)

    /// `↑ parts after " little": token-level stops, traversal accepts " fox"` under the paths,
    /// or `same path` when they agree.
    static func parting(_ step: ComparisonState.Step, x: Int?, into grid: inout CellGrid, y: Int, rect: Rect) {
        guard let chosen = step.deciding, chosen.verifier != .token, let token = step.token else {
            let others = step.rows.filter { !$0.deciding }.map { "\($0.verifier.rawValue) \($0.accepted)" }
            grid.write("token-level decides" + (others.isEmpty ? "" : "; the others on this tree: " + others.joined(separator: ", ")),
                       x: rect.x, y: y, maxWidth: rect.width, style: dim, clip: rect)
            return
        }
        guard let p = step.partsAfter else {
            grid.write("same path: \(chosen.verifier.rawValue) and token-level accept the same \(token.accepted) token"
                       + (token.accepted == 1 ? "" : "s"), x: rect.x, y: y, maxWidth: rect.width, style: dim, clip: rect)
            return
        }
        let after = p == 0 ? "at the first token" : "after " + VisibleText.string(chosen.tokens[p - 1])
        let tokenNext = p < token.tokens.count ? "accepts " + VisibleText.string(token.tokens[p]) : "stops"
        let chosenNext = p < chosen.tokens.count ? "accepts " + VisibleText.string(chosen.tokens[p]) : "stops"
        let text = "↑ parts " + after + ": token-level " + tokenNext + ", " + chosen.verifier.rawValue + " " + chosenNext
        let start = min(x ?? rect.x, max(rect.x, rect.maxX - DisplayWidth.of(text)))
        grid.write(text, x: start, y: y, maxWidth: rect.maxX - start, style: CellStyle(.bonus), clip: rect)
    }

    /// The running means as a braille line chart with a legend row above it.
    static func chart(_ c: ComparisonState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty, let point = c.means.last else { return }
        let shown: [Verifier] = Verifier.allCases.filter { point.mean($0) != nil && (c.totals.meanAccepted($0) != nil) }
        var cx = grid.write("mean accepted/step ", x: rect.x, y: rect.y, style: dim, clip: rect)
        for v in shown {
            guard let m = point.mean(v) else { continue }
            cx = grid.write(" \(v.rawValue) ", x: cx, y: rect.y, style: CellStyle(role(v)), clip: rect)
            cx = grid.write(NumberFormat.fixed(m, 2), x: cx, y: rect.y, style: CellStyle(.mainFg, on: .mainBg, .bold), clip: rect)
        }
        if let v = c.verifier, v != .token, let gain = c.totals.gain(v), let base = c.totals.meanAccepted(.token) {
            var g = "  gain " + (gain >= 0 ? "+" : "") + NumberFormat.fixed(gain, 2)
            if base > 0 { g += " (" + (gain >= 0 ? "+" : "") + NumberFormat.fixed(100 * gain / base, 0) + "%)" }
            grid.write(g, x: cx, y: rect.y, maxWidth: max(0, rect.maxX - cx), style: CellStyle(.bonus), clip: rect)
        }
        let plot = rect.droppingTop(1)
        guard !plot.isEmpty else { return }
        let points = Array(c.means.suffix(2 * plot.width))
        let top = points.reduce(0.0) { m, p in max(m, p.token, p.block ?? 0, p.traversal) }
        guard top > 0 else { return }
        let scale = (top * 1.1 * 2).rounded(.up) / 2  // the next half token above, with headroom
        grid.write(NumberFormat.fixed(scale, 1), x: plot.x, y: plot.y, style: dim, clip: plot)
        let chartRect = Rect(x: plot.x + 4, y: plot.y, width: plot.width - 4, height: plot.height)
        BrailleGraph.lines(shown.map { v in points.map { $0.mean(v).map { $0 / scale } } },
                           markers: points.map(\.settingsChanged), into: &grid, in: chartRect,
                           styles: shown.map { CellStyle(role($0)) })
    }
}
