import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// Lookup-assisted drafting's mark: a node whose token the lookup guessed
/// (no draft call of its own) carries a dim `≈` after its verdict, from the
/// event's `guessed` flag through the screen model to the tree pane.
@Suite struct GuessedNodeViewTests {
    @Test func aGuessedNodeShowsADimMark() {
        var t = TreeState(step: 3)
        let a = t.add(" return", q: 0.9, p: 0.95, state: .accepted, onAcceptedPath: true)
        let b = t.add(" a", parent: a, q: 0.8, p: 0.7, state: .accepted, onAcceptedPath: true)
        t.nodes[b].guessed = true
        let g = render(40, 3) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "tree (step 3)",
            "● ␣return q.90 p.95 ✓",
            "└─● ␣a    q.80 p.70 ✓ ≈",
        ])
        #expect(g[g.column(of: "≈", row: 2)!, 2].style.foreground == .dim)
        #expect(g.column(of: "≈", row: 1) == nil)
    }

    @Test func theScreenModelKeepsTheGuessedFlag() {
        var events: [SessionEvent] = [.configured(SessionScript.info), .prompt(text: "def f", tokenCount: 2), .mode(.paused)]
        events += [(10, "("), (11, "x")].map { SessionEvent.tokenText(id: $0.0, text: $0.1) }
        events.append(.decoding(.stepStarted(step: 0, prefixLength: 2, settings: "chain L=2")))
        var guessed = SessionScript.node(1, 11, parent: 0, depth: 2, q: 0.7)
        guessed.guessed = true
        events.append(.decoding(.levelDrafted(step: 0, level: 1, nodes: [SessionScript.node(0, 10, parent: -1, depth: 1, q: 0.9)], seconds: 0.01)))
        events.append(.decoding(.levelDrafted(step: 0, level: 2, nodes: [guessed], seconds: 0.0001)))
        var model = ScreenModel()
        model.apply(events)
        #expect(model.state.tree.nodes.map(\.guessed) == [false, true])
    }

    @Test func theLegendExplainsTheMark() {
        #expect(LegendView.entries.contains { $0.sample.contains { $0.text.contains("≈") } && $0.meaning.contains("lookup") })
    }
}
