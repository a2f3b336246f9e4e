import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// Keys that would do nothing say why in the status line, send nothing, and
/// (when none of an item's keys can act) leave the footer; the header shows
/// the tree's node count against its limit.
@Suite struct RefusedKeyTests {
    let input = InputController()

    /// A screen configured with `settings` on SmolLM2's 30 layers and 49 152 tokens.
    static func screen(_ settings: SessionSettings, mode: SessionMode = .paused) -> ScreenModel {
        var model = ScreenModel()
        let shape = (try? settings.shape(vocabularySize: 49152).label) ?? "?"
        model.apply([.configured(SessionInfo(target: "SmolLM2", draft: settings.draft, shape: shape, sampling: settings.sampling,
                                             budget: settings.budget, settings: settings, layerCount: 30, vocabularySize: 49152)),
                     .mode(mode)])
        return model
    }

    /// Presses `key` and returns what was sent and the status message.
    func press(_ key: Character, _ settings: SessionSettings, mode: SessionMode = .paused) -> (sent: [LiveAction], message: String?) {
        var model = Self.screen(settings, mode: mode)
        let sent = input.handle(.character(key), state: &model.state)
        return (sent, model.state.message)
    }

    func footer(_ model: ScreenModel, width: Int = 240) -> String {
        let g = render(width, 30) { Screen.draw(model.state, into: &$0) }
        return g.text(row: 29)
    }

    @Test func depthAtTheNodeLimit() {
        let r = press("]", SessionSettings(method: .rsdS, width: 4, depth: 15))
        #expect(r.sent.isEmpty)
        #expect(r.message == "]: L=15 is the deepest within the 63-node limit (rsd-s W=4 L=15: 60 nodes)")
    }

    @Test func widthPastTheNodeLimit() {
        let r = press("+", SessionSettings(method: .rsdS, width: 15, depth: 4))
        #expect(r.sent.isEmpty)
        #expect(r.message?.contains("W=15 is the widest within the 63-node limit") == true, "\(r.message ?? "nil")")
        #expect(press("+", SessionSettings(method: .rsdS, width: 14, depth: 4)).sent == [.send(.change(.width(1)))])
    }

    @Test func widthBelowOne() {
        let r = press("-", SessionSettings(method: .rsdS, width: 1, depth: 4))
        #expect(r.sent.isEmpty)
        #expect(r.message == "-: W=1 is the narrowest")
        #expect(press("-", SessionSettings(method: .chain, depth: 4)).message == "-: a chain has no width (m changes the method)")
    }

    @Test func depthKeysInBudgetModeAreRefusedAndLeaveTheFooter() {
        let budget = SessionSettings(method: .chain, depth: 4, budget: 16)
        for key: Character in ["[", "]"] {
            let r = press(key, budget)
            #expect(r.sent.isEmpty)
            #expect(r.message == "\(key): in budget mode the budget sets the chain tree's depth (b leaves budget mode)")
        }
        #expect(!footer(Self.screen(budget)).contains("depth"))
        #expect(footer(Self.screen(SessionSettings(method: .chain, depth: 4))).contains("[/] depth"))
        // The budget at its top.
        #expect(press("+", SessionSettings(method: .chain, depth: 4, budget: 63)).message
            == "+: budget 63 is the largest: a tree holds at most 63 nodes")
    }

    @Test func draftPressedTwiceWhilePausedSaysWhereEachPressWent() {
        let two = SessionSettings(draft: "self:8", draftSources: ["self:8", "ngram:3"])
        var model = Self.screen(two)
        #expect(input.handle(.character("d"), state: &model.state) == [.send(.change(.nextDraftSource))])
        #expect(model.state.message == "draft → ngram:3 (was self:8)")
        // The session applies it and reconfigures; the second press goes back.
        let after = try! two.applying(.nextDraftSource, layerCount: 30, vocabularySize: 49152)
        model = Self.screen(after)
        #expect(input.handle(.character("d"), state: &model.state) == [.send(.change(.nextDraftSource))])
        #expect(model.state.message == "draft → self:8 (was ngram:3)")
        // With one source, `d` is refused and leaves the footer.
        let one = press("d", SessionSettings(draft: "self:8", draftSources: ["self:8"]))
        #expect(one.sent.isEmpty)
        #expect(one.message?.hasPrefix("d: only one draft source was given") == true)
        #expect(!footer(Self.screen(SessionSettings(draft: "self:8", draftSources: ["self:8"]))).contains(" draft"))
    }

    @Test func otherRefusedKeys() {
        let ngram = SessionSettings(draft: "ngram:3", draftSources: ["ngram:3", "self:8"])
        #expect(press("<", ngram).message?.contains("has no layers to change") == true)
        #expect(press(">", SessionSettings(draft: "self:30")).message == ">: self:30 keeps every layer of the target (30)")
        #expect(press("<", SessionSettings(draft: "self:1")).message == "<: self:1 is the fewest layers")
        #expect(press("T", SessionSettings(sampling: .greedy)).message == "T: T=0 is the lowest (greedy)")
        #expect(press("t", SessionSettings(sampling: SamplingParameters(temperature: 2))).message == "t: T=2.00 is the highest")
        #expect(press("V", SessionSettings(method: .rsdS, width: 2, depth: 3)).sent.count == 1)  // traversal judges trees
        let tune = press("a", ngram)
        #expect(tune.sent.isEmpty)
        #expect(tune.message?.contains("tune needs a draft model") == true)
        #expect(!footer(Self.screen(ngram)).contains("tune"))
        #expect(footer(Self.screen(SessionSettings())).contains("a tune"))
        let done = press("n", SessionSettings(), mode: .finished)
        #expect(done.sent.isEmpty)
        #expect(done.message == "n: the generation is done: i starts a new prompt")
        #expect(press("A", SessionSettings()).message == "tune: no suggestion yet (a tunes)")
    }

    @Test func theHeaderShowsNodesAgainstTheLimit() {
        let model = Self.screen(SessionSettings(method: .rsdS, width: 4, depth: 5))
        #expect(model.state.header.nodes == "nodes 20/63")
        let g = render(200, 30) { Screen.draw(model.state, into: &$0) }
        #expect(g.text(row: 0).contains("nodes 20/63"))
    }
}
