import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// A dynamic tree's cut branches: the tree pane draws them dimmed with the
/// path probability the rerank cut them at (`✂ 0.031`) and the count cut
/// below them; the screen model places them under their kept parents.
@Suite struct CutBranchViewTests {
    @Test func aCutBranchShowsItsPathProbabilityDimmed() {
        var t = TreeState(step: 2)
        let a = t.add(" return", q: 0.9, p: 0.95, state: .accepted, onAcceptedPath: true)
        t.add(" x", parent: a, q: 0.8, p: 0.7, state: .accepted, onAcceptedPath: true)
        let c = t.add(" y", parent: a, q: 0.04, state: .cut)
        t.nodes[c].pathProbability = 0.0311
        t.nodes[c].cutBelow = 2
        let g = render(40, 4) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "tree (step 2)",
            "● ␣return q.90 p.95 ✓",
            "├─● ␣x    q.80 p.70 ✓",
            "└─○ ␣y    q.04 ✂ 0.031 +2",
        ])
        let x = g.column(of: "✂", row: 3)!
        #expect(g[x, 3].style.foreground == .dim)
        #expect(g[g.column(of: "y", row: 3)!, 3].style.foreground == .dim)
        #expect(g[2, 3].character == "○" && g[2, 3].style.foreground == .dim)
    }

    @Test func tinyPathProbabilitiesKeepTheirMagnitude() {
        #expect(TreeView.cutProbability(0.031) == "0.031")
        #expect(TreeView.cutProbability(0.00004) == "4e-05")
    }

    @Test func theScreenModelHangsCutBranchesUnderTheirKeptParents() {
        var events: [SessionEvent] = [.configured(SessionScript.info), .prompt(text: "def f", tokenCount: 2), .mode(.paused)]
        events += [(10, "("), (11, ":"), (12, " x")].map { SessionEvent.tokenText(id: $0.0, text: $0.1) }
        events.append(.decoding(.stepStarted(step: 0, prefixLength: 2, settings: "dynamic B=1 k=2 D=2")))
        events.append(.decoding(.levelDrafted(step: 0, level: 1, nodes: [SessionScript.node(0, 10, parent: -1, depth: 1, q: 0.9)], seconds: 0.001)))
        events.append(.decoding(.branchesCut(step: 0, branches: [
            CutBranch(token: 11, parent: -1, depth: 1, draftProbability: 0.05, pathProbability: 0.05),
            CutBranch(token: 12, parent: 0, depth: 2, draftProbability: 0.6, pathProbability: 0.54, descendants: 1),
        ])))
        var model = ScreenModel()
        model.apply(events)
        let nodes = model.state.tree.nodes
        #expect(nodes.map(\.token) == ["(", ":", " x"])
        #expect(nodes.map(\.state) == [.pending, .cut, .cut])
        #expect(nodes[1].parent == nil && nodes[2].parent == 0)
        #expect(nodes[2].pathProbability == 0.54 && nodes[2].cutBelow == 1)
    }

    @Test func theLegendExplainsTheCutMark() {
        #expect(LegendView.entries.contains { $0.sample.contains { $0.text.contains("✂") } && $0.meaning.contains("path prob") })
    }
}
