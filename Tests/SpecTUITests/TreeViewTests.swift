import Testing
import SpecTUI

@Suite struct TreeViewTests {
    /// The DESIGN.md sketch: an accepted path of three, two rejected siblings.
    static func sketchTree() -> TreeState {
        var t = TreeState(step: 41)
        let the = t.add(" the", q: 0.61, p: 0.72, state: .accepted, onAcceptedPath: true)
        let little = t.add(" little", parent: the, q: 0.40, p: 0.55, state: .accepted, onAcceptedPath: true)
        t.add(" fox", parent: little, q: 0.22, p: 0.31, state: .accepted, onAcceptedPath: true)
        t.add(" girl", parent: little, q: 0.18, p: 0.09, state: .rejected)
        t.add(" old", parent: the, q: 0.20, p: 0.05, state: .rejected)
        return t
    }

    @Test func twoNodeChain() {
        var t = TreeState(step: 3)
        let root = t.add(" the", q: 0.61, p: 0.72, state: .accepted, onAcceptedPath: true)
        t.add(" fox", parent: root, q: 0.40)
        let g = render(40, 3) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "tree (step 3)",
            "● ␣the   q.61 p.72 ✓",
            "└─○ ␣fox q.40 p  – ·",
        ])
        // Roles: the accepted glyph and verdict in `accepted`, the pending child in `pending`.
        #expect(g[0, 1].style.foreground == .accepted)
        #expect(g[0, 1].style.attributes.contains(.bold))
        #expect(g[2, 1].style.foreground == .dim)  // ␣ is an escape: dimmed
        #expect(g[3, 1].style.foreground == .acceptedPath)  // the token on the path
        #expect(g[3, 1].style.attributes.contains(.bold))
        #expect(g[19, 1].character == "✓" && g[19, 1].style.foreground == .accepted)
        #expect(g[2, 2].character == "○" && g[2, 2].style.foreground == .pending)
        #expect(g[0, 0].style.foreground == .title)
    }

    @Test func threeLevelTreeWithRejections() {
        let g = render(40, 6) { TreeView.draw(Self.sketchTree(), into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "tree (step 41)",
            "● ␣the      q.61 p.72 ✓",
            "├─● ␣little q.40 p.55 ✓",
            "│ ├─● ␣fox  q.22 p.31 ✓",
            "│ └─○ ␣girl q.18 p.09 ✗",
            "└─○ ␣old    q.20 p.05 ✗",
        ])
        // Connectors on the accepted path are emphasised; others are plain borders.
        #expect(g[0, 2].style.foreground == .acceptedPath)
        #expect(g[0, 3].style.foreground == .border)  // │ continuation
        #expect(g[2, 4].style.foreground == .border)  // └ to a rejected node
        // Glyphs and their roles.
        #expect(g[4, 4].character == "○" && g[4, 4].style.foreground == .rejected)
        #expect(g[22, 4].character == "✗" && g[22, 4].style.foreground == .rejected)
        #expect(g[6, 4].style.foreground == .dim)  // rejected token text is dimmed
        #expect(g[4, 3].character == "●" && g[4, 3].style.foreground == .accepted)
        // q and p in the secondary colour.
        #expect(g.column(of: "q.18", row: 4) == 12)
        #expect(g[12, 4].style.foreground == .dim)
    }

    @Test func resampledAndBonusNodesShowTheirGlyphs() {
        var t = TreeState(step: 2)
        let a = t.add(" a", q: 0.5, p: 0.6, state: .accepted, onAcceptedPath: true)
        t.add(" b", parent: a, q: 0.3, p: 0.1, state: .rejected)
        t.add(" c", parent: a, q: nil, p: 0.4, state: .resampled, onAcceptedPath: true)
        var u = TreeState(step: 3)
        let x = u.add(" x", q: 0.9, p: 0.9, state: .accepted, onAcceptedPath: true)
        u.add(" y", parent: x, q: nil, p: 0.8, state: .bonus, onAcceptedPath: true)
        let g = render(30, 4) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[3] == "└─● ␣c q  – p.40 ↻")
        #expect(g[17, 3].style.foreground == .resampled)
        let h = render(30, 3) { TreeView.draw(u, into: &$0, in: $0.bounds) }
        #expect(h.rows[2] == "└─● ␣y q  – p.80 ★")
        #expect(h[17, 2].style.foreground == .bonus)
    }

    @Test func whitespaceAndControlsAreMadeVisible() {
        var t = TreeState(step: 1)
        let a = t.add("\n", q: 0.5, p: 0.5, state: .accepted, onAcceptedPath: true)
        let b = t.add(" \t", parent: a, q: 0.2, state: .pending)
        t.add("\u{1B}x", parent: b, q: 0.1, state: .pending)
        let g = render(40, 4) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[1].hasPrefix("● ↵ "))
        #expect(g.rows[2].hasPrefix("└─○ ␣⇥ "))
        #expect(g.rows[3].hasPrefix("  └─○ \\x1Bx "))
        // Escapes are dimmed; literal text is not.
        #expect(g[6, 3].style.foreground == .dim)
        #expect(g[10, 3].style.foreground == .mainFg)
    }

    @Test func wideCharacterTokensKeepTheColumnsAligned() {
        var t = TreeState(step: 1)
        let a = t.add("狐", q: 0.5, p: 0.6, state: .accepted, onAcceptedPath: true)
        t.add(" 🦊🦊", parent: a, q: 0.25, p: 0.3, state: .rejected)
        let g = render(40, 3) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[1] == "● 狐      q.50 p.60 ✓")
        #expect(g.rows[2] == "└─○ ␣🦊🦊 q.25 p.30 ✗")
        #expect(g.column(of: "q.50", row: 1) == g.column(of: "q.25", row: 2))
        #expect(g[2, 1].width == 2 && g[3, 1].isContinuation)
    }

    @Test func longTokensAreCutBeforeTheProbabilities() {
        var t = TreeState(step: 1)
        t.add(" extraordinarily", q: 0.5, p: 0.6, state: .accepted, onAcceptedPath: true)
        let g = render(24, 2) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[1] == "● ␣extraord… q.50 p.60 ✓")
    }

    @Test func narrowPanesDropTheProbabilities() {
        let g = render(20, 6) { TreeView.draw(Self.sketchTree(), into: &$0, in: $0.bounds) }
        #expect(g.rows[2] == "├─● ␣little ✓")
        #expect(!g.rows.joined().contains("q."))
    }

    @Test func nodeUnderTestIsHighlighted() {
        var t = Self.sketchTree()
        t.nodeUnderTest = 3
        let g = render(40, 6) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows[4].hasSuffix("✗ ◀"))
        #expect((0..<40).allSatisfy { g[$0, 4].style.background == .highlight })
        #expect(g[0, 3].style.background == .mainBg)
    }

    @Test func aBigTreeFoldsThenScrollsAndKeepsTheAcceptedPathVisible() {
        let tree = ScreenState.sample(nodes: 64).tree
        #expect(tree.nodes.count == 64)
        let pathTokens = tree.nodes.filter(\.onAcceptedPath).map { VisibleText.string($0.token) }
        #expect(pathTokens.count == 4)

        func pathVisible(_ g: CellGrid) -> Bool {
            pathTokens.allSatisfy { token in g.rows.contains { $0.contains("● " + token) } }
        }
        // 12 rows: rejected nodes lose their descendants, counted inline.
        let g = render(34, 12) { TreeView.draw(tree, into: &$0, in: $0.bounds) }
        #expect(TreeLayout(tree: tree, maxLines: 11).foldLevel == 1)
        #expect(g.rows.contains { $0.hasSuffix("✗ +21") }, "\(g.rows)")
        #expect(pathVisible(g), "\(g.rows)")
        #expect(!g.rows[0].contains("▲") && !g.rows[0].contains("▼"))

        // 9 rows: rejected siblings fold into summary lines.
        let f = render(34, 9) { TreeView.draw(tree, into: &$0, in: $0.bounds) }
        #expect(f.rows.filter { $0.contains("└─ +") && $0.hasSuffix(" rejected") }.count == 4, "\(f.rows)")
        #expect(f.rows[8].hasPrefix("└─ +") && f.rows[8].hasSuffix(" rejected"), "\(f.rows)")
        #expect(pathVisible(f), "\(f.rows)")
        #expect(!f.rows[0].contains("▲") && !f.rows[0].contains("▼"))
        #expect(TreeLayout(tree: tree, maxLines: 8).foldLevel >= 2)

        // 5 rows: folded as far as possible, then scrolled to the deepest path node.
        let s = render(34, 5) { TreeView.draw(tree, into: &$0, in: $0.bounds) }
        #expect(s.rows[0].contains("▼") || s.rows[0].contains("▲"), "\(s.rows)")
        #expect(s.rows.contains { $0.contains("● " + pathTokens.last!) }, "\(s.rows)")
        // Scrolling by hand moves away from it, and the indicator follows.
        let up = render(34, 5) { TreeView.draw(tree, scroll: -10, into: &$0, in: $0.bounds) }
        #expect(up.rows[1].hasPrefix("● " + pathTokens[0]))
        #expect(up.rows[0].contains("▼") && !up.rows[0].contains("▲"))
    }

    @Test func theNodeUnderTestStaysVisibleWhenFoldedAndScrolled() {
        var tree = ScreenState.sample(nodes: 64).tree
        // The last node: deep in an unreached subtree, folded away at every level but 0.
        let target = tree.nodes.count - 1
        tree.nodeUnderTest = target
        let token = VisibleText.string(tree.nodes[target].token)
        for height in [4, 6, 9, 14] {
            let g = render(40, height) { TreeView.draw(tree, into: &$0, in: $0.bounds) }
            let row = g.rows.firstIndex { $0.hasSuffix("◀") }
            #expect(row != nil, "height \(height): \(g.rows)")
            if let row { #expect(g.rows[row].contains(token)) }
        }
    }

    @Test func foldingCountsHiddenNodesExactly() {
        // A root on the path with one accepted child and three rejected
        // children, each rejected child with two pending children: 1 + 1 + 3×3 = 11 nodes.
        var t = TreeState(step: 1)
        let r = t.add(" r", q: 0.5, p: 0.5, state: .accepted, onAcceptedPath: true)
        t.add(" a", parent: r, q: 0.4, p: 0.4, state: .accepted, onAcceptedPath: true)
        for k in 0..<3 {
            let c = t.add(" x\(k)", parent: r, q: 0.1, p: 0.05, state: .rejected)
            t.add(" y", parent: c, q: 0.1)
            t.add(" z", parent: c, q: 0.1)
        }
        #expect(TreeLayout(tree: t, maxLines: 100).lines.count == 11)
        let one = TreeLayout(tree: t, maxLines: 5)
        #expect(one.foldLevel == 1)
        #expect(one.lines.count == 5)
        let g = render(40, 4) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "tree (step 1)",
            "● ␣r   q.50 p.50 ✓",
            "├─● ␣a q.40 p.40 ✓",
            "└─ +9 rejected",
        ])
        #expect(g[3, 3].style.foreground == .rejected)
    }

    @Test func emptyTreeSaysItIsWaiting() {
        let g = render(40, 3) { TreeView.draw(TreeState(), into: &$0, in: $0.bounds) }
        #expect(g.rows[1].hasPrefix("waiting"))
    }
}
