import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The tune on the screen: `a` asks, the banner shows progress and then the
/// suggestion, `A` applies it, the header shows the new shape.
@Suite struct TuneScreenTests {
    let input = InputController()
    static let suggestion = TuneSuggestion(draft: "self:8", shape: .rsdC(branching: [3, 1]), predictedTokensPerSecond: 210.3,
                                           predictedTokensPerStep: 2.4, plainTokensPerSecond: 190.2,
                                           command: "spectree run --draft self:8 --method rsd-c --branching 3,1 --temperature 0.8",
                                           seconds: 14)

    static func bannerRow(_ state: ScreenState, width: Int = 100) -> String {
        var grid = CellGrid(width: width, height: 24)
        Screen.draw(state, into: &grid)
        return grid.text(row: 1)
    }

    @Test func aTuneFromKeyToAppliedShape() {
        var model = ScreenModel()
        model.apply(SessionScript.opening + [.mode(.running)])
        #expect(input.handle(.character("a"), state: &model.state) == [.send(.tune)])
        #expect(model.state.message == "tune: starting at the next step")
        model.apply([.tuning("starting with self-draft 8/30 layers (0-7)")])
        #expect(model.state.tune?.isRunning == true)
        #expect(Self.bannerRow(model.state).contains("◆ tuning… starting with self-draft 8/30 layers (0-7)"))
        // A second `a` while it runs sends nothing.
        #expect(input.handle(.character("a"), state: &model.state).isEmpty)
        #expect(model.state.message == "tune: already running")
        // `A` before a suggestion sends nothing either.
        #expect(input.handle(.character("A"), state: &model.state).isEmpty)

        model.apply([.tuning("timing target calls, pass 1 of 3")])
        #expect(Self.bannerRow(model.state).contains("◆ tuning… timing target calls, pass 1 of 3"))
        model.apply([.tuneSuggestion(Self.suggestion)])
        #expect(model.state.tune?.suggestion == Self.suggestion)
        let banner = Self.bannerRow(model.state)
        #expect(banner.contains("◆ tune: rsd-c b=3,1 beats plain · predicted 210 tok/s vs plain 190"), "\(banner)")
        #expect(banner.hasSuffix("A apply · Esc dismisses │"), "\(banner)")
        // On a narrow screen the suggestion is cut, never the key.
        let narrow = Self.bannerRow(model.state, width: 60)
        #expect(narrow.hasSuffix("A apply │") && narrow.contains("◆ tune: rsd-c"), "\(narrow)")

        #expect(input.handle(.character("A"), state: &model.state) == [.send(.change(.apply(Self.suggestion)))])
        #expect(model.state.tune == nil)
        var applied = SessionScript.info
        applied.shape = Self.suggestion.shape
        model.apply([.configured(applied)])
        #expect(model.state.header.method == "rsd-c b=3,1")
        var grid = CellGrid(width: 100, height: 24)
        Screen.draw(model.state, into: &grid)
        #expect(grid.text(row: 0).contains("rsd-c b=3,1"))
        #expect(!grid.text(row: 1).contains("tune:"), "the banner closed")
    }

    @Test func aSlowerTreeSaysPlainDecodingIsFaster() {
        var slow = Self.suggestion
        slow.predictedTokensPerSecond = 150
        #expect(TuneState(suggestion: slow).line == "tune: plain decoding beats the best tree, rsd-c b=3,1 · predicted plain 190 tok/s, tree 150")
        // `A` says what it does: the session drafts a tree, so it applies the best one anyway.
        let banner = Self.bannerRow(ScreenState(tune: TuneState(suggestion: slow)), width: 160)
        #expect(banner.contains("A applies the tree anyway · Esc keeps the settings"), "\(banner)")
        #expect(!banner.contains("A apply ·"))
    }

    /// The measurement on the prompt decides over the prediction, and the words
    /// agree with the figures (issue 14: `plain is faster … measured 15 (plain 11)`).
    @Test func theMeasurementDecidesAndTheWordsAgreeWithIt() {
        var s = Self.suggestion
        s.predictedTokensPerSecond = 12
        s.plainTokensPerSecond = 13
        s.measuredTokensPerSecond = 15
        s.measuredPlainTokensPerSecond = 11
        let wins = TuneState(suggestion: s)
        #expect(wins.treeWins == true)
        #expect(wins.line == "tune: rsd-c b=3,1 beats plain · measured 15 tok/s vs plain 11 · predicted 12 (plain 13)")
        #expect(wins.keyHint(wide: true) == "A apply · Esc dismisses")
        s.measuredTokensPerSecond = 9
        let loses = TuneState(suggestion: s)
        #expect(loses.treeWins == false)
        #expect(loses.line == "tune: plain decoding beats the best tree, rsd-c b=3,1 · measured plain 11 tok/s, tree 9 · predicted plain 13, tree 12")
        #expect(!loses.line.contains("b=3,1 beats"))
        #expect(loses.keyHint(wide: true) == "A applies the tree anyway · Esc keeps the settings")
    }

    @Test func escapeDismissesTheSuggestionAfterAnError() {
        var state = ScreenState(error: "boom", tune: TuneState(suggestion: Self.suggestion))
        #expect(Self.bannerRow(state).contains("✗ boom"), "an error shows first")
        _ = input.handle(.escape, state: &state)
        #expect(state.error == nil && state.tune != nil)
        #expect(Self.bannerRow(state).contains("tune: rsd-c b=3,1"))
        _ = input.handle(.escape, state: &state)
        #expect(state.tune == nil)
        #expect(input.handle(.character("A"), state: &state).isEmpty)
        #expect(state.message == "tune: no suggestion yet (a tunes)")
    }

    @Test func anErrorOrTheEndWhileTuningClosesTheBanner() {
        var model = ScreenModel()
        model.apply(SessionScript.opening + [.tuning("starting")])
        #expect(model.state.tune?.isRunning == true)
        model.apply([.error("tune needs a draft model (self:K or a GGUF file)")])
        #expect(model.state.tune == nil)
        #expect(model.state.error?.contains("tune needs a draft model") == true)
        model.apply([.tuning("starting"), .finished(reason: "quit")])
        #expect(model.state.tune == nil)
        // A suggestion stays through later errors (it is not running any more).
        model.apply([.tuneSuggestion(Self.suggestion), .error("something else")])
        #expect(model.state.tune?.suggestion == Self.suggestion)
    }

    @Test func theHelpListsTheApplyKey() {
        #expect(KeyMap.standard.command(for: .character("A")) == .tuneApply)
        #expect(KeyMap.standard.helpLines.contains { $0.keys == "A" && $0.help == "apply the tune's suggested shape" })
        var state = ScreenState()
        state.options.showHelp = true
        var grid = CellGrid(width: 120, height: 40)
        Screen.draw(state, into: &grid)
        #expect((0..<40).contains { grid.text(row: $0).contains("apply the tune's suggested shape") })
    }
}
