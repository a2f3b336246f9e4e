import SpecEngine
import SpecTUI
import Testing

@Suite struct InputControllerTests {
    let input = InputController()

    func actions(_ keys: [KeyCode], state: inout ScreenState) -> [LiveAction] {
        keys.flatMap { input.handle($0, state: &state) }
    }

    @Test func decoderKeysBecomeSessionCommands() {
        var s = ScreenState()
        let cases: [(Character, SessionCommand)] = [
            (" ", .togglePause), ("p", .togglePause), ("n", .step), ("v", .stepDecision),
            ("+", .change(.width(1))), ("-", .change(.width(-1))), ("]", .change(.depth(1))), ("[", .change(.depth(-1))),
            ("m", .change(.nextMethod)), ("t", .change(.temperature(0.1))), ("T", .change(.temperature(-0.1))),
            (">", .change(.draftLayers(1))), ("<", .change(.draftLayers(-1))), ("d", .change(.nextDraftSource)),
            ("b", .change(.toggleBudget)),
            ("V", .change(.nextVerifier)),
        ]
        for (key, command) in cases {
            #expect(input.handle(.character(key), state: &s) == [.send(command)], "key \(key)")
        }
        #expect(input.handle(.character("q"), state: &s) == [.send(.quit), .quit])
        #expect(input.handle(.character("c"), state: &s) == [.nextTheme])
        #expect(input.handle(.character("\u{0C}"), state: &s) == [.redraw])
        #expect(s == ScreenState(), "decoder commands leave the screen alone")
    }

    @Test func viewKeysChangeOnlyTheScreen() {
        var s = ScreenState()
        #expect(input.handle(.character("?"), state: &s).isEmpty)
        #expect(s.options.showHelp)
        #expect(input.handle(.escape, state: &s).isEmpty)
        #expect(!s.options.showHelp)
        #expect(input.handle(.up, state: &s).isEmpty && s.options.treeScroll == -1)
        #expect(input.handle(.character("z"), state: &s).isEmpty)
    }

    @Test func thePromptEditorSendsANewPrompt() {
        var s = ScreenState()
        #expect(input.handle(.character("i"), state: &s).isEmpty)
        #expect(s.promptEditor == "")
        // Keys that are commands elsewhere are text here.
        let typed = actions("Hi q+x".map { KeyCode.character($0) } + [.backspace], state: &s)
        #expect(typed.isEmpty)
        #expect(s.promptEditor == "Hi q+")
        #expect(input.handle(.enter, state: &s) == [.send(.newPrompt("Hi q+"))])
        #expect(s.promptEditor == nil)
        // Escape cancels; an empty prompt sends nothing.
        _ = actions([.character("i"), .character("x"), .escape], state: &s)
        #expect(s.promptEditor == nil)
        #expect(actions([.character("i"), .enter], state: &s).isEmpty)

        var g = CellGrid(width: 80, height: 20)
        s.promptEditor = "Tell me about foxes"
        Screen.draw(s, into: &g)
        #expect(g.text(row: 19).contains("prompt: Tell me about foxes▏"))
        #expect(g.text(row: 19).contains("Enter send · Esc cancel"))
    }
}
