import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The history graphs (key `g`): the bounded ring, the braille cells each
/// value lands in, markers at settings changes, and the band in the screen.
@Suite struct HistoryViewTests {
    static func sample(_ step: Int, emitted: Int = 3, seconds: Double = 0.1, baseline: Double? = nil, accepted: Int = 2,
                       tested: Int = 3, depth: Int = 3, changed: Bool = false) -> HistorySample {
        HistorySample(step: step, emitted: emitted, seconds: seconds, baselineTokensPerSecond: baseline, acceptedLength: accepted,
                      deepestTested: tested, treeDepth: depth, settingsChanged: changed)
    }

    @Test func ringKeepsTheNewestValuesUpToItsCapacity() {
        var h = HistoryState(capacity: 300)
        for k in 1...350 { h.append(Self.sample(k)) }
        #expect(h.samples.count == 300)
        #expect(h.samples.first?.step == 51 && h.samples.last?.step == 350)
        #expect(h.samples.map(\.step) == Array(51...350))
        #expect(h.stepsRecorded == 350)
        // Equal contents are equal rings, whatever the storage's rotation.
        var a = HistoryRing<Int>(capacity: 3), b = HistoryRing<Int>(capacity: 3)
        for v in [1, 2, 3, 4] { a.append(v) }
        for v in [2, 3, 4] { b.append(v) }
        #expect(a == b && Array(a) == [2, 3, 4])
        b.append(5)
        #expect(a != b)
    }

    @Test func bucketsGroupTheNewestValuesEvenly() {
        #expect(BrailleGraph.buckets(count: 10, points: 4) == [0..<1, 1..<4, 4..<7, 7..<10])
        #expect(BrailleGraph.buckets(count: 3, points: 8) == [0..<1, 1..<2, 2..<3])
        #expect(BrailleGraph.buckets(count: 0, points: 8).isEmpty)
    }

    @Test func brailleAreaPutsEachValueInItsDots() {
        // Two cells, two rows: eight levels. Points 1.0 and 0.5 in the first cell, 0.25 and none in the second.
        let g = render(2, 2) { BrailleGraph.area([1.0, 0.5, 0.25, nil], into: &$0, in: $0.bounds) { _ in CellStyle(.accepted) } }
        #expect(g[0, 0].character == "\u{2847}")  // left column full, right column empty in the top cell
        #expect(g[0, 1].character == "\u{28FF}")  // both full in the bottom cell
        #expect(g[1, 0].character == " ")
        #expect(g[1, 1].character == "\u{2844}")  // the two bottom dots of the left column
        #expect(g[0, 1].style == CellStyle(.accepted))
        // Right-aligned: one point lands in the right column of the last cell.
        let r = render(3, 1) { BrailleGraph.area([1.0], into: &$0, in: $0.bounds) { _ in .normal } }
        #expect(r.rows[0] == "  \u{28B8}")
    }

    @Test func baselineLineAndMarkersShow() {
        // A level-4 line in a 2-row graph is the top dot row of the bottom cell.
        let g = render(2, 2) { BrailleGraph.area([nil, nil, 0.25, 0.25], line: 0.5, markers: [false, false, false, true],
                                                 into: &$0, in: $0.bounds) { _ in CellStyle(.accepted) } }
        #expect(g[0, 1].character == "\u{2809}" && g[0, 1].style == CellStyle(.dim))
        #expect(g[1, 1].character == Character(Unicode.Scalar(0x2800 + 0x09 + 0x44 + 0xA0)!))
        #expect(g[1, 1].style == CellStyle(.bonus), "the marked column")
        #expect(g[1, 0].character == BrailleGraph.markerGlyph && g[0, 0].character == " ")
    }

    @Test func tokensPerSecondAgainstThePlainBaseline() {
        var h = HistoryState()
        // 30 tok/s for two steps, then 10 tok/s for two, plain at 20.
        for k in 1...2 { h.append(Self.sample(k, emitted: 3, seconds: 0.1, baseline: 20)) }
        for k in 3...4 { h.append(Self.sample(k, emitted: 1, seconds: 0.1, baseline: 20)) }
        let g = render(30, 3) { HistoryView.tokensPerSecond(h, into: &$0, in: $0.bounds) }
        #expect(g.rows[0].hasPrefix("tok/s 20.0 · plain 20.0"), "\(g.rows[0])")
        // Scale: max(30, 20 × 1.25) = 30; 8 levels. Faster steps fill the height, slower ones a third of it.
        #expect(g[28, 1].style == CellStyle(.accepted) && g[28, 1].character == "\u{28FF}")
        #expect(g[28, 2].character == "\u{28FF}")
        #expect(g[29, 2].style == CellStyle(.rejected) && g[29, 2].character == "\u{28F6}", "10/30 of 8 levels: 3 dots")
        // The baseline at 20/30 of 8 levels = level 5: the bottom dot row of the top cell, across the width.
        #expect(g[0, 1].character == "\u{28C0}" && g[0, 1].style == CellStyle(.dim))
    }

    @Test func acceptanceByDepthRates() {
        var h = HistoryState()
        // Depth 1 accepted in every step; depth 2 reached in every step, accepted in half; depth 3 never reached.
        for k in 1...8 { h.append(Self.sample(k, accepted: k % 2 == 0 ? 2 : 1, tested: 2, depth: 3)) }
        let g = render(20, 4) { HistoryView.acceptanceByDepth(h, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "acceptance by depth…", "cut to the width")
        #expect(g.rows[1].hasPrefix("d1") && g.rows[1].hasSuffix("█  1.0"), "\(g.rows[1])")
        // The last cell's window holds all 8 steps: 4 of 8 accepted at depth 2.
        #expect(g.rows[2].hasSuffix("▄  .50"), "\(g.rows[2])")
        #expect(g.rows[3] == "d3" + String(repeating: " ", count: 17) + "–", "\(g.rows[3])")
    }

    @Test func acceptedLengthAndAMarkerAtASettingsChange() {
        var model = ScreenModel()
        model.apply(SessionScript.opening)
        model.apply(SessionScript.chainWithBonus)
        var changed = SessionScript.info
        changed.shape = "chain L=4"
        model.apply(.configured(changed))
        model.apply(SessionScript.chainWithBonus)
        let h = model.state.history
        #expect(h.samples.map(\.settingsChanged) == [false, true])
        #expect(h.samples.map(\.acceptedLength) == [2, 2])
        #expect(h.samples.last?.emitted == 3)
        let g = render(8, 3) { HistoryView.acceptedLength(h, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "accepte…", "cut to the width")
        // Two points in the last cell, both full (2 of 2); the newer one is marked.
        #expect(g[7, 1].character == "\u{28FF}" && g[7, 1].style == CellStyle(.bonus))
        #expect(g[6, 1].character == " ")
    }

    @Test func gShowsTheBandBetweenTheTopAndBottomPanes() {
        var state = ScreenState.sample()
        for k in 1...120 { state.history.append(Self.sample(k, baseline: 20, changed: k == 60)) }
        let input = InputController()
        _ = input.handle(.character("g"), state: &state)
        #expect(state.options.showHistory)
        var layout = ScreenLayout.compute(width: 200, height: 60)
        layout.addPanels(history: true, comparison: false)
        let band = try! #require(layout.history)
        #expect(band.width == 198 && band.height == 12 && band.maxY < layout.latency!.y)
        for (i, a) in layout.panes.enumerated() { for b in layout.panes[(i + 1)...] { #expect(!a.intersects(b)) } }
        var grid = CellGrid(width: 200, height: 60)
        Screen.draw(state, into: &grid)
        #expect(grid.rows[band.y - 1].contains("history · last 120 steps"))
        #expect(grid.rows[band.y].contains("tok/s") && grid.rows[band.y].contains("acceptance by depth"))
        #expect(grid[73, band.y - 1].character == "┴" && grid[73, band.maxY].character == "┬", "the column divider stops at the band")
        _ = input.handle(.character("g"), state: &state)
        Screen.draw(state, into: &grid)
        #expect(grid.row(containing: "history · last") == nil)
    }
}
