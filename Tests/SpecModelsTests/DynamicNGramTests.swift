import SpecCore
import SpecModels
import Testing

/// A dynamic shape with an n-gram draft: the continuations are fixed
/// proposals already, so the budget B only caps the tree (k continuations of
/// up to D tokens would exceed it); greedy output still equals plain greedy.
@Suite struct DynamicNGramTests {
    @Test func theBudgetCapsAnNGramTreeAndGreedyOutputIsUnchanged() throws {
        let model = try TestSupport.defaultModel(context: 512)
        // A repetitive prompt so that the n-gram draft finds matches.
        let prompt: [TokenID] = Array(repeating: [504, 3458, 30, 1015, 260, 8216], count: 6).flatMap { $0 }
        var plain = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 0)
        let expected = try (0..<32).map { _ in try plain.next() }
        model.reset()
        let decoder = try SpeculativeDecoder(target: model, draft: .ngram(try NGramDrafter(maxN: 3)),
                                             shape: .dynamic(budget: 3, width: 4, depth: 8), sampling: .greedy, prompt: prompt, seed: 1)
        var tokens: [TokenID] = []
        var largest = 0
        while tokens.count < 32 {
            tokens += try decoder.step { if case let .stepFinished(s) = $0 { largest = max(largest, s.treeSize) } }
        }
        #expect(Array(tokens.prefix(32)) == expected)
        #expect(largest == 3, "the budget of 3 should bind on a repetitive text: largest tree \(largest)")
    }
}
