import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The draft's live knobs: keys x/X and o/O, and the settings line in the
/// header with the measured draft latency and predicted speedup beside them.
@Suite struct DraftKnobsTests {
    @Test func theKeysAskForTheChanges() {
        let map = KeyMap.standard
        #expect(map.command(for: .character("x")) == .draftVocabularyDown)
        #expect(map.command(for: .character("X")) == .draftVocabularyUp)
        #expect(map.command(for: .character("o")) == .pMinDown)
        #expect(map.command(for: .character("O")) == .pMinUp)
        #expect(map.command(for: .character("u")) == .draftLookupToggle)
    }

    /// Each knob key is available when it would change something, and says why not when it would not.
    @Test func theKnobKeysAreAvailableWhenTheyChangeSomething() {
        let settings = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        let context = KeyContext(settings: settings, layerCount: 28, vocabularySize: 151_936, mode: .running)
        #expect(context.availability(of: .pMin(0.05)).isAvailable)
        #expect(!context.availability(of: .pMin(-0.05)).isAvailable)
        #expect(context.availability(of: .draftVocabulary(-1)).isAvailable)
        #expect(context.availability(of: .toggleDraftLookup).isAvailable)
    }

    @Test func theLineShowsTheLookupOnChains() {
        var settings = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        settings.draftLookup = 3
        let chain = SessionInfo(target: "t", draft: "d", shape: "chain L=4", sampling: SamplingParameters(),
                                draftVocabulary: 32768, draftLookup: 3, settings: settings)
        #expect(DraftKnobs.line(chain, statistics: DecodingStatistics()) == "vocab 32k · lookup n≤3")
        settings.method = .rsdC
        let tree = SessionInfo(target: "t", draft: "d", shape: "rsd-c", sampling: SamplingParameters(),
                               draftVocabulary: 32768, draftLookup: 3, settings: settings)
        #expect(DraftKnobs.line(tree, statistics: DecodingStatistics()) == "vocab 32k", "the lookup helps chains only")
    }

    @Test func theLineShowsTheKnobsAndTheirMeasuredEffect() {
        let info = SessionInfo(target: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M", draft: "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (24 layers)",
                               shape: "chain L=4", sampling: SamplingParameters(), draftVocabulary: 16384, pMin: 0.3)
        #expect(DraftKnobs.line(info, statistics: DecodingStatistics()) == "vocab 16k · p-min 0.30")
        var s = DecodingStatistics()
        s.record(StepSummary(step: 0, treeSize: 4, treeDepth: 4, acceptedPath: [0, 1, 2], emitted: [1, 2, 3, 4],
                             deepestTested: 4, draftSeconds: 0.040, verifySeconds: 0.050, otherSeconds: 0.005))
        let line = DraftKnobs.line(info, statistics: s) ?? ""
        #expect(line.hasPrefix("vocab 16k · p-min 0.30 · draft 10.0 ms/level · predicted "), "\(line)")
        let off = SessionInfo(target: "t", draft: "self-draft 8/30 layers", shape: "chain L=4", sampling: SamplingParameters())
        #expect(DraftKnobs.line(off, statistics: DecodingStatistics()) == "vocab full")
        let ngram = SessionInfo(target: "t", draft: "n-gram lookup (n ≤ 3)", shape: "chain L=4", sampling: SamplingParameters())
        #expect(DraftKnobs.line(ngram, statistics: DecodingStatistics()) == nil)
    }

    @Test func theHeaderShowsTheLineAndDropsItFirstWhenShort() {
        var h = HeaderState(target: "Qwen", draft: "0.5B", method: "chain L=4", temperature: 0, mode: .running, theme: "default")
        h.knobs = "vocab 16k · p-min 0.30"
        let wide = render(120, 1) { HeaderView.draw(h, into: &$0, in: $0.bounds) }
        #expect(wide.rows[0].contains("T=0.00 · vocab 16k · p-min 0.30"))
        let narrow = render(60, 1) { HeaderView.draw(h, into: &$0, in: $0.bounds) }
        #expect(!narrow.rows[0].contains("vocab"))
        #expect(narrow.rows[0].contains("chain L=4"))
    }
}
