import SpecCore
import Testing

/// The top entries every verifier records at each decision, checked against
/// brute force on small vocabularies: a full sort of the exact residuals the
/// rules define (DESIGN.md), computed here independently of the verifiers.
@Suite("Decision distributions")
struct DecisionDistributionsTests {
    // No ties among the values, so the order is unambiguous.
    static let p: [Double] = [0.30, 0.04, 0.21, 0.11, 0.25, 0.09]
    static let q: [Double] = [0.10, 0.30, 0.05, 0.35, 0.12, 0.08]

    /// Brute force: the `k` largest positive entries of `v / Σ v`, by a full sort.
    static func top(_ v: [Double], k: Int = TopEntries.defaultCount) -> TopEntries {
        let total = v.reduce(0, +)
        guard total > 0 else { return TopEntries() }
        let order = v.indices.filter { v[$0] > 0 }.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(k)
        return TopEntries(tokens: order.map { TokenID($0) }, probabilities: order.map { v[$0] / total })
    }

    static func expectClose(_ a: TopEntries?, _ b: TopEntries?, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let a, let b else {
            #expect(a == nil && b == nil, "\(what): one is missing", sourceLocation: sourceLocation)
            return
        }
        #expect(a.tokens == b.tokens, "\(what) tokens", sourceLocation: sourceLocation)
        for (x, y) in zip(a.probabilities, b.probabilities) {
            #expect(abs(x - y) < 1e-6, "\(what): \(x) vs \(y)", sourceLocation: sourceLocation)
        }
    }

    /// Root siblings `tokens` with the root's q.
    static func siblings(_ tokens: [TokenID]) -> DraftTree {
        var tree = DraftTree()
        for t in tokens { tree.append(token: t, parent: -1, draftProbability: q[Int(t)]) }
        return tree
    }

    /// Rows by batch index: the root's, then a uniform row per node.
    static func rows(_ root: [Double], nodes: Int) -> [Float] {
        root.map(Float.init) + [Float](repeating: 1 / Float(root.count), count: root.count * nodes)
    }

    @Test(arguments: [1, 3, 8, 40])
    func partialSelectionEqualsASort(k: Int) {
        var random = RandomSource(seed: 7)
        for _ in 0..<20 {
            let v = (0..<97).map { _ in Double(random.next() % 1000) / 1000 }
            let floats = v.map(Float.init)
            let total = v.reduce(0, +)
            let fromFloats = floats.withUnsafeBufferPointer { TopEntries.of($0, count: k) }
            let fromDoubles = v.withUnsafeBufferPointer { TopEntries.of($0, total: total, count: k) }
            // Floats: compare with the brute force of the rounded values, unnormalised.
            let expected = Self.top(floats.map(Double.init), k: k)
            #expect(fromFloats.tokens == expected.tokens)
            Self.expectClose(fromDoubles, Self.top(v, k: k), "doubles")
        }
    }

    @Test func residualSelectionEqualsTheNormalisedPositivePart() {
        let p = Self.p.map(Float.init), q = Self.q.map(Float.init)
        let top = p.withUnsafeBufferPointer { pp in q.withUnsafeBufferPointer { qq in TopEntries.residual(pp, times: 0.8, minus: qq, times: 1) } }
        let brute = Self.top(zip(Self.p, Self.q).map { max(0, 0.8 * Double(Float($0)) - Double(Float($1))) })
        Self.expectClose(top, brute, "residual")
    }

    /// Rejects every sibling (u just below 1) and checks each round's pi, qi,
    /// p(i+1), q(i+1) and the final draw against the rule by brute force.
    @Test(arguments: [VerificationRule.multiRound, .recursive])
    func everyRoundRecordsItsDistributions(rule: VerificationRule) {
        let children: [TokenID] = [1, 3, 5]
        var verifier = TreeVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [0.999, 0.999, 0.999])
        let result = verifier.verify(Self.siblings(children), rule: rule, target: Self.rows(Self.p, nodes: 3),
                                     draft: Self.rows(Self.q, nodes: 3), random: &random)
        #expect(result.decisions.count == 3 && result.decisions.allSatisfy { !$0.accepted })
        var pi = Self.p.map { Double(Float($0)) }, qi = Self.q.map { Double(Float($0)) }
        for (round, d) in result.decisions.enumerated() {
            let x = Int(children[round])
            let dist = try! #require(d.distributions)
            Self.expectClose(dist.target, Self.top(pi), "p\(round + 1)")
            Self.expectClose(dist.draft, Self.top(qi), "q\(round + 1)")
            #expect(dist.draftRenormalised == (rule == .recursive && round > 0))
            let residual = zip(pi, qi).map { max(0, $0 - $1) }
            Self.expectClose(dist.residual, Self.top(residual), "residual after round \(round + 1)")
            pi = residual.map { $0 / residual.reduce(0, +) }
            if rule == .recursive {
                var next = qi
                next[x] = 0
                let mass = next.reduce(0, +)
                qi = next.map { $0 / mass }
                Self.expectClose(dist.updatedDraft, Self.top(qi), "q\(round + 2)")
            } else {
                #expect(dist.updatedDraft == nil)
            }
        }
        let draw = try! #require(result.finalDraw)
        #expect(draw.kind == .resampled && draw.source == .residual && draw.parent == -1 && draw.token == result.finalToken)
        Self.expectClose(draw.distribution, Self.top(pi), "the final residual")
    }

    @Test func anAcceptedLeafDrawsABonusFromP() {
        var tree = DraftTree()
        tree.append(token: 0, parent: -1, draftProbability: Self.q[0])
        var verifier = TreeVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [0])
        let leafP: [Double] = [0.05, 0.5, 0.1, 0.15, 0.2, 0]
        let target = Self.rows(Self.p, nodes: 0) + leafP.map(Float.init)
        let result = verifier.verify(tree, rule: .chain, target: target, draft: Self.rows(Self.q, nodes: 1), random: &random)
        #expect(result.decisions.map(\.accepted) == [true])
        #expect(result.decisions[0].distributions?.residual == nil)
        let draw = try! #require(result.finalDraw)
        #expect(draw.kind == .bonus && draw.source == .target && draw.parent == 0)
        Self.expectClose(draw.distribution, Self.top(leafP.map { Double(Float($0)) }), "p at the leaf")
    }

    @Test func greedyNamesTheArgmax() {
        let oneHot: [Double] = [0, 0, 0, 0, 1, 0]
        var verifier = TreeVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [])
        let result = verifier.verify(Self.siblings([1, 3]), rule: .greedy, target: Self.rows(oneHot, nodes: 2), draft: nil, random: &random)
        #expect(result.decisions.count == 2)
        for d in result.decisions {
            #expect(d.distributions?.target.tokens.first == 4)
            #expect(d.distributions?.draft == nil)
        }
        #expect(result.finalDraw?.source == .argmax && result.finalDraw?.token == 4)
    }

    @Test func deterministicProposalsRemoveTheRejectedToken() {
        var verifier = TreeVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [0.999, 0.999])
        let result = verifier.verify(Self.siblings([0, 2]), rule: .deterministic, target: Self.rows(Self.p, nodes: 2), draft: nil, random: &random)
        let d0 = try! #require(result.decisions.first?.distributions)
        #expect(d0.draft == .pointMass(0))
        var rest = Self.p.map { Double(Float($0)) }
        rest[0] = 0
        Self.expectClose(d0.residual, Self.top(rest), "p without the proposal")
    }

    @Test func blockVerificationRecordsTheResidualAtEachPosition() {
        // A chain x1 = 0, x2 = 4; rows by batch index: root, node 0, node 1.
        var tree = DraftTree()
        tree.append(token: 0, parent: -1, draftProbability: Self.q[0])
        tree.append(token: 4, parent: 0, draftProbability: 0.25)
        let p1: [Double] = [0.1, 0.2, 0.3, 0.15, 0.2, 0.05]
        let q1: [Double] = [0.3, 0.1, 0.2, 0.1, 0.25, 0.05]
        let target = (Self.p + p1 + Self.p).map(Float.init)
        let draft = (Self.q + q1 + Self.q).map(Float.init)
        var verifier = BlockVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [0.999, 0.999])
        let result = target.withUnsafeBufferPointer { t in
            draft.withUnsafeBufferPointer { d in
                verifier.verify(tree, rule: .chain, target: NodeDistributions(rows: t, vocabularySize: 6),
                                draft: NodeDistributions(rows: d, vocabularySize: 6), random: &random)
            }
        }
        let f = { (v: [Double]) in v.map { Double(Float($0)) } }
        // i = 2 (h = p_2 = 0.8, rejected), then i = 1 (p_1 = 1, r > 0: h = 1, accepted).
        #expect(result.decisions.map(\.node) == [1, 0])
        #expect(result.decisions.map(\.accepted) == [false, true])
        let last = try! #require(result.decisions[0].distributions)
        Self.expectClose(last.target, Self.top(f(p1)), "P_2")
        Self.expectClose(last.draft, Self.top(f(q1)), "Q_2")
        #expect(last.residual == nil)
        let first = try! #require(result.decisions[1].distributions)
        Self.expectClose(first.target, Self.top(f(Self.p)), "P_1")
        let residual = zip(f(p1), f(q1)).map { max(0, $0 - $1) }
        Self.expectClose(first.residual, Self.top(residual), "residual at x_1")
        #expect(result.finalDraw?.source == .residual)
        Self.expectClose(result.finalDraw?.distribution, Self.top(residual), "the final draw's residual")
    }

    @Test func traversalRecordsTheRowsAtTheParent() {
        let children: [TokenID] = [1, 3]
        var verifier = TraversalVerifier(vocabularySize: 6)
        var random = FixedRandomness(uniforms: [0.999, 0.999, 0.999, 0.999])
        let target = Self.rows(Self.p, nodes: 2), draft = Self.rows(Self.q, nodes: 2)
        let result = target.withUnsafeBufferPointer { t in
            draft.withUnsafeBufferPointer { d in
                verifier.verify(Self.siblings(children), rule: .multiRound, target: NodeDistributions(rows: t, vocabularySize: 6),
                                draft: NodeDistributions(rows: d, vocabularySize: 6), random: &random)
            }
        }
        let f = { (v: [Double]) in v.map { Double(Float($0)) } }
        #expect(!result.decisions.isEmpty)
        for d in result.decisions {
            let dist = try! #require(d.distributions)
            Self.expectClose(dist.target, Self.top(f(Self.p)), "p at the root")
            Self.expectClose(dist.draft, Self.top(f(Self.q)), "q at the root")
        }
        #expect(result.finalDraw?.token == result.finalToken)
    }

    @Test func recordingCanBeSwitchedOffAndChangesNothingElse() {
        var on = TreeVerifier(vocabularySize: 6)
        var off = TreeVerifier(vocabularySize: 6)
        off.recordsDistributions = false
        var r1 = FixedRandomness(uniforms: [0.999, 0.5, 0.2]), r2 = r1
        let a = on.verify(Self.siblings([1, 3, 5]), rule: .recursive, target: Self.rows(Self.p, nodes: 3),
                          draft: Self.rows(Self.q, nodes: 3), random: &r1)
        let b = off.verify(Self.siblings([1, 3, 5]), rule: .recursive, target: Self.rows(Self.p, nodes: 3),
                           draft: Self.rows(Self.q, nodes: 3), random: &r2)
        #expect(b.finalDraw == nil && b.decisions.allSatisfy { $0.distributions == nil })
        var stripped = a
        stripped.finalDraw = nil
        for i in stripped.decisions.indices { stripped.decisions[i].distributions = nil }
        #expect(stripped == b)
    }
}
