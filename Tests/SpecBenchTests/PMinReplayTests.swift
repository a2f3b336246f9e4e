import Foundation
import SpecBench
import SpecCore
import SpecModels
import Testing

/// The ground under tune's p-min search: a chain recorded without p-min
/// (its draft wrapped in `ConfidenceRecorder`) predicts, step for step, what
/// the real decoder drafts, accepts and calls with p-min, on the real default
/// model with a weak self-draft (so that confidences vary).
@Suite("PMinReplay", .serialized)
struct PMinReplayTests {
    @Test func theTopProbabilityIsTheSoftmaxsLargestEntry() {
        var scaled: [Float] = [], scratch: [Float] = []
        let logits: [Float] = [0, Float(log(3.0)), -Float.infinity]
        logits.withUnsafeBufferPointer { l in
            // softmax(0, ln 3, −∞) = (1/4, 3/4, 0); at T = 2: (1, √3, 0) / (1 + √3).
            #expect(abs(ConfidenceRecorder.topProbability(l, temperature: 0, scaled: &scaled, scratch: &scratch) - 0.75) < 1e-6)
            #expect(abs(ConfidenceRecorder.topProbability(l, temperature: 1, scaled: &scaled, scratch: &scratch) - 0.75) < 1e-6)
            #expect(abs(ConfidenceRecorder.topProbability(l, temperature: 2, scaled: &scaled, scratch: &scratch) - sqrt(3) / (1 + sqrt(3))) < 1e-6)
        }
    }

    static let prompts = ["Once upon a time", "def fibonacci(n):", "The capital of France is", "1, 2, 3, 4,",
                          "import numpy as np\n", "Dear Sir or Madam,"]

    /// One first step from the prompt: the tree size, the accepted count and the draft's calls (rows of logits, one per call in a chain).
    static func firstStep(target: Transformer, draft: any LanguageModel, prompt: [TokenID], sampling: SamplingParameters,
                          pMin: Double) throws -> (summary: StepSummary, recorder: ConfidenceRecorder) {
        target.reset()
        draft.reset()
        let recorder = ConfidenceRecorder(draft, temperature: sampling.isGreedy ? 1 : sampling.temperature)
        let decoder = try SpeculativeDecoder(target: target, draft: .model(recorder), shape: .chain(depth: 4), sampling: sampling,
                                             prompt: prompt, seed: 5, pMin: pMin)
        recorder.clear()  // the prefill's row
        var summary: StepSummary?
        try decoder.step { if case let .stepFinished(s) = $0 { summary = s } }
        return (try #require(summary), recorder)
    }

    @Test(arguments: [0.0, 0.8])
    func theReplayPredictsTheDecodersOwnStops(temperature: Double) throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let tokenizer = try Tokenizer(file: file)
        let target = try Transformer(weights: try TransformerWeights(file: file), contextLength: 256)
        guard case let .model(draft) = try DraftSpecification("self:4").load(for: target).source else { Issue.record("no model"); return }
        let sampling = SamplingParameters(temperature: temperature, topK: 0, topP: 1)
        var drafted: Set<Int> = []
        for text in Self.prompts {
            let prompt = tokenizer.encode(text)
            let (recorded, recorder) = try Self.firstStep(target: target, draft: draft, prompt: prompt, sampling: sampling, pMin: 0)
            let step = PMinChainModel.Step(confidences: recorder.confidences, accepted: recorded.acceptedPath.count)
            #expect(step.confidences.count == 4, "the root and nodes 1–3 of a depth-4 chain")
            for pMin in [0.2, 0.4, 0.6, 0.8] {
                let (actual, calls) = try Self.firstStep(target: target, draft: draft, prompt: prompt, sampling: sampling, pMin: pMin)
                let k = step.drafted(depth: 4, pMin: pMin)
                drafted.insert(k)
                #expect(actual.treeSize == k, "'\(text)' p-min \(pMin): confidences \(step.confidences)")
                #expect(calls.rows == 1 + min(k, 3), "draft calls, '\(text)' p-min \(pMin)")
                if sampling.isGreedy {
                    // Greedy acceptance does not depend on p-min; sampled acceptance draws
                    // its uniforms after a tree of another size, so it agrees only in distribution.
                    #expect(actual.acceptedPath.count == min(step.accepted, k), "'\(text)' p-min \(pMin)")
                }
            }
        }
        #expect(drafted.count >= 3, "stops at several depths, or the test shows little: \(drafted.sorted())")
    }
}
