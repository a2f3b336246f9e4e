import Foundation
import SpecCore
import SpecModels
import Testing

/// The verifiers on real models. At temperature 0 every verifier (token,
/// block, traversal) emits exactly the tokens of plain greedy decoding of the
/// target, on SmolLM2 with a self-draft and an n-gram draft, and on the pair
/// (Qwen2.5-Coder 1.5B target, 0.5B draft). Sampled, the decoder's
/// side-by-side comparison reports the path it emitted.
@Suite(.serialized) struct VerifierModelTests {
    static let length = 24

    static func decode(_ target: Transformer, draft: DraftSource?, shape: DraftShape, verifier: Verifier,
                       prompt: [TokenID]) throws -> [TokenID] {
        var tokens: [TokenID] = []
        if let draft {
            let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: shape, sampling: .greedy,
                                                 verifier: verifier, prompt: prompt, seed: 1)
            while tokens.count < length { tokens += try decoder.step() }
        } else {
            var decoder = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: .greedy, seed: 0)
            while tokens.count < length { tokens.append(try decoder.next()) }
        }
        return Array(tokens.prefix(length))
    }

    // "def fibonacci(n):\n    if n < 2:\n        return n\n"
    static let smolPrompt: [TokenID] = [1604, 3987, 46477, 24, 94, 727, 472, 585, 1155, 216, 34, 42, 464, 359, 8740]

    @Test("greedy on SmolLM2: every verifier reproduces plain greedy")
    func smolLM2Greedy() throws {
        let expected = try Self.decode(TestSupport.defaultModel(), draft: nil, shape: .chain(depth: 1), verifier: .token,
                                       prompt: Self.smolPrompt)
        let cases: [(String, DraftShape, Verifier)] = [
            ("self:8", .chain(depth: 4), .block), ("self:8", .rsdS(width: 1, depth: 3), .block),
            ("ngram:3", .chain(depth: 4), .block),
            ("self:8", .chain(depth: 4), .traversal), ("self:8", .specInfer(branching: [2, 2, 1]), .traversal),
            ("self:8", .rsdC(branching: [3, 1, 1]), .traversal), ("self:8", .rsdS(width: 3, depth: 3), .traversal),
            ("ngram:3", .rsdC(branching: [2, 1]), .traversal),
        ]
        for (draft, shape, verifier) in cases {
            let target = try TestSupport.defaultModel()
            let (source, _) = try DraftSpecification(draft).load(for: target)
            let tokens = try Self.decode(target, draft: source, shape: shape, verifier: verifier, prompt: Self.smolPrompt)
            #expect(tokens == expected, "\(verifier) \(draft) \(shape): differs from plain greedy")
        }
    }

    @Test("greedy on the pair: Qwen2.5-Coder 1.5B with its 0.5B draft, every verifier")
    func pairGreedy() throws {
        let directory = DefaultModel.directory
        let targetPath = directory + "/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf"
        let draftPath = directory + "/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
        try #require(FileManager.default.fileExists(atPath: targetPath) && FileManager.default.fileExists(atPath: draftPath),
                     "the pair is missing from \(directory): fetch it with `make models`")
        _ = TestSupport.defaultWeights  // starts the compute pool
        let targetWeights = try TransformerWeights(path: targetPath)
        let draftWeights = try TransformerWeights(path: draftPath)
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let prompt = tokenizer.encode("def quicksort(values):\n    ")
        let expected = try Self.decode(Transformer(weights: targetWeights, contextLength: 256), draft: nil,
                                       shape: .chain(depth: 1), verifier: .token, prompt: prompt)
        for (shape, verifier) in [(DraftShape.chain(depth: 4), Verifier.block), (.rsdC(branching: [2, 2, 1]), .traversal),
                                  (.rsdC(branching: [2, 2, 1]), .token)] {
            let target = try Transformer(weights: targetWeights, contextLength: 256)
            let draft = try Transformer(weights: draftWeights, contextLength: 256)
            let tokens = try Self.decode(target, draft: .model(draft), shape: shape, verifier: verifier, prompt: prompt)
            #expect(tokens == expected, "\(verifier) \(shape): the pair differs from plain greedy")
        }
    }

    @Test("sampled: the comparison reports the emitted path; block judges chains only", arguments: Verifier.allCases)
    func comparison(_ verifier: Verifier) throws {
        let shape: DraftShape = verifier == .block ? .chain(depth: 3) : .rsdC(branching: [2, 2])
        let target = try TestSupport.defaultModel()
        let (source, _) = try DraftSpecification("self:8").load(for: target)
        let decoder = try SpeculativeDecoder(target: target, draft: source, shape: shape,
                                             sampling: SamplingParameters(temperature: 0.8), verifier: verifier,
                                             prompt: Self.smolPrompt, seed: 7)
        decoder.comparesVerifiers = true
        var summaries: [StepSummary] = []
        for _ in 0..<12 { try decoder.step { if case let .stepFinished(s) = $0 { summaries.append(s) } } }
        for summary in summaries {
            let comparison = try #require(summary.comparison)
            #expect(comparison.verifier == verifier)
            #expect(comparison.path(verifier) == summary.acceptedPath)
            #expect((comparison.blockPath != nil) == (shape.draftsChain))
        }
        decoder.shape = .rsdC(branching: [2, 2])
        decoder.verifier = .block
        #expect(throws: SettingsError.self) { try decoder.step() }
    }
}
