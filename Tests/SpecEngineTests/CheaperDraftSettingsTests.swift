import SpecCore
import SpecEngine
import Testing

/// Live changes of the draft's knobs: vocabulary steps, p-min within its
/// range, the layers of a separate draft model, and the draft lookup.
@Suite struct CheaperDraftSettingsTests {
    let vocabulary = 151_936

    func apply(_ s: SessionSettings, _ change: SettingsChange, draftLayers: Int? = 24) throws -> SessionSettings {
        try s.applying(change, layerCount: 28, vocabularySize: vocabulary, draftLayerCount: draftLayers)
    }

    @Test func theVocabularyStepsThroughEightSixteenThirtyTwoKAndFull() throws {
        var s = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        var seen: [Int?] = []
        for _ in 0..<4 {
            s = try apply(s, .draftVocabulary(-1))
            seen.append(s.draftVocabulary)
        }
        #expect(seen == [32768, 16384, 8192, 8192])
        s = try apply(s, .draftVocabulary(1))
        #expect(s.draftVocabulary == 16384)
        s = try apply(try apply(s, .draftVocabulary(1)), .draftVocabulary(1))
        #expect(s.draftVocabulary == nil)
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "ngram:3"), .draftVocabulary(-1)) }
    }

    @Test func pMinStaysInItsRange() throws {
        var s = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        s = try apply(s, .pMin(-0.05))
        #expect(s.pMin == 0)
        for _ in 0..<30 { s = try apply(s, .pMin(0.05)) }
        #expect(s.pMin == SessionSettings.maxPMin)
        s = try apply(s, .pMin(-0.1))
        #expect(s.pMin == 0.85)
    }

    @Test func theLayersOfASeparateDraftGrowAndShrink() throws {
        var s = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        s = try apply(s, .draftLayers(-1))
        #expect(s.draft == "qwen2.5-coder-0.5b:0-22")
        s = try apply(s, .draftLayers(-22))
        #expect(s.draft == "qwen2.5-coder-0.5b:0-0")
        s = try apply(s, .draftLayers(-1))
        #expect(s.draft == "qwen2.5-coder-0.5b:0-0", "at least one layer")
        s = try apply(s, .draftLayers(30))
        #expect(s.draft == "qwen2.5-coder-0.5b", "all layers: the plain name")
        #expect(s.draftSources.contains("qwen2.5-coder-0.5b"))
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "d.gguf:0-3,9"), .draftLayers(1)) }
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "d.gguf"), .draftLayers(1), draftLayers: nil) }
        // A requantised draft keeps its type: the layer list goes before it.
        var q = SessionSettings(draft: "qwen2.5-coder-0.5b@q4_0", method: .chain, depth: 4)
        q = try apply(q, .draftLayers(-2))
        #expect(q.draft == "qwen2.5-coder-0.5b:0-21@q4_0")
        q = try apply(q, .draftLayers(2))
        #expect(q.draft == "qwen2.5-coder-0.5b@q4_0")
        // A self-draft still changes as before.
        #expect(try apply(SessionSettings(draft: "self:8"), .draftLayers(1)).draft == "self:9")
    }

    @Test func theLookupTogglesForADraftModelOnly() throws {
        var s = SessionSettings(draft: "qwen2.5-coder-0.5b", method: .chain, depth: 4)
        #expect(s.draftLookupDrafter == nil)
        s = try apply(s, .toggleDraftLookup)
        #expect(s.draftLookup == SessionSettings.defaultDraftLookup)
        #expect(s.draftLookupDrafter?.maxN == SessionSettings.defaultDraftLookup)
        #expect(try s.info(target: "t", draftLabel: "d", vocabularySize: vocabulary).draftLookup == SessionSettings.defaultDraftLookup)
        s = try apply(s, .toggleDraftLookup)
        #expect(s.draftLookup == nil && s.draftLookupDrafter == nil)
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "ngram:3"), .toggleDraftLookup) }
    }
}
