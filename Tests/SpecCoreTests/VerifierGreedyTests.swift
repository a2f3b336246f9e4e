import SpecCore
import Testing

/// Temperature 0: block and traversal verification with a point-mass target
/// emit exactly what token-level greedy verification emits, and their greedy
/// rule is the general algorithm run on one-hot rows (no rounding, no draws).
@Suite("Greedy block and traversal verification")
struct VerifierGreedyTests {
    static let shapes: [(DraftShape, VerificationRule)] = [
        (.chain(depth: 3), .chain), (.specInfer(branching: [2, 2]), .multiRound),
        (.rsdC(branching: [3, 1]), .recursive), (.rsdS(width: 2, depth: 2), .recursive),
    ]

    @Test("same output as token-level greedy, and as the sampled rule on one-hot rows", arguments: [301, 302, 303] as [UInt64])
    func matchesGreedy(_ seed: UInt64) {
        let world = TinyWorld(vocabularySize: 4, seed: seed)
        func oneHot(_ context: [TokenID]) -> [Double] {
            let p = world.target(context)
            let best = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!
            return p.indices.map { $0 == best ? 1 : 0 }
        }
        for (shape, rule) in Self.shapes {
            for kind in [VerifierUnderTest.block, .traversal] where kind == .traversal || shape.draftsChain {
                var verifier = AnyVerifier(kind, vocabularySize: 4)
                var token = TreeVerifier(vocabularySize: 4)
                for (tree, _) in DraftOutcomes.all(shape, world: world) {
                    let target = world.rows(tree, oneHot), draft = world.rows(tree, world.draft)
                    var none = NoRandomness()
                    let greedy = target.withUnsafeBufferPointer { t in
                        draft.withUnsafeBufferPointer { d in
                            verifier.verify(tree, rule: .greedy, target: NodeDistributions(rows: t, vocabularySize: 4),
                                            draft: NodeDistributions(rows: d, vocabularySize: 4), random: &none)
                        }
                    }
                    let reference = token.verify(tree, rule: .greedy, target: target, draft: nil, random: &none)
                    #expect(greedy.emittedTokens == reference.emittedTokens, "\(kind) \(shape) tree \(structureKey(tree))")
                    #expect(greedy.acceptedPath == reference.acceptedPath)
                    var outcomes = 0
                    forEachOutcome(&verifier, tree, rule: rule, target: target, draft: draft) { result, weight in
                        guard weight > 0 else { return }
                        outcomes += 1
                        #expect(weight == 1 && result.emittedTokens == greedy.emittedTokens,
                                "\(kind) \(shape): the sampled rule on one-hot rows differs from greedy")
                    }
                    #expect(outcomes == 1)
                }
            }
        }
    }
}
