import SpecEngine
import SpecTUI
import Testing

/// The legend: `?` explains every colour, glyph and figure on one screen; `l`
/// shows one line of it under the tree; `Tab` pages the footer so every key
/// is reachable at any width.
@Suite struct LegendTests {
    static let glyphs = ["●", "○", "✓", "✗", "↻", "★", "·", "+11", "◀", "×1.84", "pred", "block eff.", "len", "q.45 p.62", "nodes", "before", "█▓░"]

    @Test func theLegendExplainsEveryGlyphAndFigureOnOneScreen() {
        var state = ScreenState.sample()
        state.options.showHelp = true
        state.options.helpPage = 1
        let g = render(80, 24) { Screen.draw(state, into: &$0) }
        let all = g.rows.joined(separator: "\n")
        #expect(all.contains("┌ legend "))
        for glyph in Self.glyphs { #expect(all.contains(glyph), "missing \(glyph)") }
        for e in LegendView.entries { #expect(all.contains(e.meaning), "cut: \(e.meaning)") }
        // Samples are drawn in their roles: the rejected glyph in the rejected colour.
        let y = g.row(containing: "rejected by the target")!
        let x = g.column(of: "✗", row: y)!
        #expect(g[x, y].style.foreground == .rejected)
        // Every node state's glyph and colour is explained.
        for s in NodeState.allCases {
            #expect(LegendView.entries.contains { $0.sample.contains { $0.text.contains(s.glyph) && $0.role == s.role } }, "\(s)")
        }
    }

    @Test func questionMarkShowsKeysThenTheLegendThenCloses() {
        let input = InputController()
        var state = ScreenState.sample()
        _ = input.handle(.character("?"), state: &state)
        #expect(state.options.showHelp && state.options.helpPage == 0)
        // On a large screen page 0 holds both.
        let big = render(200, 60) { Screen.draw(state, into: &$0) }
        #expect(big.row(containing: "keys · legend") != nil)
        #expect(big.row(containing: "pause / resume") != nil && big.row(containing: "rejected by the target") != nil)
        // On 80×24 page 0 is the keys, and says where the legend is.
        let small = render(80, 24) { Screen.draw(state, into: &$0) }
        #expect(small.row(containing: "? legend · Esc closes") != nil)
        _ = input.handle(.character("?"), state: &state)
        #expect(state.options.helpPage == 1)
        _ = input.handle(.character("?"), state: &state)
        #expect(!state.options.showHelp)
    }

    @Test func lTogglesALegendLineUnderTheTree() throws {
        let input = InputController()
        var state = ScreenState.sample()
        let before = render(200, 30) { Screen.draw(state, into: &$0) }
        #expect(before.row(containing: "● path ○ off ✓ kept") == nil)
        _ = input.handle(.character("l"), state: &state)
        let after = render(200, 30) { Screen.draw(state, into: &$0) }
        let layout = ScreenLayout.compute(width: 200, height: 30)
        let found = after.row(containing: "● path ○ off ✓ kept ✗ rejected ↻ resampled ★ bonus")
        try #require(found != nil, "no legend line")
        let y = found!
        #expect(y == layout.tree.maxY - 1, "the last row of the tree pane")
        #expect(after[after.column(of: "✗", row: y)!, y].style.foreground == .rejected)
        // On an 80-column screen the short form fits the tree pane whole.
        let narrow = render(80, 24) { Screen.draw(state, into: &$0) }
        #expect(narrow.row(containing: "●path ○off ✓ok ✗no ↻res ★bon ·wait") != nil, "\(narrow.rows.joined(separator: "\n"))")
        _ = input.handle(.character("l"), state: &state)
        #expect(render(200, 30) { Screen.draw(state, into: &$0) }.row(containing: "● path") == nil)
    }

    @Test func tabPagesTheFooterThroughEveryKey() {
        let map = KeyMap.standard
        for width in [40, 56, 76, 120] {
            let pages = map.statusPages(fitting: width)
            let shown = Set(pages.flatMap { $0 }.map(\.word))
            #expect(shown.isSuperset(of: Set(map.statusItems.map(\.word))), "width \(width)")
            for p in pages {
                let text = p.map { "\($0.keys) \($0.word)" }.joined(separator: " · ")
                #expect(DisplayWidth.of(text) <= width, "\(text)")
            }
        }
        #expect(map.statusPages(fitting: 400).count == 1)
        // Tab moves the footer on; the drawn footer changes.
        let input = InputController()
        var state = ScreenState.sample()
        let first = render(80, 24) { Screen.draw(state, into: &$0) }.text(row: 23)
        _ = input.handle(.tab, state: &state)
        let second = render(80, 24) { Screen.draw(state, into: &$0) }.text(row: 23)
        #expect(first != second)
        #expect(second.contains("Tab more"))
    }
}
