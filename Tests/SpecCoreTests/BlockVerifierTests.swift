import SpecCore
import Testing

/// One exact check of a verifier: `shape`'s trees drawn in `world`, judged by `verifier` under `rule`.
struct VerifierCase: Sendable, CustomTestStringConvertible {
    var verifier: VerifierUnderTest
    var shape: DraftShape
    var rule: VerificationRule
    var world: TinyWorld

    var testDescription: String { "\(verifier) on \(shape) by \(rule) in \(world.testDescription)" }

    /// The output's distance from the target's joint over the first `length` tokens (default: the depth, ≥ 2).
    func distance(length: Int? = nil) -> Double {
        let n = length ?? max(2, shape.depth)
        return maxDifference(exactOutput(verifier, shape, rule: rule, world: world, length: n).joint,
                             world.targetJoint(length: n))
    }
}

/// Block verification (Sun et al., ICLR 2025): exactly lossless, never
/// below token-level verification in expected accepted tokens, and the
/// paper's binary example to the digit.
@Suite("Block verification")
struct BlockVerifierTests {
    static func cases(_ v: Int, _ seeds: [UInt64], depth: Int, draft: TinyWorld.Draft = .independent,
                      verifier: VerifierUnderTest = .block) -> [VerifierCase] {
        seeds.map { VerifierCase(verifier: verifier, shape: .chain(depth: depth), rule: .chain,
                                 world: TinyWorld(vocabularySize: v, seed: $0, draftKind: draft)) }
    }

    @Test("lossless by exact enumeration: chains of depth 1–3, vocabularies of 3–5 tokens", arguments:
        cases(4, [101, 102], depth: 1) + cases(5, [103, 104], depth: 2) + cases(4, [105, 106], depth: 2)
        + cases(3, [107, 108, 109], depth: 3) + cases(4, [110], depth: 3)
        + cases(4, [111, 112], depth: 2, draft: .oneHot) + cases(3, [113], depth: 3, draft: .oneHot))
    func lossless(_ c: VerifierCase) {
        let distance = c.distance()
        #expect(distance <= 1e-9, "distance from p: \(distance)")
    }

    /// The check has teeth: drawing the final token from p instead of the
    /// residual norm(max(0, p_τ·P − Q)) after a rejection is not lossless.
    @Test("block verification without its residual correction is caught", arguments:
        cases(4, [101, 102, 105], depth: 2, verifier: .blockWithoutResidual)
        + cases(3, [107, 108], depth: 3, verifier: .blockWithoutResidual))
    func brokenVariantFails(_ c: VerifierCase) {
        let distance = c.distance()
        #expect(distance > 1e-3, "a wrong verifier came out within \(distance) of p")
    }

    /// Fixed proposals (an n-gram chain) with q one-hot: p_i is the target's
    /// probability of the whole prefix.
    @Test("deterministic proposals (n-gram chains)", arguments: [121, 122, 123] as [UInt64])
    func deterministicChains(_ seed: UInt64) {
        let world = TinyWorld(vocabularySize: 4, seed: seed)
        for tokens in [[3, 1], [2, 0, 3], [1, 1, 2]] as [[TokenID]] {
            var tree = DraftTree()
            var parent = -1
            for t in tokens { parent = tree.append(token: t, parent: parent, draftProbability: 1) }
            var verifier = BlockVerifier(vocabularySize: 4)
            var joint: [[TokenID]: Double] = [:]
            forEachOutcome(&verifier, tree, rule: .deterministic, target: world.rows(tree, world.target), draft: nil) {
                world.addExtended($0.emittedTokens, weight: $1, into: &joint, length: tree.depth)
            }
            let distance = maxDifference(joint, world.targetJoint(length: tree.depth))
            #expect(distance <= 1e-9, "chain \(tokens): distance \(distance)")
        }
    }

    /// §2's motivating example: V = {a, b}, context-free target p = (1/3, 2/3)
    /// and draft q = (2/3, 1/3), blocks of γ = 2: token-level accepts 10/9
    /// tokens per step, block verification 11/9.
    @Test("the paper's binary example: 10/9 token-level, 11/9 block")
    func binaryExample() {
        let p: [Float] = [1.0 / 3, 2.0 / 3], q: [Float] = [2.0 / 3, 1.0 / 3]
        var expected: [VerifierUnderTest: Double] = [:]
        for kind in [VerifierUnderTest.token, .block, .traversal] {
            var verifier = AnyVerifier(kind, vocabularySize: 2)
            var accepted: Double = 0
            var first: [TokenID: Double] = [:]
            for x1 in 0..<2 {
                for x2 in 0..<2 {
                    var tree = DraftTree()
                    tree.append(token: TokenID(x1), parent: -1, draftProbability: Double(q[x1]))
                    tree.append(token: TokenID(x2), parent: 0, draftProbability: Double(q[x2]))
                    let drawn = Double(q[x1]) * Double(q[x2])
                    forEachOutcome(&verifier, tree, rule: .chain, target: p + p + p, draft: q + q + q) { result, weight in
                        accepted += drawn * weight * Double(result.acceptedPath.count)
                        first[result.emittedTokens[0], default: 0] += drawn * weight
                    }
                }
            }
            expected[kind] = accepted
            #expect(abs(first[0, default: 0] - 1.0 / 3) <= 1e-7, "\(kind): first token a with \(first[0, default: 0])")
        }
        #expect(abs(expected[.token]! - 10.0 / 9) <= 1e-7, "token-level: \(expected[.token]!)")
        #expect(abs(expected[.block]! - 11.0 / 9) <= 1e-7, "block: \(expected[.block]!)")
        #expect(abs(expected[.traversal]! - 11.0 / 9) <= 1e-7, "traversal on a chain: \(expected[.traversal]!)")
    }

    /// Theorem 2's consequence, checked exactly: on 60 random worlds (V = 3–5,
    /// γ = 2–3) block verification's expected accepted length is never below
    /// token-level's, and is above it somewhere.
    @Test("never below token-level in expected accepted tokens (60 random worlds)")
    func neverWorseThanTokenLevel() {
        var gains: [Double] = []
        for seed in 0..<60 as Range<UInt64> {
            let v = 3 + Int(seed % 3)
            let depth = seed % 2 == 0 ? 2 : 3
            let world = TinyWorld(vocabularySize: v, seed: 1000 + seed)
            let shape = DraftShape.chain(depth: depth)
            let token = exactOutput(.token, shape, rule: .chain, world: world, length: 1).acceptedPerStep
            let block = exactOutput(.block, shape, rule: .chain, world: world, length: 1).acceptedPerStep
            #expect(block >= token - 1e-12, "seed \(seed): block \(block) < token \(token)")
            gains.append(block - token)
        }
        #expect(gains.contains { $0 > 1e-6 }, "block verification never gained anything")
    }

    /// On a chain, traversal verification is block verification: the same
    /// decisions, uniforms and result on every branch.
    @Test("traversal verification on a chain makes block verification's decisions", arguments: [131, 132, 133] as [UInt64])
    func traversalIsBlockOnChains(_ seed: UInt64) {
        let world = TinyWorld(vocabularySize: 4, seed: seed)
        var block = BlockVerifier(vocabularySize: 4)
        var traversal = TraversalVerifier(vocabularySize: 4)
        for (tree, _) in DraftOutcomes.all(.chain(depth: 3), world: world) {
            let target = world.rows(tree, world.target), draft = world.rows(tree, world.draft)
            var blockResults: [VerificationResult] = []
            var traversalResults: [VerificationResult] = []
            forEachOutcome(&block, tree, rule: .chain, target: target, draft: draft) { r, _ in blockResults.append(r) }
            forEachOutcome(&traversal, tree, rule: .chain, target: target, draft: draft) { r, _ in traversalResults.append(r) }
            #expect(blockResults.count == traversalResults.count)
            for (b, t) in zip(blockResults, traversalResults) {
                #expect(b.emittedTokens == t.emittedTokens && b.finalKind == t.finalKind)
                #expect(b.decisions.map(\.node) == t.decisions.map(\.node))
                for (x, y) in zip(b.decisions, t.decisions) {
                    #expect(abs(x.acceptanceProbability - y.acceptanceProbability) <= 1e-12)
                    #expect(abs((x.pathWeight ?? -1) - (y.pathWeight ?? -2)) <= 1e-12)
                }
            }
        }
    }

    @Test("refuses a tree shape with a message naming traversal")
    func refusesTrees() {
        #expect(throws: SettingsError.self) { try Verifier.block.validate(.rsdC(branching: [2, 2])) }
        do {
            try Verifier.block.validate(.specInfer(branching: [2]))
        } catch {
            #expect(error.description.contains("traversal"))
        }
        #expect(throws: Never.self) { try Verifier.block.validate(.chain(depth: 4)) }
        #expect(throws: Never.self) { try Verifier.block.validate(.rsdS(width: 1, depth: 3)) }
        #expect(throws: Never.self) { try Verifier.traversal.validate(.rsdS(width: 3, depth: 3)) }
    }
}
