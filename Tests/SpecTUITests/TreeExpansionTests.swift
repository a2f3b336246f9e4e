import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The tree pane's folds open when there is room, by key `e` and by group;
/// the context's last token is the root; invisible tokens are shown.
@Suite("Tree expansion")
struct TreeExpansionTests {
    /// A root on the path with one accepted child and three rejected
    /// children, each with two pending children: 11 nodes.
    static func tree() -> TreeState {
        var t = TreeState(step: 1)
        let r = t.add(" r", q: 0.5, p: 0.5, state: .accepted, onAcceptedPath: true)
        t.add(" a", parent: r, q: 0.4, p: 0.4, state: .accepted, onAcceptedPath: true)
        for k in 0..<3 {
            let c = t.add(" x\(k)", parent: r, q: 0.1, p: 0.05, state: .rejected)
            t.add(" y\(k)", parent: c, q: 0.1)
            t.add(" z\(k)", parent: c, q: 0.1)
        }
        return t
    }

    static func tokens(_ layout: TreeLayout, _ tree: TreeState) -> [String] {
        layout.lines.map { line in
            switch line.kind {
            case let .node(i, hidden): tree.nodes[i].token + (hidden > 0 ? " +\(hidden)" : "")
            case let .summary(count, label, _): "+\(count) \(label)"
            case .context: "context"
            }
        }
    }

    @Test func foldsOpenWhileTheyFit() {
        let t = Self.tree()
        // Six lines: rejected nodes lose their descendants (5 lines); opening one more group needs 7.
        #expect(Self.tokens(TreeLayout(tree: t, maxLines: 6), t) == [" r", " a", " x0 +2", " x1 +2", " x2 +2"])
        // Seven lines: the first folded group opens, the others stay folded.
        #expect(Self.tokens(TreeLayout(tree: t, maxLines: 7), t) == [" r", " a", " x0", " y0", " z0", " x1 +2", " x2 +2"])
        // Ten: two groups open; eleven: everything.
        #expect(TreeLayout(tree: t, maxLines: 10).lines.count == 9)
        #expect(TreeLayout(tree: t, maxLines: 11).lines.count == 11)
    }

    @Test func anOpenedGroupStaysOpenAndExpandAllShowsEverything() {
        let t = Self.tree()
        let folded = TreeLayout(tree: t, maxLines: 3)
        #expect(Self.tokens(folded, t) == [" r", " a", "+9 rejected"])
        #expect(folded.lines[2].group == 0, "the summary stands for node 0's folded children")
        let opened = TreeLayout(tree: t, maxLines: 3, expanded: [0])
        #expect(Self.tokens(opened, t) == [" r", " a", " x0 +2", " x1 +2", " x2 +2"])
        #expect(opened.lines[2].group == 2)
        let all = TreeLayout(tree: t, maxLines: 3, expandAll: true)
        #expect(all.lines.count == 11 && all.foldLevel == 0)
    }

    @Test func keyEUnfoldsTheTreeOnScreen() {
        var state = ScreenState()
        state.tree = ScreenState.sample(nodes: 64).tree
        func folds(_ g: CellGrid) -> Bool { g.rows.contains { $0.contains(" rejected") || $0.range(of: #"[✗✓·] \+\d"#, options: .regularExpression) != nil } }
        let before = render(160, 30) { Screen.draw(state, into: &$0) }
        #expect(folds(before), "\(before.rows)")
        _ = InputController().handle(.character("e"), state: &state)
        #expect(state.options.expandAllTree)
        let after = render(160, 30) { Screen.draw(state, into: &$0) }
        #expect(!folds(after), "\(after.rows)")
        #expect(after.rows[2].contains("▼") || after.rows[1].contains("▼") || after.rows.contains { $0.contains("▲") })
        _ = InputController().handle(.character("e"), state: &state)
        #expect(!state.options.expandAllTree)
    }

    @Test func theContextsLastTokenIsTheRoot() {
        var t = Self.tree()
        t.root = " fox"
        let g = render(40, 14) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[1] == "◆ ␣fox  context")
        #expect(g.rows[2].hasPrefix("└─● ␣r"))
        #expect(g.rows[3].hasPrefix("  ├─● ␣a"))
        // The model takes it from the text: the prompt's tail, then the last emitted token.
        var model = ScreenModel()
        model.apply([.prompt(text: "Once upon a time there was", tokenCount: 6), .tokenText(id: 7, text: " a"),
                     .decoding(.stepStarted(step: 0, prefixLength: 6, settings: ""))])
        #expect(model.state.tree.root == "…me there was")
        model.apply([.decoding(.tokenEmitted(step: 0, token: 7, kind: .bonus)),
                     .decoding(.stepStarted(step: 1, prefixLength: 7, settings: ""))])
        #expect(model.state.tree.root == " a")
    }

    @Test func invisibleTokensAreShownVisibly() {
        #expect(VisibleText.string("\u{A0}") == "⍽")
        #expect(VisibleText.string("\u{200B}") == "<U+200B>")
        #expect(VisibleText.string("\u{FEFF}x") == "<U+FEFF>x")
        #expect(VisibleText.string("a\u{200D}") == "a<U+200D>")
        #expect(VisibleText.string(" \t\n") == "␣⇥↵")
        #expect(VisibleText.string("\u{2003}") == "<U+2003>")
        #expect(VisibleText.string("👨‍👩‍👧") == "👨‍👩‍👧", "an emoji keeps its joiners")
        #expect(VisibleText.string("é") == "é")
        var t = TreeState(step: 1)
        t.add("\u{200B}", q: 0.5, p: 0.5, state: .accepted, onAcceptedPath: true)
        t.add("\u{A0}", parent: 0, q: 0.5, p: 0.5, state: .rejected)
        let g = render(40, 3) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[1].hasPrefix("● <U+200B>"))
        #expect(g.rows[2].hasPrefix("└─○ ⍽"))
        #expect(g[2, 1].style.foreground == .dim, "escapes are dimmed")
    }
}
