import Foundation
import SpecCore
import SpecModels
import Testing

/// Lookup-assisted chain drafting (`SpeculativeDecoder.draftLookup`): the
/// n-gram guess decides which draft rows are computed ahead, never what is
/// drafted. Exact tests on real models: with the same seed, a decoder with the
/// lookup drafts the same trees (tokens, parents, and q's probabilities to the
/// bit), takes the same decisions and emits the same tokens as one without,
/// greedy and sampled, while its draft model makes fewer calls. Batch
/// invariance (a token's logits are the same bits alone or in a batch) is what
/// makes the rows computed ahead equal the rows computed one by one.
@Suite(.serialized) struct DraftLookupTests {
    /// What a step does, without its timings.
    enum Record: Equatable {
        case level(Int, [DraftNodeRecord])
        case decision(VerificationDecision)
        case token(TokenID, EmittedTokenKind)
    }

    struct Run {
        var records: [Record] = []
        var tokens: [TokenID] = []
        var draftCalls = 0
        var draftTokens = 0
        /// Nodes marked as guessed (`DraftNodeRecord.guessed`); the records leave the mark out.
        var guessed = 0
    }

    /// `steps` steps of chain drafting from `prompt`, with or without the lookup.
    static func run(target: Transformer, draft: String, shape: DraftShape, sampling: SamplingParameters,
                    prompt: [TokenID], lookup: NGramDrafter?, steps: Int, seed: UInt64 = 5) throws -> Run {
        target.reset()
        let (source, _) = try DraftSpecification(draft).load(for: target)
        guard case let .model(model) = source else { throw SettingsError("\(draft) is not a model draft") }
        let counting = CountingModel(model)
        let decoder = try SpeculativeDecoder(target: target, draft: .model(counting), shape: shape, sampling: sampling,
                                             prompt: prompt, seed: seed, draftLookup: lookup)
        counting.calls = 0
        counting.tokens = 0
        var run = Run()
        for _ in 0..<steps {
            run.tokens += try decoder.step { event in
                switch event {
                case let .levelDrafted(_, level, nodes, _):
                    run.guessed += nodes.filter { $0.guessed == true }.count
                    run.records.append(.level(level, nodes.map { var n = $0; n.guessed = nil; return n }))
                case let .decision(_, decision): run.records.append(.decision(decision))
                case let .tokenEmitted(_, token, kind): run.records.append(.token(token, kind))
                default: break
                }
            }
        }
        run.draftCalls = counting.calls
        run.draftTokens = counting.tokens
        return run
    }

    /// A text that repeats itself, so the lookup has something to guess from.
    static func repetitivePrompt(_ tokenizer: Tokenizer) -> [TokenID] {
        tokenizer.encode(String(repeating: "def add(a, b):\n    return a + b\n\n", count: 3) + "def add(a, b):", addSpecial: false)
    }

    @Test(arguments: [("self:30", 0.0), ("self:30", 0.6), ("self:8", 1.0), ("self:8", 0.0)])
    func theLookupDraftsExactlyWhatPlainChainDraftingDrafts(draft: String, temperature: Double) throws {
        let weights = try TestSupport.requireDefaultWeights()
        let tokenizer = try Tokenizer(file: weights.file)
        let target = try TestSupport.defaultModel()
        let prompt = Self.repetitivePrompt(tokenizer)
        let sampling = temperature == 0 ? SamplingParameters.greedy : SamplingParameters(temperature: temperature)
        let shape = DraftShape.chain(depth: 6)
        let plain = try Self.run(target: target, draft: draft, shape: shape, sampling: sampling, prompt: prompt,
                                 lookup: nil, steps: 12)
        let looked = try Self.run(target: target, draft: draft, shape: shape, sampling: sampling, prompt: prompt,
                                  lookup: try NGramDrafter(maxN: 3), steps: 12)
        #expect(looked.tokens == plain.tokens, "\(draft) T=\(temperature): the lookup changed the output")
        #expect(looked.records == plain.records, "\(draft) T=\(temperature): the lookup changed a tree or a decision")
        #expect(plain.records.contains { if case .level(6, _) = $0 { true } else { false } }, "no chain reached its full depth")
        // Greedy, the target drafting itself copies the repeated text: most levels come from the guess.
        // Otherwise the lookup never adds a call: each call is a level whose token was not guessed.
        #expect(plain.guessed == 0)
        #expect(looked.draftCalls + looked.guessed >= plain.draftCalls, "a level is either guessed or takes its call")
        if draft == "self:30" && temperature == 0 {
            #expect(looked.draftCalls * 2 < plain.draftCalls, "draft calls \(looked.draftCalls) with the lookup, \(plain.draftCalls) without")
        } else {
            #expect(looked.draftCalls <= plain.draftCalls, "draft calls \(looked.draftCalls) with the lookup, \(plain.draftCalls) without")
        }
    }

    /// p-min reads the draft's confidence from rows the guess computed: the
    /// chains stop at the same nodes.
    @Test func pMinStopsAtTheSameNodesWithTheLookup() throws {
        let weights = try TestSupport.requireDefaultWeights()
        let tokenizer = try Tokenizer(file: weights.file)
        let target = try TestSupport.defaultModel()
        let prompt = Self.repetitivePrompt(tokenizer)
        var results: [Run] = []
        for lookup in [nil, try NGramDrafter(maxN: 2)] {
            target.reset()
            let (source, _) = try DraftSpecification("self:30").load(for: target)
            let decoder = try SpeculativeDecoder(target: target, draft: source, shape: .chain(depth: 8), sampling: .greedy,
                                                 prompt: prompt, seed: 3, pMin: 0.6, draftLookup: lookup)
            var run = Run()
            for _ in 0..<10 {
                run.tokens += try decoder.step { event in
                    if case let .levelDrafted(_, level, nodes, _) = event {
                        run.records.append(.level(level, nodes.map { var n = $0; n.guessed = nil; return n }))
                    }
                }
            }
            results.append(run)
        }
        #expect(results[1].records == results[0].records)
        #expect(results[1].tokens == results[0].tokens)
    }

    /// On the real pair, greedy: the output equals plain greedy decoding of the
    /// 1.5B on three prompts × 64 tokens, with fewer draft calls than chain
    /// drafting without the lookup.
    @Test func theLookupReproducesPlainGreedyOnThePair() throws {
        let (targetWeights, draftWeights) = try PairGreedyTests.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let draftModel = try Transformer(weights: draftWeights, contextLength: 512, maxBatch: target.maxBatch)
        let counting = CountingModel(draftModel)
        var callsWith = 0, callsWithout = 0
        for request in PairGreedyTests.requests {
            let prompt = PairGreedyTests.prompt(request, tokenizer: tokenizer)
            let expected = try PairGreedyTests.plainGreedy(target, prompt: prompt)
            for lookup in [nil, try NGramDrafter(maxN: 3)] {
                target.reset()
                draftModel.reset()
                let decoder = try SpeculativeDecoder(target: target, draft: .model(counting), shape: .chain(depth: 6),
                                                     sampling: .greedy, prompt: prompt, seed: 1, draftLookup: lookup)
                counting.calls = 0
                #expect(try PairGreedyTests.emitted(by: decoder) == expected,
                        "lookup \(lookup == nil ? "off" : "on") on '\(request.prefix(30))…': differs from plain greedy")
                if lookup == nil { callsWithout += counting.calls } else { callsWith += counting.calls }
            }
        }
        #expect(callsWith < callsWithout, "draft calls \(callsWith) with the lookup, \(callsWithout) without")
    }

    @Test func aLookupOfNoTokensIsRefused() {
        #expect(throws: SettingsError.self) { try NGramDrafter(maxN: 0) }
    }
}

/// A language model that forwards to another and counts its evaluation calls
/// and the tokens they evaluate.
final class CountingModel: LanguageModel {
    let model: any LanguageModel
    var calls = 0
    var tokens = 0

    init(_ model: any LanguageModel) { self.model = model }

    var vocabularySize: Int { model.vocabularySize }
    var contextLength: Int { model.contextLength }
    var committedCount: Int { model.committedCount }
    var maxBatch: Int { model.maxBatch }

    func evaluate(_ batch: TokenBatch, logits: LogitRows) throws -> LogitsView {
        calls += 1
        tokens += batch.count
        return try model.evaluate(batch, logits: logits)
    }

    func extend(tokens new: [TokenID], parents: [Int], logits: LogitRows) throws -> LogitsView {
        calls += 1
        tokens += new.count
        return try model.extend(tokens: new, parents: parents, logits: logits)
    }

    func commit(path: [Int]) throws { try model.commit(path: path) }
    func reset() { model.reset() }
}
