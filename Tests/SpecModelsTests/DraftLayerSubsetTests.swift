import Foundation
import SpecCore
import SpecModels
import Testing

/// `--draft D.gguf:LIST` and `--draft NAME:LIST`: a separate draft model run
/// on a subset of its layers (issue 11 item 1).
@Suite struct DraftLayerSubsetTests {
    @Test func theLayerListIsSplitOffOnlyWhenItIsOne() {
        #expect(DraftSpecification.splitLayerList("qwen2.5-coder-0.5b:0-11") == ("qwen2.5-coder-0.5b", "0-11"))
        #expect(DraftSpecification.splitLayerList("d.gguf:0-5,20") == ("d.gguf", "0-5,20"))
        #expect(DraftSpecification.splitLayerList("d.gguf") == ("d.gguf", nil))
        #expect(DraftSpecification.splitLayerList("dir:x/d.gguf") == ("dir:x/d.gguf", nil))
        #expect(DraftSpecification.splitLayerList(":3") == (":3", nil))
        #expect(DraftSpecification.list("d.gguf:0-3,28,ngram,self:4") == ["d.gguf:0-3,28", "ngram", "self:4"])
        #expect(DraftSpecification.list("qwen2.5-coder-0.5b:0-5,20,23,qwen2.5-coder-0.5b") == ["qwen2.5-coder-0.5b:0-5,20,23", "qwen2.5-coder-0.5b"])
    }

    @Test func aSubsetOfASeparateModelDraftsAndStaysLossless() throws {
        let target = try TestSupport.defaultModel()
        let (source, label) = try DraftSpecification("\(DefaultModel.path):0-7,29").load(for: target)
        guard case let .model(model) = source, let draft = model as? Transformer else {
            Issue.record("not a model draft")
            return
        }
        #expect(draft.layerIndices == [0, 1, 2, 3, 4, 5, 6, 7, 29])
        #expect(label == "SmolLM2-135M-Instruct Q4_1 layers 0-7,29 (9/30)")
        let prompt = SpeculativeGreedyTests.prompts[0]
        let expected = try SpeculativeGreedyTests.plain(prompt)
        let (tokens, _) = try SpeculativeGreedyTests.speculative(prompt, draft: source, shape: .chain(depth: 3), target: target)
        #expect(tokens == expected)
        #expect { try DraftSpecification("\(DefaultModel.path):0-40").load(for: target) } throws: { "\($0)".contains("layer 30") }
    }
}
