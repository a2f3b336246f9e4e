/// The tree pane: the current step's draft tree with box-drawing connectors.
///
/// ```
/// tree (step 41)              ▲2
/// ● ␣the        q.61 p.72 ✓
/// ├─● ␣little   q.40 p.55 ✓
/// │ ├─● ␣fox    q.22 p.31 ✓
/// │ └─○ ␣girl   q.18 p.09 ✗
/// └─ +7 rejected
/// ```
/// `●` marks nodes on the accepted path (bold, `accepted_path` colour, and
/// their connectors too), `○` the others; the verdict glyph (`✓ ✗ ↻ ★`, `·`
/// pending) takes the state's colour; the node under test is drawn on the
/// `highlight` background (reverse video in monochrome) with a `◀`. A branch a
/// dynamic tree's rerank cut is dimmed with its path probability (`✂ 0.031`,
/// `+n` cut below it); a token the draft lookup guessed (no draft call of its
/// own) has a dim `≈` after its verdict. Too many
/// lines: fold (see `TreeLayout`), then scroll to keep the focus in view,
/// with `▲n`/`▼n` in the title row. Narrow panes drop q/p, then indent one
/// column per level.
public enum TreeView {
    /// Columns of ` q.61 p.72`.
    static let probabilityColumns = 10

    /// How the pane's lines fall on its rows: the layout and the first line shown.
    public struct Placement {
        public var layout: TreeLayout
        /// Index of the line on the body's first row.
        public var top: Int
        /// The rows below the title.
        public var body: Rect

        /// The line drawn on screen row `y`, if any.
        public func line(atRow y: Int) -> TreeLayout.Line? {
            guard y >= body.y, y < body.maxY else { return nil }
            let i = top + (y - body.y)
            return i < layout.lines.count ? layout.lines[i] : nil
        }
    }

    /// Lays out `tree` for `rect` (title row included) and scrolls it: the
    /// focus one line above the bottom, shifted by `scroll`. Nil when there is no body.
    /// - Complexity: that of `TreeLayout`.
    public static func placement(_ tree: TreeState, scroll: Int = 0, expanded: Set<Int> = [], expandAll: Bool = false,
                                 in rect: Rect) -> Placement? {
        let body = rect.droppingTop(1)
        guard !rect.isEmpty, !body.isEmpty, !tree.nodes.isEmpty else { return nil }
        let layout = TreeLayout(tree: tree, maxLines: body.height, expanded: expanded, expandAll: expandAll)
        var top = 0
        if layout.lines.count > body.height {
            let maxTop = layout.lines.count - body.height
            let auto = layout.focusLine.map { max(0, min(maxTop, $0 - body.height + 2)) } ?? 0
            top = max(0, min(maxTop, auto + scroll))
        }
        return Placement(layout: layout, top: top, body: body)
    }

    /// Draws `tree` into `rect` of `grid`; `scroll` shifts the automatic
    /// scroll position by that many lines; `expanded` and `expandAll` open
    /// folded groups (`TreeLayout`); `emptyNote` shows while there is no tree.
    /// - Complexity: O(n) in the nodes plus O(area); a few small arrays.
    public static func draw(_ tree: TreeState, scroll: Int = 0, emptyNote: String = "waiting for the first draft…", expanded: Set<Int> = [], expandAll: Bool = false,
                            into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let title = CellStyle(.title, on: .mainBg, .bold)
        var x = grid.write("tree", x: rect.x, y: rect.y, style: title, clip: rect)
        if tree.step > 0 { x = grid.write(" (step \(tree.step))", x: x, y: rect.y, style: CellStyle(.dim), clip: rect) }
        let body = rect.droppingTop(1)
        guard !body.isEmpty else { return }
        guard let placement = placement(tree, scroll: scroll, expanded: expanded, expandAll: expandAll, in: rect) else {
            grid.write(emptyNote, x: body.x, y: body.y, maxWidth: body.width, style: CellStyle(.dim), clip: body)
            return
        }
        let layout = placement.layout
        let lines = layout.lines
        let top = placement.top

        // The scroll indicator.
        if lines.count > body.height {
            var indicator = ""
            if top > 0 { indicator += "▲\(top)" }
            let below = lines.count - top - body.height
            if below > 0 { indicator += (indicator.isEmpty ? "" : " ") + "▼\(below)" }
            let w = DisplayWidth.of(indicator)
            grid.write(indicator, x: rect.maxX - w, y: rect.y, style: CellStyle(.title, on: .mainBg, .bold), clip: rect)
        }

        // Columns: one or two per level; q/p aligned after the widest visible name.
        let visible = lines[top..<min(lines.count, top + body.height)]
        var step = 2
        if layout.maxLevel * 2 > body.width / 2 { step = 1 }
        let showProbabilities = body.width >= 24
        var nameEnd = 0, hiddenWidth = 0
        for line in visible {
            guard case let .node(i, hidden) = line.kind else { continue }
            nameEnd = max(nameEnd, line.level * step + 2 + VisibleText.width(tree.nodes[i].token))
            if hidden > 0 { hiddenWidth = max(hiddenWidth, 2 + (hidden >= 100 ? 3 : hidden >= 10 ? 2 : 1)) }
        }
        let tail = (showProbabilities ? probabilityColumns : 0) + 1 + hiddenWidth
        let column = min(nameEnd + 1, body.width - tail)

        for (row, line) in visible.enumerated() {
            let y = body.y + row
            var cx = body.x
            // Connectors.
            let connector = CellStyle(line.onPath ? .acceptedPath : .border, on: .mainBg, line.onPath ? .bold : [])
            if line.level >= 1 {
                for k in 1..<line.level {
                    let bar = k < 64 && line.continuation & (1 << UInt64(k)) != 0
                    grid.put(bar ? "│" : " ", x: cx, y: y, style: CellStyle(.border), clip: body)
                    if step == 2 { grid.put(" ", x: cx + 1, y: y, style: .normal, clip: body) }
                    cx += step
                }
                grid.put(line.isLast ? "└" : "├", x: cx, y: y, style: connector, clip: body)
                if step == 2 { grid.put("─", x: cx + 1, y: y, style: connector, clip: body) }
                cx += step
            }
            switch line.kind {
            case let .summary(count, label, role):
                grid.write(" +\(count) \(label)", x: cx, y: y, style: CellStyle(role), clip: body)
            case .context:
                cx = grid.put("◆", x: cx, y: y, style: CellStyle(.acceptedPath, on: .mainBg, .bold), clip: body)
                cx = grid.put(" ", x: cx, y: y, clip: body)
                VisibleText.forEach(tree.root ?? "") { ch, isEscape in
                    cx = grid.put(ch, x: cx, y: y, style: isEscape ? CellStyle(.dim) : CellStyle(.promptText), clip: body)
                }
                grid.write("  context", x: cx, y: y, style: CellStyle(.dim), clip: body)
            case let .node(i, hidden):
                drawNode(tree.nodes[i], hidden: hidden, underTest: i == tree.nodeUnderTest,
                         x: cx, y: y, column: body.x + column, showProbabilities: showProbabilities,
                         into: &grid, clip: body)
            }
        }
    }

    /// A cut branch's path probability: `0.031`, or `4e-05` below 0.0005.
    public static func cutProbability(_ value: Double) -> String {
        value >= 0.0005 ? String(format: "%.3f", value) : String(format: "%.0e", value)
    }

    static func drawNode(_ node: TreeNodeState, hidden: Int, underTest: Bool, x: Int, y: Int, column: Int,
                         showProbabilities: Bool, into grid: inout CellGrid, clip: Rect) {
        let emphasis: CellAttributes = node.onAcceptedPath ? .bold : []
        var cx = grid.put(node.onAcceptedPath ? "●" : "○", x: x, y: y, style: CellStyle(node.state.role, on: .mainBg, emphasis), clip: clip)
        cx = grid.put(" ", x: cx, y: y, clip: clip)
        let text = CellStyle(node.onAcceptedPath ? .acceptedPath : (node.state == .rejected || node.state == .cut ? .dim : .mainFg),
                             on: .mainBg, emphasis)
        let escape = CellStyle(.dim, on: .mainBg, emphasis)
        // The token, cut with … where it would reach the q/p column.
        let room = column - 1 - cx
        let fits = VisibleText.width(node.token) <= room
        var used = 0
        VisibleText.forEach(node.token) { ch, isEscape in
            let w = DisplayWidth.of(ch)
            if !fits && used + w > room - 1 { return }
            if used + w > room { return }
            cx = grid.put(ch, x: cx, y: y, style: isEscape ? escape : text, clip: clip)
            used += w
        }
        if !fits && room >= 1 { cx = grid.put("…", x: cx, y: y, style: escape, clip: clip) }
        cx = max(cx, column)
        if node.state == .cut {
            // A cut branch: its q and the path probability the rerank cut it at, all dimmed.
            let dim = CellStyle(.dim)
            if showProbabilities { cx = grid.write("q" + NumberFormat.probability(node.q) + " ", x: cx, y: y, style: dim, clip: clip) }
            cx = grid.write("✂ " + cutProbability(node.pathProbability ?? 0), x: cx, y: y, style: dim, clip: clip)
            let below = hidden + node.cutBelow
            if below > 0 { grid.write(" +\(below)", x: cx, y: y, style: dim, clip: clip) }
            return
        }
        if showProbabilities {
            let dim = CellStyle(.dim)
            cx = grid.write("q" + NumberFormat.probability(node.q), x: cx, y: y, style: dim, clip: clip)
            cx = grid.write(" p" + NumberFormat.probability(node.p), x: cx, y: y, style: dim, clip: clip)
            cx += 1
        }
        cx = grid.put(node.state.glyph, x: cx, y: y, style: CellStyle(node.state.role), clip: clip)
        if node.guessed { cx = grid.write(" ≈", x: cx, y: y, style: CellStyle(.dim), clip: clip) }
        if hidden > 0 { cx = grid.write(" +\(hidden)", x: cx, y: y, style: CellStyle(.dim), clip: clip) }
        if underTest {
            cx = grid.write(" ◀", x: cx, y: y, style: CellStyle(.title, on: .mainBg, .bold), clip: clip)
            grid.restyle(Rect(x: clip.x, y: y, width: clip.width, height: 1)) { $0.background = .highlight }
        }
    }
}
