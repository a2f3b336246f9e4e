import Testing
import SpecTUI

@Suite struct CellGridTests {
    @Test func writingClipsAtTheEdges() {
        var g = CellGrid(width: 5, height: 2)
        let end = g.write("abcdefg", x: 2, y: 0)
        #expect(end == 9)
        #expect(g.rows == ["  abc", ""])
        g.write("xyz", x: -2, y: 1)
        #expect(g.rows == ["  abc", "z"])
        g.write("off", x: 0, y: 5)
        g.write("off", x: 0, y: -1)
        #expect(g.rows == ["  abc", "z"])
    }

    @Test func writingClipsToAClipRectangle() {
        var g = CellGrid(width: 8, height: 1)
        g.write("abcdefgh", x: 0, y: 0, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(g.text(row: 0) == "  cde   ")
    }

    @Test func truncationEndsWithAnEllipsis() {
        var g = CellGrid(width: 10, height: 1)
        let end = g.write("abcdefgh", x: 0, y: 0, maxWidth: 5)
        #expect(g.rows == ["abcd…"])
        #expect(end == 5)
        var h = CellGrid(width: 10, height: 1)
        h.write("abc", x: 0, y: 0, maxWidth: 3)
        #expect(h.rows == ["abc"])
    }

    @Test func wideCharactersTakeTwoColumns() {
        var g = CellGrid(width: 6, height: 1)
        let end = g.write("狐a🦊", x: 0, y: 0)
        #expect(end == 5)
        #expect(g[0, 0].character == "狐")
        #expect(g[0, 0].width == 2)
        #expect(g[1, 0].isContinuation)
        #expect(g[2, 0].character == "a")
        #expect(g[3, 0].character == "🦊")
        #expect(g[4, 0].isContinuation)
        #expect(g.text(row: 0) == "狐a🦊 ")
    }

    @Test func aWideCharacterThatWouldStraddleTheEdgeBecomesABlank() {
        var g = CellGrid(width: 3, height: 1)
        g.write("ab狐", x: 0, y: 0)
        #expect(g.text(row: 0) == "ab ")
        #expect(g[2, 0].width == 1)
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var g = CellGrid(width: 4, height: 1)
        g.write("狐狐", x: 0, y: 0)
        g.put("x", x: 1, y: 0)  // right half of the first
        #expect(g.text(row: 0) == " x狐")
        #expect(g[0, 0].width == 1 && g[1, 0].width == 1)
        g.put("y", x: 2, y: 0)  // left half of the second
        #expect(g.text(row: 0) == " xy ")
        #expect((0..<4).allSatisfy { g[$0, 0].width == 1 })
        g.write("狐", x: 1, y: 0)  // a wide character over two narrow ones
        #expect(g.text(row: 0) == " 狐 ")
    }

    @Test func controlCharactersAreReplacedAndZeroWidthOnesSkipped() {
        var g = CellGrid(width: 4, height: 1)
        let end = g.write("a\u{7}\u{200B}b", x: 0, y: 0)
        #expect(g.text(row: 0) == "a\u{FFFD}b ")
        #expect(end == 3)
    }

    @Test func multiScalarGraphemesStayWhole() {
        var g = CellGrid(width: 6, height: 1)
        g.write("e\u{301}👩‍💻x", x: 0, y: 0)
        #expect(g[0, 0].character == "e\u{301}")
        #expect(g[1, 0].character == "👩‍💻")
        #expect(g[1, 0].width == 2)
        #expect(g[3, 0].character == "x")
    }

    @Test func boxesAndLinesMergeIntoJunctions() {
        var g = CellGrid(width: 7, height: 4)
        let style = CellStyle(.border)
        g.box(g.bounds, style: style)
        g.verticalLine(x: 3, from: 0, to: 3, style: style)
        g.horizontalLine(y: 2, from: 0, to: 6, style: style)
        #expect(g.rows == [
            "┌──┬──┐",
            "│  │  │",
            "├──┼──┤",
            "└──┴──┘",
        ])
        #expect(g[0, 0].style.foreground == .border)
    }

    @Test func boxTitleSitsOnTheTopEdge() {
        var g = CellGrid(width: 12, height: 3)
        g.box(g.bounds, style: CellStyle(.border), title: "keys")
        #expect(g.rows[0] == "┌ keys ────┐")
        var small = CellGrid(width: 8, height: 3)
        small.box(small.bounds, style: CellStyle(.border), title: "long title")
        #expect(small.rows[0] == "┌ lon… ┐")
    }

    @Test func diffReportsOnlyChangedCells() {
        var a = CellGrid(width: 10, height: 3)
        a.write("hello", x: 0, y: 0)
        var b = a
        #expect(b.changes(from: a).isEmpty)
        b.write("J", x: 0, y: 0)
        b.write("x", x: 9, y: 2, style: CellStyle(.accepted))
        let changes = b.changes(from: a)
        #expect(changes.map { [$0.x, $0.y] } == [[0, 0], [9, 2]])
        #expect(changes[0].cell.character == "J")
        #expect(changes[1].cell.style.foreground == .accepted)
        // A change of style alone counts.
        var c = b
        c.restyle(Rect(x: 1, y: 0, width: 1, height: 1)) { $0.attributes = .bold }
        #expect(c.changes(from: b).map { $0.x } == [1])
    }

    @Test func diffWithoutAPreviousFrameOrAfterResizeReportsEveryCell() {
        let a = CellGrid(width: 4, height: 2)
        #expect(a.changes(from: nil).count == 8)
        let b = CellGrid(width: 3, height: 2)
        #expect(a.changes(from: b).count == 8)
    }

    @Test func diffReportsWideCharactersAtTheirLeadingCell() {
        let a = CellGrid(width: 4, height: 1)
        var b = a
        b.write("狐", x: 1, y: 0)
        #expect(b.changes(from: a).map(\.x) == [1])
        var c = b
        c.write("ab", x: 1, y: 0)  // wide replaced by two narrow
        #expect(c.changes(from: b).map(\.x) == [1, 2])
        let d = c
        #expect(d.changes(from: c).isEmpty)
        var e = CellGrid(width: 4, height: 1)
        e.write("👩‍💻", x: 0, y: 0)
        var f = CellGrid(width: 4, height: 1)
        f.write("👩‍💻", x: 0, y: 0)
        #expect(f.changes(from: e).isEmpty)  // clusters compare by text
        #expect(e == f)
    }

    @Test func clearAndAssignReuseTheGrid() {
        var a = CellGrid(width: 3, height: 1)
        a.write("abc", x: 0, y: 0)
        var b = CellGrid(width: 3, height: 1)
        b.assign(from: a)
        #expect(b == a)
        a.clear()
        #expect(a.rows == [""])
        #expect(b.rows == ["abc"])
        b.resize(width: 2, height: 2)
        #expect(b.width == 2 && b.height == 2 && b.rows == ["", ""])
    }
}
