import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The distributions at a decision, on the cell grid: top of p and q on one
/// absolute scale, the drafted token marked, the residual after a rejection,
/// RSD's renormalised q, the final draw, the argmax at temperature 0.
@Suite("Distribution view")
struct DistributionViewTests {
    static let names: [TokenID: String] = [0: " the", 1: " fox", 2: " cat", 3: "\n", 4: " dog"]
    static func text(_ id: TokenID) -> String { names[id] ?? "<\(id)>" }

    /// A rejected first sibling (` fox`) under recursive rejection sampling.
    static func rejection(round: Int = 0) -> VerificationDecision {
        VerificationDecision(
            node: 0, token: 1, round: round, targetProbability: 0.10, draftProbability: 0.50,
            acceptanceProbability: 0.2, uniform: 0.7, accepted: false, residualMass: 0.4,
            distributions: DecisionDistributions(
                target: TopEntries(tokens: [0, 2, 1], probabilities: [0.50, 0.40, 0.10]),
                draft: TopEntries(tokens: [1, 0], probabilities: [0.50, 0.50]),
                residual: TopEntries(tokens: [2], probabilities: [1.0]),
                updatedDraft: TopEntries(tokens: [0], probabilities: [1.0]),
                draftRenormalised: round > 0))
    }

    @Test func topOfPAndQShareOneAbsoluteScale() throws {
        let d = try #require(DistributionState.decision(Self.rejection(), text: Self.text))
        #expect(d.columns.map(\.title) == ["p target", "q draft", "residual", "q′ next"])
        // Rows by their largest value: residual " cat" 1.0 and q′ " the" 1.0 first, then " fox" .50.
        #expect(d.rows.map(\.token) == [" the", " cat", " fox"])
        #expect(d.rows.filter(\.isMarked).map(\.token) == [" fox"])
        let grid = render(80, 8) { DistributionView.draw(d, into: &$0, in: Rect(x: 0, y: 0, width: 80, height: 8)) }
        let fox = try #require(grid.row(containing: "▶ ␣fox"))
        let the = try #require(grid.row(containing: "␣the"))
        #expect(grid.rows[fox].contains(".10") && grid.rows[fox].contains(".50"))
        // One scale: p(the) = .50 fills half the bar that p = 1 would fill; q(fox) = .50 as long as p(the).
        let pColumn = try #require(grid.column(of: "p target", row: 0))
        let qColumn = try #require(grid.column(of: "q draft", row: 0))
        func barCells(_ row: Int, from x: Int, to end: Int) -> Int {
            (x..<end).filter { "█▉▊▋▌▍▎▏".contains(grid[$0, row].character) }.count
        }
        let pThe = barCells(the, from: pColumn, to: qColumn)
        let qFox = barCells(fox, from: qColumn, to: qColumn + (qColumn - pColumn))
        let pFox = barCells(fox, from: pColumn, to: qColumn)
        #expect(pThe > 0 && qFox == pThe)
        #expect(pFox < pThe / 2)
        // The marked row is on the highlight background.
        #expect(grid[0, fox].style.background == .highlight)
        #expect(grid.row(containing: "residual = norm(max(0, p − q))") != nil)
    }

    @Test func laterRoundsSayQIsRenormalised() throws {
        let d = try #require(DistributionState.decision(Self.rejection(round: 1), text: Self.text))
        #expect(d.columns[1].title == "q renorm.")
        #expect(d.notes.contains { $0.contains("renormalised without earlier siblings") })
        let grid = render(90, 10) { DistributionView.draw(d, into: &$0, in: Rect(x: 0, y: 0, width: 90, height: 10)) }
        #expect(grid.row(containing: "renormalised") != nil)
    }

    @Test func greedyNamesTheTargetArgmax() throws {
        let d = VerificationDecision(node: 0, token: 1, round: 0, targetProbability: 0, draftProbability: 0.6,
                                     acceptanceProbability: 0, uniform: nil, accepted: false, residualMass: nil,
                                     distributions: DecisionDistributions(target: .pointMass(4)))
        let state = try #require(DistributionState.decision(d, text: Self.text))
        #expect(state.notes.contains("T=0: target argmax ␣dog"))
        let grid = render(60, 6) { DistributionView.draw(state, into: &$0, in: Rect(x: 0, y: 0, width: 60, height: 6)) }
        #expect(grid.row(containing: "␣dog") != nil && grid.row(containing: "argmax") != nil)
    }

    @Test func theFinalDrawIsADecisionOfItsOwn() throws {
        var model = ScreenModel()
        model.apply([.mode(.decision), .tokenText(id: 1, text: " fox"), .tokenText(id: 2, text: " cat"),
                     .decoding(.stepStarted(step: 0, prefixLength: 3, settings: "")),
                     .decoding(.levelDrafted(step: 0, level: 1, nodes: [DraftNodeRecord(index: 0, token: 1, parent: -1, depth: 1, draftProbability: 0.5)], seconds: 0)),
                     .decoding(.decision(step: 0, Self.rejection()))])
        #expect(model.state.decision?.distributions?.rows.count == 3)
        model.apply(.decoding(.finalDraw(step: 0, FinalDraw(parent: -1, token: 2, kind: .resampled, source: .residual,
                                                            distribution: TopEntries(tokens: [2], probabilities: [1])))))
        let shown = try #require(model.state.decision)
        #expect(shown.draw == .residual && shown.token == " cat")
        #expect(model.state.tree.nodes.last?.state == .resampled)
        let grid = render(160, 48) { Screen.draw(model.state, into: &$0) }
        #expect(grid.row(containing: "↻ resampled") != nil)
        #expect(grid.row(containing: "drawn from the residual") != nil)
        #expect(grid.row(containing: "▶ ␣cat") != nil)
        // The emitted token adds no second node.
        model.apply(.decoding(.tokenEmitted(step: 0, token: 2, kind: .resampled)))
        #expect(model.state.tree.nodes.count == 2)
        #expect(model.state.tree.nodes[1].decision?.draw == .residual)
        #expect(model.state.tree.nodes[0].decision?.verdict == .rejected)
    }

    @Test func keyDHidesTheDistributions() throws {
        var state = ScreenState()
        state.decision = DecisionState(node: 0, token: " fox", depth: 1, p: 0.1, q: 0.5, u: 0.7, verdict: .rejected)
        state.decision?.distributions = DistributionState.decision(Self.rejection(), text: Self.text)
        let before = render(160, 48) { Screen.draw(state, into: &$0) }
        #expect(before.row(containing: "p target") != nil)
        _ = InputController().handle(.character("D"), state: &state)
        let after = render(160, 48) { Screen.draw(state, into: &$0) }
        #expect(after.row(containing: "p target") == nil)
        #expect(after.row(containing: "✗ rejected") != nil)
    }
}
