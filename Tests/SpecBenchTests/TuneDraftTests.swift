import SpecBench
import SpecCore
import Testing

/// What `tune` searches besides tree shapes: the depth of a separate draft
/// model and its trimmed vocabulary, and the suggestion that carries them.
@Suite struct TuneDraftTests {
    @Test func combinationsExpandSeparateDraftsByDepthAndVocabulary() throws {
        let all = TuneDraft.combinations(drafts: ["qwen2.5-coder-0.5b", "self:8"], layers: [12, 24, 40],
                                         vocabularies: [16384, nil]) { $0.hasPrefix("self:") ? nil : 24 }
        #expect(all.map(\.label) == [
            "qwen2.5-coder-0.5b:0-11 v16k", "qwen2.5-coder-0.5b:0-11",
            "qwen2.5-coder-0.5b v16k", "qwen2.5-coder-0.5b",
            "self:8 v16k", "self:8",
        ], "40 layers is beyond the draft's 24: left out; self-drafts keep their own layers")
        // A draft that already lists its layers is taken as it is.
        let listed = TuneDraft.combinations(drafts: ["d.gguf:0-5"], layers: [2], vocabularies: []) { _ in 24 }
        #expect(listed == [TuneDraft(spec: "d.gguf:0-5")])
        // A requantised draft keeps its type after the layer list, and its layers are counted without it.
        let requantised = TuneDraft.combinations(drafts: ["qwen2.5-coder-0.5b@q4_0"], layers: [12, 24], vocabularies: []) {
            $0 == "qwen2.5-coder-0.5b" ? 24 : nil
        }
        #expect(requantised.map(\.spec) == ["qwen2.5-coder-0.5b:0-11@q4_0", "qwen2.5-coder-0.5b@q4_0"])
    }

    @Test func theSuggestionCarriesTheVocabulary() {
        let d = TuneDraft(spec: "qwen2.5-coder-0.5b:0-15", vocabulary: 32768)
        let line = RunCommandLine.words(modelPath: "qwen2.5-coder-1.5b", draft: d.spec, shape: .chain(depth: 4),
                                        sampling: .greedy, extra: d.extraOptions)
        #expect(line.contains("--draft qwen2.5-coder-0.5b:0-15 --draft-vocab 32768 --method chain"), "\(line)")
        #expect(TuneDraft(spec: "self:8").extraOptions.isEmpty)
    }
}
