import Foundation
import SpecCore
import SpecModels
import Testing

/// The dynamic tree (EAGLE-2) on the real pair: greedy speculative output
/// equals plain greedy decoding of the 1.5B on three prompts × 64 tokens, the
/// draft's KV cache stays right (acceptance well above one token per call,
/// which a draft committing the wrong cache rows would not reach), and a
/// sampled run reports its cut branches consistently.
@Suite(.serialized) struct PairDynamicGreedyTests {
    static let shape = DraftShape.dynamic(budget: 8, width: 3, depth: 6)

    @Test func theDynamicTreeReproducesPlainGreedyOnThePair() throws {
        let (targetWeights, draftWeights) = try PairGreedyTests.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let draft = try Transformer(weights: draftWeights, contextLength: 512, maxBatch: target.maxBatch)
        var efficiency = 0.0
        var cut = 0
        for request in PairGreedyTests.requests {
            let prompt = PairGreedyTests.prompt(request, tokenizer: tokenizer)
            let expected = try PairGreedyTests.plainGreedy(target, prompt: prompt)
            target.reset()
            draft.reset()
            let decoder = try SpeculativeDecoder(target: target, draft: .model(draft), shape: Self.shape, sampling: .greedy,
                                                 prompt: prompt, seed: 1)
            let tokens = try PairGreedyTests.emitted(by: decoder) { if case let .branchesCut(_, branches) = $0 { cut += branches.count } }
            #expect(tokens == expected, "\(Self.shape.label) on '\(request.prefix(30))…': differs from plain greedy")
            #expect(decoder.statistics.steps > 0)
            efficiency += decoder.statistics.blockEfficiency
        }
        #expect(efficiency / Double(PairGreedyTests.requests.count) > 2, "block efficiency \(efficiency / 3)")
        #expect(cut > 0, "the rerank never cut a branch: the budget never bound")
    }

    /// At T = 0.8: every step's tree stays within the budget, the kept levels
    /// and the cut branches name valid parents, and the accepted path is in the tree.
    @Test func aSampledRunReportsItsCutBranches() throws {
        let (targetWeights, draftWeights) = try PairGreedyTests.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let draft = try Transformer(weights: draftWeights, contextLength: 512, maxBatch: target.maxBatch)
        let prompt = PairGreedyTests.prompt(PairGreedyTests.requests[2], tokenizer: tokenizer)
        let decoder = try SpeculativeDecoder(target: target, draft: .model(draft), shape: Self.shape,
                                             sampling: SamplingParameters(temperature: 0.8), prompt: prompt, seed: 7)
        var emitted = 0
        for _ in 0..<8 {
            var nodes: [DraftNodeRecord] = []
            var branches: [CutBranch] = []
            var summary: StepSummary?
            emitted += try decoder.step { event in
                switch event {
                case let .levelDrafted(_, _, new, _): nodes += new
                case let .branchesCut(_, cut): branches += cut
                case let .stepFinished(s): summary = s
                default: break
                }
            }.count
            let s = try #require(summary)
            #expect(nodes.count == s.treeSize && s.treeSize <= 8)
            #expect(nodes.map(\.index).sorted() == Array(0..<nodes.count))
            #expect(branches.allSatisfy { $0.parent >= -1 && $0.parent < nodes.count && $0.pathProbability > 0 })
            #expect(s.acceptedPath.allSatisfy { $0 < nodes.count })
        }
        #expect(emitted >= 8)
    }
}
