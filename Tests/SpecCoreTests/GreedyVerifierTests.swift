import SpecCore
import Testing

/// Random logits for a toy target and a noisy draft of it, per context.
struct RandomLogits {
    let vocabularySize: Int
    let seed: UInt64

    /// The target's logits at `context`.
    func target(_ context: [TokenID]) -> [Float] {
        var random = RandomSource(seed: hash(context))
        return (0..<vocabularySize).map { _ in Float(random.uniform() * 8 - 4) }
    }

    /// The draft's: the target's plus noise, so they often but not always agree.
    func draft(_ context: [TokenID]) -> [Float] {
        var random = RandomSource(seed: hash(context) ^ 0xDEAD_BEEF)
        return target(context).map { $0 + Float(random.uniform() * 3) }
    }

    /// Processed probabilities of `logits` under `parameters`.
    static func probabilities(_ logits: [Float], _ parameters: SamplingParameters) -> [Float] {
        var p = [Float](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { l in
            p.withUnsafeMutableBufferPointer { Sampler.probabilities(from: l, parameters: parameters, into: $0) }
        }
        return p
    }

    private func hash(_ context: [TokenID]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for t in context { h = (h ^ UInt64(t + 1)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// No randomness at all: the greedy rule must never ask for any.
struct NoRandomness: VerificationRandomness {
    mutating func uniform() -> Double { Issue.record("greedy drew a uniform"); return 0 }
    mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int {
        Issue.record("greedy drew a token"); return 0
    }
}

@Suite("Greedy verification")
struct GreedyVerifierTests {
    static let shapes: [DraftShape] = [
        .chain(depth: 4), .specInfer(branching: [3, 2]), .rsdC(branching: [3, 2, 1]), .rsdS(width: 3, depth: 3),
    ]

    /// The golden test: speculative greedy decoding over random logits, with
    /// trees drawn from a tempered draft so that they disagree with the target
    /// often, emits exactly the argmax chain plain greedy decoding emits.
    @Test("emits exactly the greedy argmax chain", arguments: shapes)
    func equalsPlainGreedy(_ shape: DraftShape) throws {
        let v = 50, length = 80
        let logits = RandomLogits(vocabularySize: v, seed: 77)
        var plain: [TokenID] = []
        while plain.count < length {
            let l = logits.target(plain)
            plain.append(TokenID(l.withUnsafeBufferPointer { Sampler.argmax($0) }))
        }

        var emitted: [TokenID] = []
        var verifier = TreeVerifier(vocabularySize: v)
        var random = RandomSource(seed: 5)
        var accepted = 0, resampled = 0
        while emitted.count < length {
            let context = emitted
            let tree = try drawTree(shape, random: &random) { path in
                RandomLogits.probabilities(logits.draft(context + path), SamplingParameters(temperature: 1))
            }
            var target = RandomLogits.probabilities(logits.target(emitted), .greedy)
            for i in 0..<tree.count {
                target += RandomLogits.probabilities(logits.target(emitted + tree.tokens(to: i)), .greedy)
            }
            var none = NoRandomness()
            let result = verifier.verify(tree, rule: .greedy, target: target, draft: nil, random: &none)
            let last = result.acceptedPath.last ?? -1
            #expect(result.finalKind == (tree.children(of: last).isEmpty ? .bonus : .resampled))
            emitted += result.emittedTokens
            accepted += result.acceptedPath.count
            if result.finalKind == .resampled { resampled += 1 }
        }
        #expect(Array(emitted.prefix(length)) == plain)
        #expect(accepted > 0, "the draft never agreed: the test would not exercise acceptance")
        #expect(resampled > 0, "the draft never disagreed: the test would not exercise rejection")
    }

    /// Sibling order matters: the first child equal to argmax p is accepted,
    /// and every earlier sibling is recorded as rejected.
    @Test func acceptsFirstMatchingSibling() {
        var tree = DraftTree()
        tree.append(token: 2, parent: -1, draftProbability: 0.5)
        tree.append(token: 1, parent: -1, draftProbability: 0.3)
        tree.append(token: 1, parent: -1, draftProbability: 0.3)
        let p: [Float] = [0, 1, 0, 0]
        let rows = p + [Float](repeating: 0.25, count: 12)
        var verifier = TreeVerifier(vocabularySize: 4)
        var none = NoRandomness()
        let result = verifier.verify(tree, rule: .greedy, target: rows, draft: nil, random: &none)
        #expect(result.acceptedPath == [1])
        #expect(result.decisions.map(\.accepted) == [false, true])
        #expect(result.finalKind == .bonus)
        #expect(result.finalToken == 0)  // argmax of a flat row: the lowest index
    }
}
