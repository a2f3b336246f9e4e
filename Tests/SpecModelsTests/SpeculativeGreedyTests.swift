import Foundation
import SpecCore
import SpecModels
import Testing

/// The golden test: at temperature 0 every drafting method with every draft
/// source emits exactly the tokens of plain greedy decoding of the target.
/// Batch invariance makes this exact, not approximate.
@Suite(.serialized) struct SpeculativeGreedyTests {
    static let prompts: [[TokenID]] = [
        // "Once upon a time, there was a little fox who"
        [6403, 1980, 253, 655, 28, 665, 436, 253, 1165, 14768, 567],
        // ChatML: "What is the capital of France?"
        [1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
        // "def fibonacci(n):\n    if n < 2:\n        return n\n"
        [1604, 3987, 46477, 24, 94, 727, 472, 585, 1155, 216, 34, 42, 464, 359, 8740],
    ]
    static let length = 64

    static let shapes: [DraftShape] = [.chain(depth: 4), .specInfer(branching: [2, 2, 1]), .rsdC(branching: [3, 1, 1]), .rsdS(width: 3, depth: 3)]

    /// Plain greedy decoding of `length` tokens after `prompt`.
    static func plain(_ prompt: [TokenID]) throws -> [TokenID] {
        let model = try TestSupport.defaultModel()
        var decoder = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 0)
        return try (0..<length).map { _ in try decoder.next() }
    }

    static func speculative(_ prompt: [TokenID], draft: DraftSource, shape: DraftShape, target: Transformer) throws -> (tokens: [TokenID], statistics: DecodingStatistics) {
        let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: shape, sampling: .greedy, prompt: prompt, seed: 1)
        var tokens: [TokenID] = []
        while tokens.count < length { tokens += try decoder.step() }
        return (Array(tokens.prefix(length)), decoder.statistics)
    }

    @Test(arguments: ["self:8", "self:0-3,28,29", "ngram:3", "pruned"])
    func everyMethodReproducesPlainGreedy(draft: String) throws {
        let weights = try TestSupport.requireDefaultWeights()
        var specification = DraftSpecification(draft)
        if draft == "pruned" {
            let path = TestSupport.temporaryPath("pruned-greedy.gguf")
            try ModelPruner.write(weights.file, layers: LayerSelection(parsing: "0-9", layerCount: 30), to: path)
            specification = .file(path)
        }
        for prompt in Self.prompts {
            let expected = try Self.plain(prompt)
            for shape in Self.shapes {
                let target = try TestSupport.defaultModel()
                let (source, _) = try specification.load(for: target)
                let (tokens, statistics) = try Self.speculative(prompt, draft: source, shape: shape, target: target)
                #expect(tokens == expected, "\(draft) \(shape): speculative greedy output differs from plain greedy")
                #expect(statistics.targetCalls < Self.length + 1)
            }
        }
    }

    @Test func aPerfectDraftIsAlwaysAccepted() throws {
        // The target as its own draft: every drafted token of a chain is accepted.
        let target = try TestSupport.defaultModel()
        let (source, _) = try DraftSpecification("self:30").load(for: target)
        let (tokens, statistics) = try Self.speculative(Self.prompts[0], draft: source, shape: .chain(depth: 4), target: target)
        #expect(tokens == (try Self.plain(Self.prompts[0])))
        #expect(statistics.acceptanceByDepth.allSatisfy { $0 == 1 })
        #expect(statistics.blockEfficiency == 5)
    }

    @Test func mismatchedVocabulariesAreRejected() throws {
        let weights = try TestSupport.requireDefaultWeights()
        var writer = GGUFWriter()
        for key in weights.file.metadataKeys where key != "general.alignment" { writer.set(key, weights.file.metadata[key]!) }
        var tokens = weights.file.strings("tokenizer.ggml.tokens")!
        tokens[1234] = "something else"
        writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        let path = TestSupport.temporaryPath("other-vocabulary.gguf")
        try writer.write(to: path)
        let target = try TestSupport.defaultModel()
        #expect {
            try DraftSpecification.file(path).load(for: target)
        } throws: { error in
            "\(error)".contains("token 1234")
        }
    }

    @Test(arguments: [
        ("self:0", "a self-draft of 0 layers is impossible: the model has 30 layers"),
        ("self:31", "a self-draft of 31 layers is impossible: the model has 30 layers"),
        ("self:", "the layer list is empty"),
        ("self:4-2", "the range '4-2' in '4-2' runs backwards"),
        ("ngram:0", "the n-gram length must be at least 1, got 0"),
    ])
    func impossibleDraftsAreClearErrors(draft: String, phrase: String) throws {
        let target = try TestSupport.defaultModel()
        #expect {
            try DraftSpecification(draft).load(for: target)
        } throws: { error in
            "\(error)".contains(phrase)
        }
    }
}
