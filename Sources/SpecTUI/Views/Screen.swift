/// The whole screen: lays out the panes for the grid's size and draws every
/// view of a `ScreenState` into the grid. A pure function of the state and
/// the grid's size, so a frame is tested without a terminal.
public enum Screen {
    /// Draws `state` into `grid` (whose size is the screen's), replacing its content.
    /// Reuse the same grid every frame: drawing then allocates only a few small arrays.
    /// - Complexity: O(area + tree nodes + visible text).
    public static func draw(_ state: ScreenState, keyMap: KeyMap = .standard, into grid: inout CellGrid) {
        let layout = ScreenLayout.compute(width: grid.width, height: grid.height,
                                          hasBanner: state.error != nil || state.tune != nil, hasDecision: state.decision != nil)
        if layout.isTooSmall {
            TooSmallView.draw(into: &grid)
            return
        }
        grid.clear()
        let border = CellStyle(.border)
        grid.box(grid.bounds, style: border)
        for line in layout.lines {
            if line.vertical {
                grid.verticalLine(x: line.at, from: line.from, to: line.to, style: border)
            } else {
                grid.horizontalLine(y: line.at, from: line.from, to: line.to, style: border)
            }
        }
        // Panes keep a blank column on each side, off the borders.
        func padded(_ r: Rect) -> Rect { r.width > 2 ? r.insetBy(dx: 1, dy: 0) : r }
        HeaderView.draw(state.header, into: &grid, in: layout.header)
        if let e = state.error, let b = layout.banner {
            ErrorBanner.draw(e, into: &grid, in: padded(b))
        } else if let t = state.tune, let b = layout.banner {
            TuneBanner.draw(t, into: &grid, in: padded(b))
        }
        let emptyTree = state.header.mode == .paused ? "paused · press n for a step, space to run" : "waiting for the first draft…"
        var treeRect = padded(layout.tree)
        if state.options.showLegend, treeRect.height >= 4 {
            LegendView.drawLine(into: &grid, in: Rect(x: treeRect.x, y: treeRect.maxY - 1, width: treeRect.width, height: 1))
            treeRect.height -= 1
        }
        TreeView.draw(state.tree, scroll: state.options.treeScroll, emptyNote: emptyTree, into: &grid, in: treeRect)
        TextView.draw(state.text, showStepBoundaries: state.options.showStepBoundaries, into: &grid, in: padded(layout.text))
        let titleStyle = CellStyle(.title, on: .mainBg, .bold)
        if let r = layout.latency {
            paneTitle("latency (ms)", above: r, into: &grid, style: titleStyle)
            LatencyView.draw(state.latency, into: &grid, in: padded(r))
        }
        if let r = layout.acceptance {
            paneTitle("acceptance", above: r, into: &grid, style: titleStyle)
            AcceptanceView.draw(state.acceptance, into: &grid, in: padded(r))
        }
        if let r = layout.decision, let d = state.decision {
            paneTitle("decision", above: r, into: &grid, style: titleStyle)
            DecisionView.draw(d, into: &grid, in: padded(r))
        }
        if let prompt = state.promptEditor {
            StatusLineView.drawEditor(prompt, into: &grid, in: layout.status)
        } else {
            // Judged once per command per frame (the footer asks several times).
            let keys = state.keyContext
            let refused = Set(UICommand.allCases.filter { !keys.availability(of: $0).isAvailable })
            StatusLineView.draw(keyMap: keyMap, message: state.message ?? state.note, available: { !refused.contains($0) },
                                page: state.options.footerPage, into: &grid, in: layout.status)
        }
        if state.options.showHelp {
            HelpOverlay.draw(keyMap: keyMap, page: state.options.helpPage, into: &grid, in: grid.bounds)
        }
    }

    /// Writes a pane's title into the border row above it.
    static func paneTitle(_ title: String, above pane: Rect, into grid: inout CellGrid, style: CellStyle) {
        grid.edgeTitle(title, on: Rect(x: pane.x - 1, y: pane.y - 1, width: pane.width + 2, height: 1), style: style)
    }
}
