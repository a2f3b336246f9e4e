/// The whole screen: lays out the panes for the grid's size and draws every
/// view of a `ScreenState` into the grid. A pure function of the state and
/// the grid's size, so a frame is tested without a terminal.
public enum Screen {
    /// Draws `state` into `grid` (whose size is the screen's), replacing its content.
    /// Reuse the same grid every frame: drawing then allocates only a few small arrays.
    /// - Complexity: O(area + tree nodes + visible text).
    public static func draw(_ state: ScreenState, keyMap: KeyMap = .standard, into grid: inout CellGrid) {
        let layout = Self.layout(for: state, width: grid.width, height: grid.height)
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
        // A node pinned by a click is marked like the node under test while its tree is shown.
        var tree = state.tree
        if let s = state.selection, s.node < tree.nodes.count, tree.nodes[s.node].decision == s { tree.nodeUnderTest = s.node }
        TreeView.draw(tree, scroll: state.options.treeScroll, emptyNote: emptyTree, expanded: state.options.groups(for: state.tree),
                      expandAll: state.options.expandAllTree, into: &grid, in: treeRect)
        TextView.draw(state.text, showStepBoundaries: state.options.showStepBoundaries, scrollBack: state.options.textScroll,
                      into: &grid, in: padded(layout.text))
        let titleStyle = CellStyle(.title, on: .mainBg, .bold)
        if let r = layout.latency {
            paneTitle("latency (ms)", above: r, into: &grid, style: titleStyle)
            LatencyView.draw(state.latency, into: &grid, in: padded(r))
        }
        if let r = layout.acceptance {
            paneTitle("acceptance", above: r, into: &grid, style: titleStyle)
            AcceptanceView.draw(state.acceptance, into: &grid, in: padded(r))
        }
        if let r = layout.decision, let d = state.selection ?? state.decision {
            paneTitle("decision", above: r, into: &grid, style: titleStyle)
            DecisionPanel.draw(d, showDistributions: state.options.showDistributions, into: &grid, in: padded(r))
        }
        if let r = layout.history {
            paneTitle(HistoryView.title(state.history), above: r, into: &grid, style: titleStyle)
            HistoryView.draw(state.history, into: &grid, in: padded(r))
        }
        if let r = layout.comparison {
            paneTitle(ComparisonView.title(state.comparison), above: r, into: &grid, style: titleStyle)
            ComparisonView.draw(state.comparison, into: &grid, in: padded(r))
        }
        if let prompt = state.promptEditor {
            PromptEditorView.draw(prompt, cursor: state.promptCursor, into: &grid, in: layout.status)
        } else if let seek = state.seekEditor {
            ReplayPlayer.drawSeekEditor(seek, steps: state.replay?.steps ?? 0, into: &grid, in: layout.status)
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

    /// The panes for `state` on a `width` × `height` screen (what `draw` uses, and mouse clicks are mapped through).
    public static func layout(for state: ScreenState, width: Int, height: Int) -> ScreenLayout {
        var layout = ScreenLayout.compute(width: width, height: height, hasBanner: state.error != nil || state.tune != nil,
                                          hasDecision: state.decision != nil || state.selection != nil)
        layout.addPanels(history: state.options.showHistory, comparison: state.options.showComparison)
        return layout
    }

    /// A pane's drawing area: a blank column kept on each side, off the borders.
    public static func padded(_ r: Rect) -> Rect { r.width > 2 ? r.insetBy(dx: 1, dy: 0) : r }

    /// Writes a pane's title into the border row above it.
    static func paneTitle(_ title: String, above pane: Rect, into grid: inout CellGrid, style: CellStyle) {
        grid.edgeTitle(title, on: Rect(x: pane.x - 1, y: pane.y - 1, width: pane.width + 2, height: 1), style: style)
    }
}
