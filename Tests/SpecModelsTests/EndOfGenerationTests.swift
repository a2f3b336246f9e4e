import Foundation
import SpecCore
import SpecModels
import Testing

/// Generation ends at the first stop token, also in the middle of an accepted
/// block: the rest of the block is dropped, for every drafting method, and
/// the output equals plain decoding's, which stops at the same token.
@Suite(.serialized) struct EndOfGenerationTests {
    static let prompt: [TokenID] = SpeculativeGreedyTests.prompts[0]
    static let shapes: [DraftShape] = [.chain(depth: 4), .specInfer(branching: [2, 1, 1, 1]), .rsdC(branching: [2, 1, 1, 1]), .rsdS(width: 2, depth: 4)]

    /// Plain greedy output without a stop token, and a stop token that first
    /// appears at index 2 of it (inside the first block of a perfect draft).
    static func plainAndStop() throws -> (tokens: [TokenID], stop: TokenID, index: Int) {
        let model = try TestSupport.defaultModel()
        var decoder = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 0)
        let tokens = try (0..<12).map { _ in try decoder.next() }
        let index = try #require(tokens.indices.first { tokens.firstIndex(of: tokens[$0]) == $0 && $0 >= 2 })
        return (tokens, tokens[index], index)
    }

    @Test func plainDecodingStopsAtTheStopToken() throws {
        let (tokens, stop, index) = try Self.plainAndStop()
        let model = try TestSupport.defaultModel()
        var decoder = try AutoregressiveDecoder(model: model, prompt: Self.prompt, sampling: .greedy, seed: 0, stopTokens: [stop])
        var out: [TokenID] = []
        while !decoder.isFinished { out.append(try decoder.next()) }
        #expect(out == Array(tokens[...index]))
        let committed = model.committedCount
        #expect(try decoder.next() == stop, "a finished decoder returns its stop token again")
        #expect(model.committedCount == committed, "and makes no model call")
    }

    @Test(arguments: shapes)
    func aBlockWithAStopTokenInTheMiddleEndsThere(shape: DraftShape) throws {
        let (tokens, stop, index) = try Self.plainAndStop()
        let target = try TestSupport.defaultModel()
        // The target as its own draft: the whole first block (5 tokens) is accepted.
        let (source, _) = try DraftSpecification("self:30").load(for: target)
        let decoder = try SpeculativeDecoder(target: target, draft: source, shape: shape, sampling: .greedy,
                                             prompt: Self.prompt, seed: 1, stopTokens: [stop])
        var emittedEvents: [TokenID] = []
        let first = try decoder.step { event in
            if case let .tokenEmitted(_, token, _) = event { emittedEvents.append(token) }
        }
        #expect(first == Array(tokens[...index]), "\(shape.label): the block ends at the stop token")
        #expect(emittedEvents == first, "\(shape.label): no event for the dropped tokens")
        #expect(decoder.isFinished)
        #expect(decoder.history == Self.prompt + first)
        #expect(decoder.statistics.emittedTokens == first.count)
        #expect(try decoder.step().isEmpty, "a finished decoder emits nothing")
        #expect(decoder.stepIndex == 1)
    }

    @Test func withoutStopTokensTheBlockIsWhole() throws {
        let (tokens, _, _) = try Self.plainAndStop()
        let target = try TestSupport.defaultModel()
        let (source, _) = try DraftSpecification("self:30").load(for: target)
        let decoder = try SpeculativeDecoder(target: target, draft: source, shape: .chain(depth: 4), sampling: .greedy,
                                             prompt: Self.prompt, seed: 1)
        #expect(try decoder.step() == Array(tokens[..<5]))
        #expect(!decoder.isFinished)
    }
}
