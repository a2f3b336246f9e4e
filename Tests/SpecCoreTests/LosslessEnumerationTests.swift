import SpecCore
import Testing

/// One exact check: draw `shape`'s trees in `world`, verify with `rule`.
struct EnumerationCase: Sendable, CustomTestStringConvertible {
    var shape: DraftShape
    var rule: VerificationRule
    var world: TinyWorld

    var testDescription: String { "\(shape) by \(rule) in \(world.testDescription)" }
}

/// The strongest evidence that the verifiers are lossless: on a tiny
/// vocabulary, every draft outcome (every ordered sample of children, with
/// or without replacement, or every stochastic-beam-search tree) with its
/// exact probability, times every accept/reject branch and every final draw,
/// summed into the exact distribution of the first L emitted tokens (L the
/// tree depth; continued with p when a step emits fewer). It must equal the
/// target's joint p(x1)·p(x2 | x1)⋯ to 1e-9.
@Suite("Losslessness by exact enumeration")
struct LosslessEnumerationTests {
    static func worlds(_ v: Int, _ seeds: [UInt64], draft: TinyWorld.Draft = .independent) -> [TinyWorld] {
        seeds.map { TinyWorld(vocabularySize: v, seed: $0, draftKind: draft) }
    }

    static let chainCases: [EnumerationCase] =
        worlds(4, [1, 2, 3]).map { EnumerationCase(shape: .chain(depth: 1), rule: .chain, world: $0) }
        + worlds(4, [4, 5]).map { EnumerationCase(shape: .chain(depth: 2), rule: .chain, world: $0) }
        + worlds(3, [6, 7]).map { EnumerationCase(shape: .chain(depth: 3), rule: .chain, world: $0) }

    static let specInferCases: [EnumerationCase] =
        worlds(4, [11, 12]).map { EnumerationCase(shape: .specInfer(branching: [2]), rule: .multiRound, world: $0) }
        + worlds(4, [13, 14]).map { EnumerationCase(shape: .specInfer(branching: [3]), rule: .multiRound, world: $0) }
        + worlds(3, [15, 16]).map { EnumerationCase(shape: .specInfer(branching: [2, 2]), rule: .multiRound, world: $0) }

    static let rsdCCases: [EnumerationCase] =
        worlds(4, [21, 22]).map { EnumerationCase(shape: .rsdC(branching: [2]), rule: .recursive, world: $0) }
        + worlds(4, [23, 24]).map { EnumerationCase(shape: .rsdC(branching: [3]), rule: .recursive, world: $0) }
        + worlds(3, [25, 26]).map { EnumerationCase(shape: .rsdC(branching: [2, 2]), rule: .recursive, world: $0) }

    static let rsdSCases: [EnumerationCase] =
        worlds(3, [31, 32, 33]).map { EnumerationCase(shape: .rsdS(width: 2, depth: 2), rule: .recursive, world: $0) }
        + worlds(4, [34]).map { EnumerationCase(shape: .rsdS(width: 2, depth: 2), rule: .recursive, world: $0) }
        + worlds(4, [35]).map { EnumerationCase(shape: .rsdS(width: 1, depth: 2), rule: .recursive, world: $0) }
        + worlds(4, [36]).map { EnumerationCase(shape: .rsdS(width: 3, depth: 1), rule: .recursive, world: $0) }

    /// An n-gram drafter: q one-hot. Without replacement it yields one child;
    /// with replacement, duplicates of it.
    static let oneHotCases: [EnumerationCase] =
        worlds(4, [41, 42], draft: .oneHot).map { EnumerationCase(shape: .chain(depth: 2), rule: .chain, world: $0) }
        + worlds(4, [43], draft: .oneHot).map { EnumerationCase(shape: .specInfer(branching: [2]), rule: .multiRound, world: $0) }
        + worlds(3, [44], draft: .oneHot).map { EnumerationCase(shape: .specInfer(branching: [2, 2]), rule: .multiRound, world: $0) }
        + worlds(4, [45], draft: .oneHot).map { EnumerationCase(shape: .rsdC(branching: [2]), rule: .recursive, world: $0) }
        + worlds(3, [46], draft: .oneHot).map { EnumerationCase(shape: .rsdC(branching: [2, 2]), rule: .recursive, world: $0) }
        + worlds(3, [47], draft: .oneHot).map { EnumerationCase(shape: .rsdS(width: 2, depth: 2), rule: .recursive, world: $0) }

    @Test("chain (Leviathan/Chen), depth 1, 2, 3", arguments: chainCases)
    func chain(_ c: EnumerationCase) { expectLossless(c) }

    @Test("SpecInfer multi-round, branching (2), (3), (2, 2)", arguments: specInferCases)
    func specInfer(_ c: EnumerationCase) { expectLossless(c) }

    @Test("RSD-C recursive rejection sampling, branching (2), (3), (2, 2)", arguments: rsdCCases)
    func rsdC(_ c: EnumerationCase) { expectLossless(c) }

    @Test("RSD-S stochastic beam search with recursive rejection sampling", arguments: rsdSCases)
    func rsdS(_ c: EnumerationCase) { expectLossless(c) }

    @Test("one-hot q (n-gram drafter) under every rule", arguments: oneHotCases)
    func oneHotDraft(_ c: EnumerationCase) { expectLossless(c) }

    /// Recursive rejection over i.i.d. children: a duplicate of a rejected
    /// token has qi(x) = 0 and is skipped, which keeps it lossless. Exercises
    /// the q(x) = 0 path of the verifier.
    @Test("recursive rule over i.i.d. children (duplicates skipped)", arguments:
        worlds(4, [51]).map { EnumerationCase(shape: .specInfer(branching: [3]), rule: .recursive, world: $0) }
        + worlds(3, [52]).map { EnumerationCase(shape: .specInfer(branching: [2, 2]), rule: .recursive, world: $0) })
    func recursiveOverDuplicates(_ c: EnumerationCase) { expectLossless(c) }

    /// Deterministic proposals (the n-gram drafter's continuations): fixed
    /// trees — a chain, distinct siblings, two levels, a duplicate — verified
    /// with `.deterministic` emit exactly p's joint.
    @Test("deterministic proposals (n-gram trees)", arguments: [81, 82, 83] as [UInt64])
    func deterministicProposals(_ seed: UInt64) {
        let world = TinyWorld(vocabularySize: 4, seed: seed)
        func tree(_ edges: [(TokenID, Int)]) -> DraftTree {
            var t = DraftTree()
            for (token, parent) in edges { t.append(token: token, parent: parent, draftProbability: 1) }
            return t
        }
        let trees = [
            tree([(3, -1), (1, 0)]),
            tree([(2, -1), (0, -1), (3, -1)]),
            tree([(1, -1), (3, -1), (0, 0), (2, 0), (1, 1)]),
            tree([(2, -1), (2, -1), (0, -1)]),
        ]
        var verifier = TreeVerifier(vocabularySize: 4)
        for t in trees {
            var joint: [[TokenID]: Double] = [:]
            forEachVerificationOutcome(&verifier, t, rule: .deterministic, target: world.rows(t, world.target), draft: nil) {
                world.addExtended($0.emittedTokens, weight: $1, into: &joint, length: t.depth)
            }
            let distance = maxDifference(joint, world.targetJoint(length: t.depth))
            #expect(distance <= 1e-9, "tree \(structureKey(t)): distance \(distance)")
        }
    }

    /// The check has teeth: the multi-round rule (q never updated) over
    /// children drawn without replacement — i.e. RSD without its q update —
    /// is not lossless, and the enumeration says so by far more than 1e-3.
    /// (The worlds have at least two tokens with p > q at the root: with only
    /// one, the first residual is one-hot and the missing update cannot show.)
    @Test("RSD without the q update is caught", arguments:
        worlds(4, [20, 22, 26, 28]).map { EnumerationCase(shape: .rsdC(branching: [2]), rule: .multiRound, world: $0) }
        + worlds(3, [25]).map { EnumerationCase(shape: .rsdC(branching: [2, 2]), rule: .multiRound, world: $0) }
        + worlds(3, [31]).map { EnumerationCase(shape: .rsdS(width: 2, depth: 2), rule: .multiRound, world: $0) })
    func wrongVerifierFails(_ c: EnumerationCase) {
        let length = c.shape.depth
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: length)
        let distance = maxDifference(got, c.world.targetJoint(length: length))
        #expect(distance > 1e-3, "a wrong verifier came out within \(distance) of p")
    }

    private func expectLossless(_ c: EnumerationCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let length = c.shape.depth
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: length)
        let want = c.world.targetJoint(length: length)
        let distance = maxDifference(got, want)
        #expect(distance <= 1e-9, "distance from p: \(distance)", sourceLocation: sourceLocation)
    }
}
