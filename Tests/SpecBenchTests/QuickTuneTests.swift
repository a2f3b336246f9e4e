import SpecBench
import SpecCore
import SpecModels
import Testing

/// The live screen's tune on the real default model with a tiny self-draft.
@Suite("QuickTune", .serialized)
struct QuickTuneTests {
    /// Within a small budget (a session in budget mode), the suggestion fits
    /// it; the progress notes name the calibration runs as they start.
    @Test func theSuggestionFitsTheBudgetAndProgressIsTyped() throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let weights = try TransformerWeights(file: file)
        let tokenizer = try Tokenizer(file: file)
        let target = try Transformer(weights: weights, contextLength: 384)
        let draft = try DraftSpecification("self:2").load(for: target).source
        guard case let .model(model) = draft else { Issue.record("self:2 is not a model"); return }
        let tiny = QuickTune(verifySizes: [1, 2, 4, 5], draftWidths: [1, 2, 4], callsPerPoint: 1, tokens: 8, validates: false)
        var notes: [String] = []
        let result = try #require(try tiny.run(
            target: target, draft: "self:2", draftModel: model, prompt: tokenizer.encode("Once upon a time"),
            sampling: .greedy, seed: 1, budget: 4, progress: { notes.append($0) }, shouldStop: { false }))
        #expect(result.best.shape.maxNodeCount <= 4 && result.best.shape.maxNodeCount >= 1)
        #expect(result.best.tokensPerSecond.isFinite && result.best.tokensPerSecond > 0)
        #expect(result.plainPredictedTokensPerSecond.isFinite && result.plainPredictedTokensPerSecond > 0)
        #expect(result.measured == nil, "not validated")
        #expect(notes.first == "timing target calls")
        #expect(notes.contains("target call, pass 1 of 1") && notes.contains("draft call, pass 1 of 1"), "\(notes)")
        let calibrations = notes.filter { $0.hasPrefix("acceptance with ") }
        #expect(calibrations.count == 2 && calibrations.first == "acceptance with chain L=4 (1 of 2)", "\(notes)")
    }

    /// With p-min values to search, the calibration chain records the draft's
    /// confidences and the suggestion may be a chain with p-min (the result carries it).
    @Test func pMinIsSearchedAndCarriedToTheSuggestion() throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let target = try Transformer(weights: try TransformerWeights(file: file), contextLength: 384)
        let tokenizer = try Tokenizer(file: file)
        let draft = try DraftSpecification("self:4").load(for: target).source
        guard case let .model(model) = draft else { Issue.record("self:4 is not a model"); return }
        // Only chains, and only p-min values above 0: the suggestion must be a chain with one of them.
        let tune = QuickTune(verifySizes: [1, 2, 4, 8], draftWidths: [1], callsPerPoint: 1, calibrationShapes: [.chain(depth: 6)],
                             tokens: 12, maxDepth: 6, methods: [.chain], validates: false, pMins: [0.3, 0.6])
        let result = try #require(try tune.run(
            target: target, draft: "self:4", draftModel: model, prompt: tokenizer.encode("Once upon a time"),
            sampling: .greedy, seed: 1, budget: 8, progress: { _ in }, shouldStop: { false }))
        #expect(result.best.shape.method == .chain)
        #expect([0.0, 0.3, 0.6].contains(result.pMin))
    }

    /// A stop requested before it starts: nothing is measured, nil comes back.
    @Test func aStoppedTuneReturnsNothing() throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let target = try Transformer(weights: try TransformerWeights(file: file), contextLength: 128)
        let draft = try DraftSpecification("self:2").load(for: target).source
        guard case let .model(model) = draft else { Issue.record("self:2 is not a model"); return }
        let result = try QuickTune(tokens: 8).run(target: target, draft: "self:2", draftModel: model, prompt: [1, 2, 3],
                                                  sampling: .greedy, seed: 1, budget: 8, progress: { _ in }, shouldStop: { true })
        #expect(result == nil)
    }
}
