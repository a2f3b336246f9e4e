import Testing
import SpecTUI

@Suite struct TextViewTests {
    static func sample() -> TextState {
        var t = TextState()
        t.append("Once upon", .prompt, step: 0)
        t.append(" a", .draftAccepted, step: 1)
        t.append(" time", .draftAccepted, step: 1)
        t.append(",", .resampled, step: 1)
        t.append(" there", .draftAccepted, step: 2)
        t.append(" was", .bonus, step: 2)
        return t
    }

    @Test func tokensAreWrappedAndColouredByProvenance() {
        let g = render(16, 4) { TextView.draw(Self.sample(), showStepBoundaries: false, into: &$0, in: $0.bounds) }
        #expect(g.rows == ["text", "Once upon a", "time, there was", ""])
        #expect(g[0, 1].style.foreground == .promptText)   // O
        #expect(g[10, 1].style.foreground == .accepted)    // a
        #expect(g[4, 2].style.foreground == .resampled)    // ,
        #expect(g[6, 2].style.foreground == .accepted)     // there
        #expect(g[12, 2].style.foreground == .bonus)       // was
    }

    @Test func stepBoundariesShowAsMarkers() {
        let g = render(24, 3) { TextView.draw(Self.sample(), showStepBoundaries: true, into: &$0, in: $0.bounds) }
        #expect(g.rows[1] == "Once upon│ a time,│")
        #expect(g.rows[2] == "there was")
        #expect(g[9, 1].character == "│" && g[9, 1].style.foreground == .dim)
        #expect(g.rows[0].hasPrefix("text"))
    }

    @Test func newestTextStaysAtTheBottom() {
        var t = TextState()
        for i in 0..<200 { t.append(" w\(i)", .draftAccepted, step: i) }
        let g = render(20, 4) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        #expect(g.rows[3].hasSuffix("w199"))
        #expect(g.rows.allSatisfy { DisplayWidth.of($0) <= 20 })
    }

    @Test func newlinesBreakLinesAndLongWordsAreCut() {
        var t = TextState()
        t.append("ab\ncd", .prompt, step: 0)
        t.append(" abcdefghijklmnop", .draftAccepted, step: 1)
        let g = render(8, 5) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        #expect(g.rows == ["text", "ab", "cd", "abcdefgh", "ijklmnop"])
    }

    @Test func wideCharactersWrapWhole() {
        var t = TextState()
        t.append("狐狐狐", .draftAccepted, step: 1)
        let g = render(5, 3) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        #expect(g.rows == ["text", "狐狐", "狐"])
    }

    @Test func controlCharactersInTextAreEscaped() {
        var t = TextState()
        t.append("a\u{1B}b\rc", .draftAccepted, step: 1)
        let g = render(12, 2) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        #expect(g.rows[1] == "a\\x1Bbc")
        #expect(g[1, 1].style.foreground == .dim)
    }

    @Test func layoutOfALongTextIsStableAsTokensArrive() {
        // Lines already on screen do not re-wrap when one more token comes.
        var t = TextState()
        for i in 0..<3000 { t.append(i % 50 == 49 ? "\n" : " tok\(i % 7)", .draftAccepted, step: i / 3) }
        let a = render(30, 12) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        t.append(" new", .bonus, step: 2000)
        let b = render(30, 12) { TextView.draw(t, showStepBoundaries: false, into: &$0, in: $0.bounds) }
        // Either the last line grew, or everything moved up by one line.
        let grew = Array(a.rows[1..<11]) == Array(b.rows[1..<11])
        let scrolled = Array(a.rows[2..<12]) == Array(b.rows[1..<11])
        #expect(grew || scrolled, "\(a.rows)\n\(b.rows)")
        #expect(b.rows[11].hasSuffix("new"))
    }
}
