import SpecCore
import Testing

/// Added evidence, end to end with real randomness: draw trees with
/// `DraftTreeBuilder` and verify them with `TreeVerifier`, both driven by
/// `RandomSource`, and compare the first two emitted tokens (continued with p
/// when a step emits one) with p(x1)·p(x2 | x1) by chi-square.
@Suite("Verifiers, sampled end to end")
struct VerifierChiSquareTests {
    @Test(arguments: [
        DraftShape.chain(depth: 2), .specInfer(branching: [2, 2]), .rsdC(branching: [2, 2]), .rsdS(width: 2, depth: 2),
    ])
    func firstTwoTokensFollowTarget(_ shape: DraftShape) throws {
        let world = TinyWorld(vocabularySize: 4, seed: 71)
        let rule = shape.method.verificationRule(greedy: false)
        let table = WorldTable(world, depth: 2)
        let n = 30_000
        var random = RandomSource(seed: 8)
        var verifier = TreeVerifier(vocabularySize: 4)
        var observed: [[TokenID]: Int] = [:]
        for _ in 0..<n {
            let tree = try drawTree(shape, random: &random) { table.draft[$0]! }
            let result = verifier.verify(tree, rule: rule, target: table.rows(tree, table.target),
                                         draft: table.rows(tree, table.draft), random: &random)
            var tokens = result.emittedTokens
            while tokens.count < 2 {
                let p = table.target[tokens]!
                tokens.append(TokenID(p.withUnsafeBufferPointer { Sampler.draw(from: $0, uniform: random.uniform()) }))
            }
            observed[Array(tokens.prefix(2)), default: 0] += 1
        }
        let expected = world.targetJoint(length: 2)
        let (statistic, df, impossible) = Statistics.chiSquare(observed: observed, expected: expected, samples: n)
        #expect(!impossible, "emitted a sequence p gives probability 0")
        #expect(statistic <= Statistics.chiSquareThreshold(degreesOfFreedom: df), "chi-square \(statistic), df \(df)")
    }
}
