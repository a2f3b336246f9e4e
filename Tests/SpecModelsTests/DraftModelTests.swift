import Foundation
import SpecCore
import SpecModels
import Testing

/// Self-drafts (layer subsets sharing the target's weights) and depth-pruned GGUF drafts.
@Suite struct DraftModelTests {
    @Test func layerListsParse() throws {
        #expect(try LayerSelection(parsing: "8", layerCount: 30).layers == Array(0..<8))
        #expect(try LayerSelection(parsing: "0-5,29", layerCount: 30).layers == [0, 1, 2, 3, 4, 5, 29])
        #expect(try LayerSelection(parsing: " 3, 1-2 ", layerCount: 30).layers == [1, 2, 3])
        #expect(try LayerSelection(parsing: "0-5,29", layerCount: 30).description == "0-5,29")
    }

    @Test func draftSourceListsKeepLayerListsWhole() {
        #expect(DraftSpecification.list("self:8,ngram:3") == ["self:8", "ngram:3"])
        #expect(DraftSpecification.list("self:0-3,28,29, ngram,self:4") == ["self:0-3,28,29", "ngram", "self:4"])
        #expect(DraftSpecification.list("ngram,12,2b.gguf") == ["ngram", "12", "2b.gguf"])
        #expect(DraftSpecification.list("self:2,2b.gguf,,") == ["self:2", "2b.gguf"])
    }

    @Test(arguments: ["", "0", "31", "0-30", "5-3", "1,1", "a", "1-", "-1", ","])
    func impossibleLayerListsAreClearErrors(text: String) {
        #expect(throws: ModelLoadError.self) { try LayerSelection(parsing: text, layerCount: 30) }
    }

    @Test func prunedGGUFRunsExactlyLikeTheSelfDraft() throws {
        let weights = try TestSupport.requireDefaultWeights()
        let selection = try LayerSelection(parsing: "0-5,29", layerCount: 30)
        let path = TestSupport.temporaryPath("pruned.gguf")
        try ModelPruner.write(weights.file, layers: selection, to: path)

        let pruned = try TransformerWeights(path: path)
        #expect(pruned.config.layerCount == 7)
        #expect(pruned.file.string("general.architecture") == "llama")
        #expect(pruned.file.strings("tokenizer.ggml.tokens")?.count == 49152)

        let prompt: [TokenID] = [1, 4093, 198, 1780, 314, 260, 3575, 282]
        let fromFile = try Transformer(weights: pruned, contextLength: 64)
        let selfDraft = try Transformer(weights: weights, layers: selection.layers, contextLength: 64)
        let a = TestSupport.rows(try fromFile.evaluate(TokenBatch(chain: prompt), logits: .all))
        let b = TestSupport.rows(try selfDraft.evaluate(TokenBatch(chain: prompt), logits: .all))
        #expect(a == b)
        // And it is a different model from the full target.
        let full = try Transformer(weights: weights, contextLength: 64)
        let c = TestSupport.rows(try full.evaluate(TokenBatch(chain: prompt), logits: .all))
        #expect(a != c)
    }

    @Test func selfDraftSharesTheTargetsWeights() throws {
        let weights = try TestSupport.requireDefaultWeights()
        let draft = try Transformer(weights: weights, layers: [0, 1, 2])
        #expect(draft.weights === weights)
        #expect(throws: ModelLoadError.self) { try Transformer(weights: weights, layers: []) }
        #expect(throws: ModelLoadError.self) { try Transformer(weights: weights, layers: [30]) }
    }
}
