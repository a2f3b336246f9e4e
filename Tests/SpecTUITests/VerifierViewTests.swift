import Foundation
import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// What the live screen shows of block and traversal verification: their
/// quantities in the decision panel, and the same tree judged by every
/// verifier side by side in the acceptance pane.
@Suite struct VerifierViewTests {
    @Test func decisionPanelShowsPathWeightAndAcceptance() {
        let d = DecisionState(node: 2, token: " fox", depth: 3, p: 0.31, q: 0.62, u: 0.4, verdict: .accepted,
                              residualMass: 0.27, acceptance: 0.8, pathWeight: 0.5)
        let g = render(44, 5) { DecisionView.draw(d, into: &$0, in: $0.bounds) }
        #expect(g.rows[3] == "u 0.400 < accept 0.80 · path w 0.50")
        #expect(g.rows[4] == "✓ accepted · residual weight 0.27")
    }

    @Test func sideBySideLineFromStepComparisons() {
        var m = ScreenModel()
        m.apply(SessionScript.opening)
        let comparison = VerifierComparison(verifier: .traversal, tokenPath: [0], blockPath: nil, traversalPath: [1, 3])
        m.apply([
            .decoding(.stepStarted(step: 0, prefixLength: 4, settings: "rsd-c")),
            .decoding(.levelDrafted(step: 0, level: 1, nodes: [SessionScript.node(0, 10, parent: -1, depth: 1, q: 0.6),
                                                               SessionScript.node(1, 11, parent: -1, depth: 1, q: 0.3)],
                                    seconds: 0.004)),
            .decoding(.levelDrafted(step: 0, level: 2, nodes: [SessionScript.node(2, 12, parent: 0, depth: 2, q: 0.5),
                                                               SessionScript.node(3, 13, parent: 1, depth: 2, q: 0.5)],
                                    seconds: 0.004)),
            .decoding(.stepFinished(StepSummary(step: 0, treeSize: 4, treeDepth: 2, acceptedPath: [1, 3], emitted: [11, 13, 14],
                                                deepestTested: 2, draftSeconds: 0.01, verifySeconds: 0.03, otherSeconds: 0,
                                                comparison: comparison))),
        ])
        let s = try? #require(m.state.acceptance.sideBySide)
        #expect(s?.line == "same tree: token 1 (1.00) · traversal 2 (2.00) · parts at d1")
        let g = render(70, 8) { AcceptanceView.draw(m.state.acceptance, into: &$0, in: $0.bounds) }
        #expect(g.row(containing: "same tree: token 1") != nil)
    }
}
