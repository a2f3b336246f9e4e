import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The text pane shows decoded UTF-8 when a character is split over byte
/// tokens (🐱 is F0 9F 90 B1): never `<0xF0>`, never half a character; the
/// tree keeps each byte token's own text.
@Suite struct ByteTokenTextTests {
    /// A chain of the four byte tokens of 🐱 then " ok", emitted one by one with
    /// the session's decoded texts ("" until the character is whole).
    static func catEvents(decoded: Bool) -> [SessionEvent] {
        let bytes: [(TokenID, String)] = [(100, "<0xF0>"), (101, "<0x9F>"), (102, "<0x90>"), (103, "<0xB1>"), (104, " ok")]
        var events: [SessionEvent] = [.configured(SessionScript.info), .prompt(text: "A cat:", tokenCount: 2), .mode(.paused)]
        events += bytes.map { SessionEvent.tokenText(id: $0.0, text: $0.1) }
        events.append(.decoding(.stepStarted(step: 0, prefixLength: 2, settings: "chain L=5")))
        events += bytes.enumerated().map { i, b in
            .decoding(.levelDrafted(step: 0, level: i + 1, nodes: [SessionScript.node(i, b.0, parent: i - 1, depth: i + 1, q: 0.9)], seconds: 0.001))
        }
        let shown = ["", "", "", "🐱", " ok"]
        for (i, b) in bytes.enumerated() {
            events.append(SessionScript.decision(i, b.0, p: 0.9, q: 0.9, u: 0.1, accepted: true))
        }
        for (i, b) in bytes.enumerated() {
            if decoded { events.append(.emittedText(shown[i])) }
            events.append(.decoding(.tokenEmitted(step: 0, token: b.0, kind: .accepted)))
        }
        return events
    }

    static func textPane(after events: [SessionEvent], upTo count: Int? = nil) -> CellGrid {
        var model = ScreenModel()
        model.apply(Array(events.prefix(count ?? events.count)))
        return render(24, 3) { TextView.draw(model.state.text, showStepBoundaries: false, into: &$0, in: $0.bounds) }
    }

    @Test func aCharacterSplitOverByteTokensShowsWhole() {
        let g = Self.textPane(after: Self.catEvents(decoded: true))
        #expect(g.rows[1] == "A cat:🐱 ok")
        #expect(!g.rows.joined().contains("<0x"))
    }

    @Test func halfACharacterIsNeverShown() {
        let events = Self.catEvents(decoded: true)
        // After each emitted byte token before the last: the prompt only.
        for (i, e) in events.enumerated() {
            guard case let .decoding(.tokenEmitted(_, token, _)) = e, token < 103 else { continue }
            let g = Self.textPane(after: events, upTo: i + 1)
            #expect(g.rows[1] == "A cat:", "after byte token \(token)")
        }
    }

    @Test func theTreeKeepsTheByteTokensBytes() {
        var model = ScreenModel()
        model.apply(Self.catEvents(decoded: true))
        #expect(model.state.tree.nodes.map(\.token) == ["<0xF0>", "<0x9F>", "<0x90>", "<0xB1>", " ok"])
    }

    @Test func aTraceWithoutDecodedTextFallsBackToTokenTexts() {
        let g = Self.textPane(after: Self.catEvents(decoded: false))
        #expect(g.rows.joined().contains("<0xF0>"))
    }
}
