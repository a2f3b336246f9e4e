import Foundation
import SpecCore
import SpecModels
import Testing

/// The golden test on the real pair: Qwen2.5-Coder-1.5B verified by its 0.5B
/// sibling emits exactly plain greedy decoding of the 1.5B, for every method,
/// on three prompts × 64 tokens. `make test` fetches the pair.
@Suite(.serialized) struct PairGreedyTests {
    /// The pair's weights, loaded once (nil when not fetched).
    static let weights: (target: TransformerWeights, draft: TransformerWeights)? = {
        ComputePool.start(threads: 2)
        guard let target = try? ModelCatalog.verifiedPath(of: ModelCatalog.qwenCoder15B),
              let draft = try? ModelCatalog.verifiedPath(of: ModelCatalog.qwenCoder05B) else { return nil }
        guard let t = try? TransformerWeights(path: target), let d = try? TransformerWeights(path: draft) else { return nil }
        return (t, d)
    }()

    static func requireWeights() throws -> (target: TransformerWeights, draft: TransformerWeights) {
        try #require(weights, "the Qwen2.5-Coder pair is not in \(ModelCatalog.directory): run `make test` (or `spectree models fetch qwen2.5-coder-1.5b qwen2.5-coder-0.5b`)")
    }

    static let requests = [
        "Write a Python function that checks whether a string is a palindrome, ignoring case and spaces.",
        "Explain what a mutex is and show a short C example.",
        "Complete this function:\n```python\ndef flatten(nested: list) -> list:\n    \"\"\"Flatten arbitrarily nested lists.\"\"\"\n```",
    ]
    static let length = 64
    static let shapes: [DraftShape] = [.chain(depth: 4), .specInfer(branching: [2, 1, 1]), .rsdC(branching: [2, 2, 1]), .rsdS(width: 2, depth: 3)]

    static func prompt(_ text: String, tokenizer: Tokenizer) -> [TokenID] {
        tokenizer.encode(ChatTemplate.chatML(system: "You are a helpful assistant.", user: text), addSpecial: true, parseSpecial: true)
    }

    /// Plain greedy decoding of `count` tokens after `prompt`, from a reset cache.
    static func plainGreedy(_ target: Transformer, prompt: [TokenID], count: Int = length) throws -> [TokenID] {
        target.reset()
        var plain = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: .greedy, seed: 0)
        return try (0..<count).map { _ in try plain.next() }
    }

    /// Steps `decoder` until it has emitted at least `count` tokens; returns the first `count`.
    static func emitted(by decoder: SpeculativeDecoder, count: Int = length,
                        onEvent: (DecodingEvent) -> Void = { _ in }) throws -> [TokenID] {
        var tokens: [TokenID] = []
        while tokens.count < count { tokens += try decoder.step(onEvent: onEvent) }
        return Array(tokens.prefix(count))
    }

    @Test func everyMethodReproducesPlainGreedyOnThePair() throws {
        let (targetWeights, draftWeights) = try Self.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let draft = try Transformer(weights: draftWeights, contextLength: 512, maxBatch: target.maxBatch)
        var accepted = 0.0
        for request in Self.requests {
            let prompt = Self.prompt(request, tokenizer: tokenizer)
            let expected = try Self.plainGreedy(target, prompt: prompt)
            for shape in Self.shapes {
                target.reset()
                draft.reset()
                let decoder = try SpeculativeDecoder(target: target, draft: .model(draft), shape: shape, sampling: .greedy, prompt: prompt, seed: 1)
                #expect(try Self.emitted(by: decoder) == expected, "\(shape.label) on '\(request.prefix(30))…': differs from plain greedy")
                accepted += decoder.statistics.blockEfficiency
            }
        }
        // The 0.5B sibling is a good draft: well over two tokens per target call on average.
        #expect(accepted / Double(Self.requests.count * Self.shapes.count) > 2)
    }

    @Test func theCatalogFilesHaveNamesPeopleRecognise() throws {
        let (target, draft) = try Self.requireWeights()
        #expect(ModelName.display(target.file) == "Qwen2.5-Coder-1.5B-Instruct Q4_K_M")
        #expect(ModelName.display(draft.file) == "Qwen2.5-Coder-0.5B-Instruct Q4_K_M")
        // Under another file name, the name comes from general.basename, size_label and finetune.
        let link = TestSupport.temporaryPath("renamed-coder.gguf")
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: draft.file.path)
        #expect(ModelName.display(try GGUFFile(path: link)) == "Qwen2.5-Coder-0.5B-Instruct Q4_K_M")
        let small = try TestSupport.requireDefaultWeights()
        #expect(ModelName.display(small.file) == "SmolLM2-135M-Instruct Q4_1")
        #expect(small.file.string("general.name") == "Smollm2 135M 8k Lc100K Mix1 Ep2", "the unhelpful name this replaces")
    }
}
