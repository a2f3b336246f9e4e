import SpecCore
import Testing

/// Randomness with fixed uniforms, recording the distribution of each draw.
struct FixedRandomness: VerificationRandomness {
    var uniforms: [Double]
    var drawn: [[Double]] = []
    var token = 0

    mutating func uniform() -> Double { uniforms.removeFirst() }

    mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int {
        drawn.append(weights.map { $0 / total })
        return token
    }
}

/// Exact edge cases of the rejection rules, with scripted uniforms.
@Suite("Verifier edge cases")
struct VerifierEdgeCaseTests {
    /// A one-level tree of `tokens` under the root, each with q as given.
    func siblings(_ tokens: [TokenID], q: [Float]) -> DraftTree {
        var tree = DraftTree()
        for t in tokens { tree.append(token: t, parent: -1, draftProbability: Double(q[Int(t)])) }
        return tree
    }

    /// Rows for a one-level tree: `root` then any row per node.
    func rows(_ root: [Float], nodes: Int) -> [Float] {
        root + [Float](repeating: 1 / Float(root.count), count: root.count * nodes)
    }

    @Test func chainResidualIsNormalisedPositivePart() {
        let p: [Float] = [0.5, 0.25, 0.25, 0]
        let q: [Float] = [0.25, 0.5, 0, 0.25]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0.6])
        let result = verifier.verify(siblings([1], q: q), rule: .chain, target: rows(p, nodes: 1), draft: rows(q, nodes: 1), random: &random)
        let d = result.decisions[0]
        #expect(d.acceptanceProbability == 0.5 && !d.accepted && d.uniform == 0.6 && d.residualMass == 0.5)
        #expect(random.drawn == [[0.5, 0, 0.5, 0]])  // max(0, p − q) = (0.25, 0, 0.25, 0), mass 0.5
        #expect(result.finalKind == .resampled && result.acceptedPath.isEmpty)
    }

    /// p(x) = 0 rejects whatever the uniform.
    @Test func zeroTargetProbabilityRejects() {
        let p: [Float] = [0.5, 0.5, 0, 0]
        let q: [Float] = [0, 0, 1, 0]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0])
        let result = verifier.verify(siblings([2], q: q), rule: .recursive, target: rows(p, nodes: 1), draft: rows(q, nodes: 1), random: &random)
        #expect(result.decisions.map(\.accepted) == [false])
        #expect(result.decisions[0].acceptanceProbability == 0)
        #expect(random.drawn == [[0.5, 0.5, 0, 0]])
    }

    /// A drafted token with q(x) = 0 is skipped: no uniform, no residual
    /// change; the next sibling is tested against the unchanged p.
    @Test func zeroDraftProbabilityIsSkipped() {
        let p: [Float] = [0.25, 0.25, 0.5, 0]
        let q: [Float] = [0.5, 0.5, 0, 0]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0.4])
        let result = verifier.verify(siblings([3, 0], q: q), rule: .multiRound, target: rows(p, nodes: 2), draft: rows(q, nodes: 2), random: &random)
        #expect(result.decisions.count == 2)
        #expect(result.decisions[0].uniform == nil && !result.decisions[0].accepted && result.decisions[0].residualMass == nil)
        #expect(result.decisions[1].targetProbability == 0.25 && result.decisions[1].accepted)
        #expect(result.acceptedPath == [1] && result.finalKind == .bonus)
    }

    /// Recursive rejection: after rejecting x1 the next sibling sees
    /// p2 = norm(max(0, p − q)) and q2 = q without x1, renormalised.
    @Test func recursiveUpdatesBothResiduals() {
        let p: [Float] = [0.125, 0.375, 0.5, 0]
        let q: [Float] = [0.5, 0.25, 0.25, 0]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0.9, 0.99, 0.99])
        let result = verifier.verify(siblings([0, 1, 2], q: q), rule: .recursive, target: rows(p, nodes: 3), draft: rows(q, nodes: 3), random: &random)
        let d = result.decisions
        // Round 1: p(0)/q(0) = 0.25, rejected; residual (0, 0.125, 0.25, 0), mass 0.375.
        #expect(d[0].acceptanceProbability == 0.25 && d[0].residualMass == 0.375)
        // Round 2: p2 = (0, 1/3, 2/3, 0), q2 = (0, 0.5, 0.5, 0).
        #expect(abs(d[1].targetProbability - 1.0 / 3) < 1e-15 && d[1].draftProbability == 0.5)
        #expect(abs(d[1].acceptanceProbability - 2.0 / 3) < 1e-15 && !d[1].accepted)
        // Residual (0, 0, 1/6, 0), mass 1/6; q3 = (0, 0, 1, 0) → p3(2)/q3(2) = 1: accepted.
        #expect(abs(d[1].residualMass! - 1.0 / 6) < 1e-15)
        #expect(d[2].targetProbability == 1 && d[2].draftProbability == 1 && d[2].accepted)
        #expect(result.acceptedPath == [2])
        // The same siblings under multi-round keep q: round 2 compares with q(1) = 0.25.
        var multi = FixedRandomness(uniforms: [0.9, 0.99, 0.99])
        let m = verifier.verify(siblings([0, 1, 2], q: q), rule: .multiRound, target: rows(p, nodes: 3), draft: rows(q, nodes: 3), random: &multi)
        #expect(m.decisions[1].draftProbability == 0.25 && m.decisions[1].acceptanceProbability == 1)
    }

    /// One-hot q under the recursive rule: its only child rejected leaves no
    /// draft mass; the final token comes from p without that token.
    @Test func oneHotDraftRejected() {
        let p: [Float] = [0.25, 0.25, 0.5, 0]
        let q: [Float] = [0, 0, 1, 0]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0.7])
        let result = verifier.verify(siblings([2], q: q), rule: .recursive, target: rows(p, nodes: 1), draft: rows(q, nodes: 1), random: &random)
        #expect(!result.decisions[0].accepted && result.decisions[0].residualMass == 0.5)
        #expect(random.drawn == [[0.5, 0.5, 0, 0]])
    }

    /// Residual mass 0: p ≤ q everywhere (here p sums below 1, as rounding
    /// can make it), yet a rejection. The division is guarded: the final
    /// token is drawn from a proper distribution (q), the record says mass 0.
    @Test func zeroResidualMassIsGuarded() {
        let p: [Float] = [0.4, 0.5, 0, 0]
        let q: [Float] = [0.5, 0.5, 0, 0]
        for rule in [VerificationRule.chain, .recursive] {
            var verifier = TreeVerifier(vocabularySize: 4)
            var random = FixedRandomness(uniforms: [0.9])
            let result = verifier.verify(siblings([0], q: q), rule: rule, target: rows(p, nodes: 1), draft: rows(q, nodes: 1), random: &random)
            #expect(result.decisions[0].residualMass == 0 && !result.decisions[0].accepted)
            #expect(random.drawn == [[0.5, 0.5, 0, 0]])
            #expect(result.finalKind == .resampled)
        }
    }

    /// A bonus token is drawn from p at the accepted leaf; the path and the
    /// batch path to commit are reported.
    @Test func bonusAfterAcceptedLeaf() {
        var tree = DraftTree()
        tree.append(token: 1, parent: -1, draftProbability: 0.5)
        tree.append(token: 3, parent: 0, draftProbability: 1)
        let p: [Float] = [0, 1, 0, 0] + [0, 0, 0, 1] + [0.25, 0.25, 0.5, 0]
        let q: [Float] = [0.5, 0.5, 0, 0] + [0, 0, 0, 1] + [0.25, 0.25, 0.25, 0.25]
        var verifier = TreeVerifier(vocabularySize: 4)
        var random = FixedRandomness(uniforms: [0.99, 0.99], token: 2)
        let result = verifier.verify(tree, rule: .chain, target: p, draft: q, random: &random)
        #expect(result.acceptedPath == [0, 1] && result.acceptedTokens == [1, 3])
        #expect(result.finalKind == .bonus && result.finalToken == 2)
        #expect(random.drawn == [[0.25, 0.25, 0.5, 0]])
        #expect(result.emittedTokens == [1, 3, 2])
        #expect(result.batchPath == [0, 1, 2])
    }

    /// The real vocabulary: a verification over 49152 tokens completes and
    /// reuses its scratch across calls.
    @Test func fullVocabulary() throws {
        let v = 49_152
        var random = RandomSource(seed: 10)
        let pLogits = (0..<v).map { _ in Float(random.uniform() * 12) }
        let qLogits = pLogits.map { $0 + Float(random.uniform() * 2) }
        let parameters = SamplingParameters(temperature: 0.8)
        let p = RandomLogits.probabilities(pLogits, parameters)
        let q = RandomLogits.probabilities(qLogits, parameters)
        var verifier = TreeVerifier(vocabularySize: v)
        for shape in [DraftShape.rsdS(width: 4, depth: 3), .rsdC(branching: [4, 2, 1]), .specInfer(branching: [3, 2])] {
            let tree = try drawTree(shape, random: &random) { _ in q }
            let target = (0...tree.count).flatMap { _ in p }
            let draft = (0...tree.count).flatMap { _ in q }
            let result = verifier.verify(tree, rule: shape.method.verificationRule(greedy: false),
                                         target: target, draft: draft, random: &random)
            #expect(result.emittedTokens.count >= 1 && result.emittedTokens.count <= shape.depth + 1)
            #expect(result.decisions.allSatisfy { $0.acceptanceProbability >= 0 && $0.acceptanceProbability <= 1 })
        }
    }
}
