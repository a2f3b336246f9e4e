import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// Clicks and the wheel, mapped through the drawn layout; the text pane's
/// history and scrolling; the prompt editor's cursor.
@Suite("Mouse and scrolling")
struct MouseAndScrollTests {
    let input = InputController()

    /// A model after one step: node 0 (` fox`) rejected, then the resampled ` cat`.
    static func model() -> ScreenModel {
        var model = ScreenModel()
        model.apply([.mode(.running), .prompt(text: "Once", tokenCount: 1),
                     .tokenText(id: 1, text: " fox"), .tokenText(id: 2, text: " cat"), .tokenText(id: 0, text: " the"),
                     .decoding(.stepStarted(step: 0, prefixLength: 1, settings: "")),
                     .decoding(.levelDrafted(step: 0, level: 1, nodes: [DraftNodeRecord(index: 0, token: 1, parent: -1, depth: 1, draftProbability: 0.5)], seconds: 0)),
                     .decoding(.decision(step: 0, DistributionViewTests.rejection())),
                     .decoding(.finalDraw(step: 0, FinalDraw(parent: -1, token: 2, kind: .resampled, source: .residual,
                                                             distribution: TopEntries(tokens: [2], probabilities: [1])))),
                     .decoding(.tokenEmitted(step: 0, token: 2, kind: .resampled)),
                     .decoding(.stepFinished(StepSummary(step: 0, treeSize: 1, treeDepth: 1, acceptedPath: [], emitted: [2],
                                                         deepestTested: 1, draftSeconds: 0, verifySeconds: 0, otherSeconds: 0)))])
        return model
    }

    /// The screen row of the first tree line containing `text`, and a column inside it.
    static func cell(of text: String, in grid: CellGrid) -> (x: Int, y: Int)? {
        guard let y = grid.row(containing: text), let x = grid.column(of: text, row: y) else { return nil }
        return (x, y)
    }

    @Test func clickingANodeShowsItsDecisionAndDistributions() throws {
        var state = Self.model().state
        #expect(state.decision == nil, "running: no decision pane until a click")
        let before = render(160, 48) { Screen.draw(state, into: &$0) }
        #expect(before.row(containing: "p target") == nil)
        guard let fox = Self.cell(of: "␣fox", in: before) else { Issue.record("no fox row"); return }
        #expect(input.handle(MouseEvent(.press, x: fox.x, y: fox.y), state: &state, width: 160, height: 48).isEmpty)
        #expect(state.selection?.token == " fox" && state.selection?.verdict == .rejected)
        let after = render(160, 48) { Screen.draw(state, into: &$0) }
        #expect(after.row(containing: "node ␣fox") != nil)
        #expect(after.row(containing: "p target") != nil)
        #expect(after.row(containing: "✗ rejected") != nil)
        #expect(after.rows[fox.y].contains("✗ ◀"), "the clicked node is marked")
        // The resampled node shows its draw.
        guard let cat = Self.cell(of: "␣cat", in: after) else { Issue.record("no cat row"); return }
        _ = input.handle(MouseEvent(.press, x: cat.x, y: cat.y), state: &state, width: 160, height: 48)
        #expect(state.selection?.draw == .residual)
        // Esc unpins it; a click on an empty row of the tree too.
        _ = input.handle(.escape, state: &state)
        #expect(state.selection == nil)
        _ = input.handle(MouseEvent(.press, x: cat.x, y: cat.y), state: &state, width: 160, height: 48)
        _ = input.handle(MouseEvent(.press, x: cat.x, y: 30), state: &state, width: 160, height: 48)
        #expect(state.selection == nil)
        // A click outside the tree does nothing.
        _ = input.handle(MouseEvent(.press, x: 120, y: 5), state: &state, width: 160, height: 48)
        #expect(state.selection == nil)
    }

    @Test func clickingAFoldedGroupOpensIt() {
        var state = ScreenState()
        state.tree = TreeExpansionTests.tree()
        for k in 0..<6 { state.tree.add(" w\(k)", parent: 0, q: 0.01, p: 0.01, state: .rejected) }
        // 17 nodes in a 12-line pane: x0's group opens by itself (room), x1's and x2's stay folded.
        let folded = render(60, 16) { Screen.draw(state, into: &$0) }
        #expect(folded.row(containing: "␣y0") != nil && folded.row(containing: "␣y1") == nil)
        guard let x1 = Self.cell(of: "␣x1", in: folded) else { Issue.record("no x1 row"); return }
        #expect(folded.rows[x1.y].contains("✗ +2"))
        _ = input.handle(MouseEvent(.press, x: x1.x, y: x1.y), state: &state, width: 60, height: 16)
        #expect(state.options.groups(for: state.tree) == [5])
        #expect(state.message == "node ␣x1: not verified yet")
        let opened = render(60, 16) { Screen.draw(state, into: &$0) }
        #expect(opened.row(containing: "␣y1") != nil && opened.row(containing: "␣z1") != nil)
        // A second click folds it again.
        guard let again = Self.cell(of: "␣x1", in: opened) else { Issue.record("no x1 row"); return }
        _ = input.handle(MouseEvent(.press, x: again.x, y: again.y), state: &state, width: 60, height: 16)
        #expect(state.options.groups(for: state.tree).isEmpty)
        // Opened groups belong to their step.
        state.options.toggleGroup(5, of: state.tree)
        state.tree.step += 1
        #expect(state.options.groups(for: state.tree).isEmpty)
    }

    @Test func theWheelScrollsThePaneUnderThePointer() throws {
        var state = ScreenState.sample(nodes: 64, textTokens: 3000)
        let grid = render(160, 48) { Screen.draw(state, into: &$0) }
        let layout = Screen.layout(for: state, width: 160, height: 48)
        _ = input.handle(MouseEvent(.wheelUp, x: layout.tree.x + 3, y: layout.tree.y + 3), state: &state, width: 160, height: 48)
        #expect(state.options.treeScroll == -InputController.wheelLines && state.options.textScroll == 0)
        _ = input.handle(MouseEvent(.wheelUp, x: layout.text.x + 3, y: layout.text.y + 3), state: &state, width: 160, height: 48)
        _ = input.handle(MouseEvent(.wheelUp, x: layout.text.x + 3, y: layout.text.y + 3), state: &state, width: 160, height: 48)
        #expect(state.options.textScroll == 2 * InputController.wheelLines)
        let scrolled = render(160, 48) { Screen.draw(state, into: &$0) }
        #expect(scrolled.rows != grid.rows)
        #expect(scrolled.row(containing: "▼6 newer · End follows") != nil, "\(scrolled.rows.prefix(3))")
        _ = input.handle(MouseEvent(.wheelDown, x: layout.text.x + 3, y: layout.text.y + 3), state: &state, width: 160, height: 48)
        #expect(state.options.textScroll == InputController.wheelLines)
        // End follows the newest text again.
        _ = input.handle(.end, state: &state)
        #expect(state.options.textScroll == 0 && state.options.treeScroll == 0)
    }

    @Test func theTextPaneKeepsTheWholeHistory() {
        var text = TextState()
        text.append("line 0 of the prompt\n", .prompt, step: 0)
        for i in 1...2000 { text.append((i > 1 ? "\n" : "") + "line \(i)", .draftAccepted, step: i) }
        #expect(text.tokens.count == 2001)
        let rect = Rect(x: 0, y: 0, width: 30, height: 11)
        let end = render(30, 11) { TextView.draw(text, showStepBoundaries: false, into: &$0, in: rect) }
        #expect(end.rows[10] == "line 2000", "\(end.rows)")
        // Scrolled all the way back: the prompt's first line is there.
        let top = render(30, 11) { TextView.draw(text, showStepBoundaries: false, scrollBack: 5000, into: &$0, in: rect) }
        #expect(top.rows[1] == "line 0 of the prompt", "\(top.rows)")
        #expect(top.rows[2] == "line 1")
        // Halfway: exactly `scrollBack` lines before the end.
        let mid = render(30, 11) { TextView.draw(text, showStepBoundaries: false, scrollBack: 1000, into: &$0, in: rect) }
        let last = mid.rows.last { $0.hasPrefix("line ") }
        let endLast = end.rows.last { $0.hasPrefix("line ") }
        let n = { (s: String?) in Int(s!.split(separator: " ")[1])! }
        #expect(n(endLast) - n(last) == 1000, "\(mid.rows)")
    }

    @Test func thePromptEditorMovesItsCursor() {
        var s = ScreenState()
        _ = input.handle(.character("i"), state: &s)
        for c in "Tell foxes" { _ = input.handle(.character(c), state: &s) }
        for _ in 0..<5 { _ = input.handle(.left, state: &s) }
        #expect(s.promptCursor == 5)
        for c in "me about " { _ = input.handle(.character(c), state: &s) }
        #expect(s.promptEditor == "Tell me about foxes")
        _ = input.handle(.home, state: &s)
        _ = input.handle(.delete, state: &s)
        #expect(s.promptEditor == "ell me about foxes" && s.promptCursor == 0)
        _ = input.handle(.character("T"), state: &s)
        _ = input.handle(.right, state: &s)
        _ = input.handle(.backspace, state: &s)
        #expect(s.promptEditor == "Tll me about foxes" && s.promptCursor == 1)
        _ = input.handle(.character("e"), state: &s)
        let g = render(80, 20) { Screen.draw(s, into: &$0) }
        #expect(g.text(row: 19).contains("prompt: Te▏ll me about foxes"), "\(g.text(row: 19))")
        _ = input.handle(.end, state: &s)
        #expect(s.promptCursor == nil)
        _ = input.handle(.right, state: &s)
        #expect(s.promptCursor == nil)
        #expect(input.handle(.enter, state: &s) == [.send(.newPrompt("Tell me about foxes"))])
        #expect(s.promptEditor == nil && s.promptCursor == nil)
    }

    @Test func aLongPromptScrollsToKeepTheCursorInView() {
        let text = String(repeating: "abcdefghij", count: 20)
        let g = render(60, 1) { PromptEditorView.draw(text, cursor: 5, into: &$0, in: $0.bounds) }
        #expect(g.rows[0].contains("prompt: abcde▏fghij"))
        let e = render(60, 1) { PromptEditorView.draw(text, cursor: nil, into: &$0, in: $0.bounds) }
        #expect(e.rows[0].contains("ghij▏"))
    }
}
