import Foundation
import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The verifier comparison (key `C`): the same drafted tree judged by
/// token-level and by the deciding verifier, where they part, and the running
/// mean accepted length of each as a chart.
@Suite struct ComparisonViewTests {
    /// One step on a two-level tree: " the" (0) and " a" (1) at depth 1, " fox" (2) under " the", " cat" (3) under " a".
    static func step(_ k: Int, _ comparison: VerifierComparison) -> [SessionEvent] {
        let path = comparison.path(comparison.verifier) ?? []
        return [
            .decoding(.stepStarted(step: k, prefixLength: 4, settings: "rsd-c 2-1")),
            .decoding(.levelDrafted(step: k, level: 1, nodes: [SessionScript.node(0, 10, parent: -1, depth: 1, q: 0.6),
                                                               SessionScript.node(1, 20, parent: -1, depth: 1, q: 0.3)],
                                    seconds: 0.004)),
            .decoding(.levelDrafted(step: k, level: 2, nodes: [SessionScript.node(2, 11, parent: 0, depth: 2, q: 0.5),
                                                               SessionScript.node(3, 24, parent: 1, depth: 2, q: 0.5)],
                                    seconds: 0.004)),
            .decoding(.stepFinished(StepSummary(step: k, treeSize: 4, treeDepth: 2, acceptedPath: path, emitted: [10, 11, 12],
                                                deepestTested: 2, draftSeconds: 0.01, verifySeconds: 0.03, otherSeconds: 0,
                                                comparison: comparison))),
        ]
    }

    static let traversalGoesOn = VerifierComparison(verifier: .traversal, tokenPath: [0], blockPath: nil, traversalPath: [0, 2])
    static let same = VerifierComparison(verifier: .traversal, tokenPath: [1, 3], blockPath: nil, traversalPath: [1, 3])

    static func model(_ comparisons: [VerifierComparison]) -> ScreenModel {
        var m = ScreenModel()
        m.apply(SessionScript.opening)
        for (k, c) in comparisons.enumerated() { m.apply(step(k, c)) }
        return m
    }

    @Test func recordsBothPathsTheirLengthsAndWhereTheyPart() throws {
        let c = Self.model([Self.traversalGoesOn]).state.comparison
        let last = try #require(c.last)
        #expect(last.step == 1)
        #expect(last.rows.map(\.verifier) == [.token, .traversal])
        #expect(last.rows.map(\.tokens) == [[" the"], [" the", " fox"]])
        #expect(last.rows.map(\.accepted) == [1, 2])
        #expect(last.deciding?.verifier == .traversal)
        #expect(last.partsAfter == 1, "they share one token, then token-level stops")
        #expect(c.verifier == .traversal)
    }

    @Test func runningMeansPerStepAndRestartAtASettingsChange() {
        var m = Self.model([Self.traversalGoesOn, Self.same])
        #expect(m.state.comparison.means.map(\.token) == [1, 1.5])
        #expect(m.state.comparison.means.map(\.traversal) == [2, 2])
        #expect(m.state.comparison.means.allSatisfy { $0.block == nil })
        #expect(m.state.comparison.last?.partsAfter == nil, "the same path")
        var changed = SessionScript.info
        changed.shape = "rsd-c 3-1"
        m.apply(.configured(changed))
        m.apply(Self.step(2, Self.same))
        #expect(m.state.comparison.means.map(\.token) == [1, 1.5, 2], "the means restart after the change")
        #expect(m.state.comparison.means.map(\.settingsChanged) == [false, false, true])
        #expect(m.state.comparison.totals.steps == 1)
    }

    @Test func drawsThePathsTheParsingPointAndTheChart() throws {
        let c = Self.model([Self.traversalGoesOn]).state.comparison
        let g = render(80, 9) { ComparisonView.draw(c, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "step 1 · same draft, same random draws")
        #expect(g.rows[1].hasPrefix("token       ✓ ␣the") && g.rows[1].hasSuffix("  1"), "\(g.rows[1])")
        #expect(g.rows[2].hasPrefix("traversal ★ ✓ ␣the ✓ ␣fox") && g.rows[2].hasSuffix("  2"), "\(g.rows[2])")
        // The mark points at the first token token-level did not accept.
        let fox = try #require(g.column(of: "✓ ␣fox", row: 2))
        #expect(g.column(of: "↑ parts after ␣the: token-level stops, traversal accepts ␣fox", row: 3) == fox)
        #expect(g.rows[4].hasPrefix("mean accepted/step  token 1.00 traversal 2.00  gain +1.00 (+100%)"), "\(g.rows[4])")
        // The chart: one point each, at the right edge; scale 2.5 (2 × 1.1 up to the next half) over 16 levels:
        // traversal (2.0) at level 13, the bottom dot of the top row; token (1.0) at level 6, the third row's third dot.
        #expect(g.rows[5].hasPrefix("2.5"))
        let x = 79
        #expect(g[x, 5].character == "\u{2880}" && g[x, 5].style == CellStyle(.accepted))
        #expect(g[x, 6].character == " " && g[x, 8].character == " ")
        #expect(g[x, 7].character == "\u{2820}" && g[x, 7].style == CellStyle(.draftBar))
    }

    @Test func tokenLevelDecidingSaysSoAndAnEmptyStateWaits() {
        let c = Self.model([VerifierComparison(verifier: .token, tokenPath: [0], blockPath: nil, traversalPath: [0, 2])]).state.comparison
        let g = render(80, 5) { ComparisonView.draw(c, into: &$0, in: $0.bounds) }
        #expect(g.rows[1].hasPrefix("token ★"))
        #expect(g.rows[3] == "token-level decides; the others on this tree: traversal 2")
        #expect(ComparisonView.title(c) == "same draft: token-level decides · C hides")
        let empty = render(60, 3) { ComparisonView.draw(ComparisonState(), into: &$0, in: $0.bounds) }
        #expect(empty.rows[0].hasPrefix("no comparison yet"))
    }

    @Test func keyCShowsThePanelBelowTheTextAndReplayedTracesCarryIt() throws {
        // Through the trace's JSON, as a replay reads it.
        let events = SessionScript.opening + Self.step(0, Self.traversalGoesOn)
        let decoded = try events.map { try JSONDecoder().decode(SessionEvent.self, from: JSONEncoder().encode($0)) }
        var m = ScreenModel()
        m.apply(decoded)
        var state = m.state
        _ = InputController().handle(.character("C"), state: &state)
        #expect(state.options.showComparison)
        var layout = ScreenLayout.compute(width: 200, height: 60)
        layout.addPanels(history: true, comparison: true)
        let panel = try #require(layout.comparison)
        #expect(panel.x == layout.text.x && panel.y > layout.text.maxY && panel.maxY < layout.history!.y)
        for (i, a) in layout.panes.enumerated() { for b in layout.panes[(i + 1)...] { #expect(!a.intersects(b)) } }
        var grid = CellGrid(width: 200, height: 60)
        state.options.showHistory = true
        Screen.draw(state, into: &grid)
        #expect(grid.rows[panel.y - 1].contains("same draft: token vs traversal"))
        #expect(grid.row(containing: "traversal ★ ✓ ␣the ✓ ␣fox") != nil)
        #expect(grid.row(containing: "history · last 1 step") != nil)
    }
}
