import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// What the screen says between and after steps: the before-line names what
/// changed since its figures, the end of a run stays with a hint, and a
/// paused start says which key steps.
@Suite struct StatusNoteTests {
    static func info(draft: String, temperature: Double) -> SessionInfo {
        SessionInfo(target: "SmolLM2", draft: draft, shape: "rsd-s W=2 L=3", sampling: SamplingParameters(temperature: temperature))
    }

    static let oneStep: [SessionEvent] = SessionScript.chainWithBonus + [.statistics(SessionScript.statistics)]

    @Test func theBeforeLineNamesTheSettingThatChanged() {
        var model = ScreenModel()
        let self8 = "self-draft 8/30 layers (0-7)"
        model.apply([.configured(Self.info(draft: self8, temperature: 0.8)), .prompt(text: "x", tokenCount: 1)] + SessionScript.opening.dropFirst(2))
        model.apply(Self.oneStep)
        // T 0.8 → 0.7 after a step: the before-line is the old temperature.
        model.apply([.configured(Self.info(draft: self8, temperature: 0.7))])
        #expect(model.state.acceptance.previous?.label == "T=0.80")
        // Then self:8 → self:14 with no step in between: the figures are still
        // those of self:8 at T=0.80, and the line says both, the draft first.
        for k in 9...14 { model.apply([.configured(Self.info(draft: "self-draft \(k)/30 layers (0-\(k - 1))", temperature: 0.7))]) }
        #expect(model.state.acceptance.previous?.label == "\(self8) · T=0.80")
        // After a step under self:14, a layer change names only the draft.
        model.apply(Self.oneStep)
        model.apply([.configured(Self.info(draft: "self-draft 15/30 layers (0-14)", temperature: 0.7))])
        #expect(model.state.acceptance.previous?.label == "self-draft 14/30 layers (0-13)")
    }

    @Test func theEndOfARunStaysWithAHint() {
        var model = ScreenModel()
        model.apply(SessionScript.twoSteps + [.finished(reason: "max-tokens")])
        #expect(model.state.note == "done: max-tokens · i new prompt")
        // Messages fade (the live loop clears them); the note stays under them.
        model.state.message = nil
        let g = render(160, 30) { Screen.draw(model.state, into: &$0) }
        #expect(g.text(row: 29).contains("done: max-tokens · i new prompt"))
        model.state.message = "theme: light"
        #expect(render(160, 30) { Screen.draw(model.state, into: &$0) }.text(row: 29).contains("theme: light"))
        model.apply([.prompt(text: "again", tokenCount: 1)])
        #expect(model.state.note == nil)
    }

    @Test func aPausedStartSaysWhichKeySteps() {
        var model = ScreenModel()
        model.apply(SessionScript.opening + [.mode(.paused)])
        let g = render(160, 30) { Screen.draw(model.state, into: &$0) }
        #expect(g.row(containing: "paused · press n for a step") != nil)
        #expect(g.row(containing: "waiting for the first draft") == nil)
        model.apply([.mode(.running)])
        let running = render(160, 30) { Screen.draw(model.state, into: &$0) }
        #expect(running.row(containing: "waiting for the first draft") != nil)
    }
}
