import Testing
import SpecTUI

@Suite struct LayoutTests {
    /// Every size from 1×1 to 250×80, with and without banner and decision
    /// panel: panes inside the screen, not overlapping each other, the header,
    /// the status line, the banner or any border line.
    @Test func panesNeverOverlapAndStayInBounds() {
        var checked = 0
        for width in 1...250 {
            for height in 1...80 {
                for (banner, decision) in [(false, false), (true, true)] {
                    let l = ScreenLayout.compute(width: width, height: height, hasBanner: banner, hasDecision: decision)
                    let screen = Rect(x: 0, y: 0, width: width, height: height)
                    if width < ScreenLayout.minimumWidth || height < ScreenLayout.minimumHeight {
                        #expect(l.isTooSmall && l.panes.isEmpty)
                        continue
                    }
                    #expect(!l.isTooSmall)
                    var areas = l.panes + [l.header, l.status]
                    if let b = l.banner { areas.append(b) }
                    for a in areas {
                        #expect(screen.contains(a), "\(width)×\(height): \(a) outside")
                    }
                    for i in areas.indices {
                        for j in areas.indices where j > i {
                            if areas[i].intersects(areas[j]) {
                                Issue.record("\(width)×\(height): \(areas[i]) overlaps \(areas[j])")
                            }
                        }
                    }
                    for line in l.lines {
                        let r = line.vertical
                            ? Rect(x: line.at, y: line.from, width: 1, height: line.to - line.from + 1)
                            : Rect(x: line.from, y: line.at, width: line.to - line.from + 1, height: 1)
                        #expect(screen.contains(r))
                        for p in l.panes where p.intersects(r) {
                            Issue.record("\(width)×\(height): border \(r) crosses pane \(p)")
                        }
                    }
                    // Panes sit inside the outer border.
                    for p in l.panes {
                        #expect(p.x >= 1 && p.maxX <= width - 1 && p.y >= 1 && p.maxY <= height - 1)
                    }
                    #expect(l.tree.height >= 4 && l.text.height >= 4)
                    #expect(decision == (l.decision != nil))
                    #expect((l.latency != nil) == (height >= ScreenLayout.bottomPanesMinimumHeight))
                    checked += 1
                }
            }
        }
        #expect(checked > 20_000)
    }

    @Test func shortScreensDropTheBottomPanes() {
        let short = ScreenLayout.compute(width: 80, height: 20)
        #expect(short.latency == nil && short.acceptance == nil)
        let tall = ScreenLayout.compute(width: 80, height: 30)
        #expect(tall.latency != nil && tall.acceptance != nil)
        let decision = ScreenLayout.compute(width: 80, height: 30, hasDecision: true)
        #expect(decision.acceptance == nil && decision.decision == tall.acceptance)
        let shortDecision = ScreenLayout.compute(width: 80, height: 20, hasDecision: true)
        #expect(shortDecision.decision!.height == 5)
        #expect(shortDecision.text.maxY < shortDecision.decision!.y)
    }

    /// Whole screens drawn at many sizes: nothing escapes the grid, the
    /// frame is closed, and the header and key line are present.
    @Test func wholeScreensDrawAtManySizes() {
        var state = ScreenState.sample()
        for (i, (w, h)) in [(60, 16), (61, 17), (80, 24), (100, 30), (120, 40), (200, 60), (250, 80), (63, 23), (64, 24)].enumerated() {
            state.error = i % 2 == 0 ? nil : "decoder error"
            state.decision = i % 3 == 0 ? nil : DecisionState(node: 1, token: " a", depth: 1, p: 0.3, q: 0.4)
            var grid = CellGrid(width: w, height: h)
            Screen.draw(state, into: &grid)
            let rows = grid.rows
            #expect(rows[0].hasPrefix("┌ spectree"), "\(w)×\(h)")
            #expect(rows[0].hasSuffix("┐") && rows[h - 1].hasSuffix("┘"), "\(w)×\(h)")
            #expect(rows[h - 1].hasPrefix("└ space pause"), "\(w)×\(h)")
            #expect(rows.allSatisfy { DisplayWidth.of($0) <= w })
            for y in 1..<(h - 1) {
                #expect(grid[0, y].character == "│" || grid[0, y].character == "├", "\(w)×\(h) row \(y)")
                #expect(grid[w - 1, y].character == "│" || grid[w - 1, y].character == "┤", "\(w)×\(h) row \(y)")
            }
            #expect(rows.contains { $0.contains("tree (step 41)") })
            if state.error != nil { #expect(rows[1].contains("✗ decoder error")) }
        }
    }

    @Test func helpOverlayDrawsOverTheScreen() {
        var state = ScreenState.sample()
        func apply(_ c: UICommand) -> Bool { state.apply(c) }
        #expect(apply(.help))
        let g = render(80, 24) { Screen.draw(state, into: &$0) }
        #expect(g.rows.contains { $0.contains("┌ keys") })
        #expect(apply(.dismiss))
        #expect(!state.options.showHelp)
        state.error = "boom"
        #expect(apply(.dismiss))
        #expect(state.error == nil)
        #expect(!apply(.quit))
        #expect(apply(.toggleStepBoundaries) && state.options.showStepBoundaries)
        #expect(apply(.scrollUp) && state.options.treeScroll == -1)
        #expect(apply(.scrollFollow) && state.options.treeScroll == 0)
    }
}
