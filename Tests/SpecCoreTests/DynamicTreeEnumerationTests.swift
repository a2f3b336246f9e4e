import SpecCore
import Testing

extension TinyWorld {
    /// The dynamic tree `DynamicTreeBuilder` grows from this world's q below `context`.
    func dynamicDraft(_ shape: DraftShape, context: [TokenID] = []) -> DynamicDraft {
        var builder = try! DynamicTreeBuilder(shape: shape)
        while !builder.isComplete {
            let frontier = builder.frontier
            let candidates = builder.candidates
            func path(_ node: Int) -> [TokenID] {
                var tokens: [TokenID] = []
                var i = node
                while i >= 0 { tokens.append(candidates[i].token); i = candidates[i].parent }
                return tokens.reversed()
            }
            let rows = frontier.flatMap { draft(context + path($0)).map(Float.init) }  // (|frontier|, V)
            let v = vocabularySize
            rows.withUnsafeBufferPointer { q in
                _ = builder.expandLevel { node in
                    let r = frontier.firstIndex(of: node)!
                    return UnsafeBufferPointer(rebasing: q[(r * v)..<((r + 1) * v)])
                }
            }
        }
        return builder.finish()
    }
}

/// EAGLE-2's dynamic tree (`DynamicTreeBuilder`) by exact enumeration: the
/// reranked tree verified as fixed proposals (`.deterministic`) emits exactly
/// the target's distribution, for several budgets, widths, depths and
/// temperatures; greedily it emits p's greedy path; verifying its candidates
/// as if they had been sampled from q is caught. The builder's early stop and
/// frontier pruning are checked against a brute-force construction.
@Suite("Dynamic trees by exact enumeration")
struct DynamicTreeEnumerationTests {
    static func worlds(_ v: Int, _ seeds: [UInt64], temperature: Double = 1) -> [TinyWorld] {
        seeds.map { var w = TinyWorld(vocabularySize: v, seed: $0); w.temperature = temperature; return w }
    }

    static let shapes: [DraftShape] = [
        .dynamic(budget: 1, width: 3, depth: 2), .dynamic(budget: 2, width: 2, depth: 2), .dynamic(budget: 3, width: 2, depth: 3),
        .dynamic(budget: 4, width: 3, depth: 2), .dynamic(budget: 5, width: 2, depth: 3), .dynamic(budget: 6, width: 3, depth: 3),
    ]

    /// Every shape in worlds at temperatures 0.5, 1 and 1.6 (p and q both tempered).
    static let cases: [EnumerationCase] = shapes.enumerated().flatMap { i, shape in
        [0.5, 1, 1.6].enumerated().flatMap { j, t in
            worlds(i % 2 == 0 ? 4 : 3, [UInt64(300 + 10 * i + j)], temperature: t)
                .map { EnumerationCase(shape: shape, rule: .deterministic, world: $0) }
        }
    }

    @Test("the reranked tree, verified as fixed proposals, is lossless", arguments: cases)
    func lossless(_ c: EnumerationCase) {
        let length = c.shape.depth
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: length)
        let distance = maxDifference(got, c.world.targetJoint(length: length))
        #expect(distance <= 1e-9, "distance from p: \(distance)")
    }

    /// The cases are not vacuous: most of them cut candidates and grow past one level.
    @Test func theCasesCutAndBranch() {
        let drafts = Self.cases.map { $0.world.dynamicDraft($0.shape) }
        #expect(drafts.filter { !$0.cut.isEmpty }.count >= Self.cases.count * 2 / 3)
        #expect(drafts.filter { $0.tree.depth >= 2 }.count >= Self.cases.count / 2)
        #expect(drafts.contains { !$0.tree.isChain })
    }

    /// Traversal verification judges fixed proposals exactly too (its `.deterministic` rule).
    @Test("traversal verification of dynamic trees is lossless", arguments: cases.filter { $0.world.temperature == 1 })
    func traversal(_ c: EnumerationCase) {
        let length = c.shape.depth
        let got = exactOutput(.traversal, c.shape, rule: .deterministic, world: c.world, length: length).joint
        let distance = maxDifference(got, c.world.targetJoint(length: length))
        #expect(distance <= 1e-9, "distance from p: \(distance)")
    }

    /// T = 0: the greedy rule over the dynamic tree emits p's greedy tokens.
    @Test("greedy verification emits the target's greedy path", arguments: cases.filter { $0.world.temperature == 1 })
    func greedy(_ c: EnumerationCase) {
        let tree = c.world.dynamicDraft(c.shape).tree
        var verifier = TreeVerifier(vocabularySize: c.world.vocabularySize)
        var outcomes = 0
        forEachVerificationOutcome(&verifier, tree, rule: .greedy, target: c.world.rows(tree, c.world.target), draft: nil) { result, weight in
            outcomes += 1
            var context: [TokenID] = []
            for _ in result.emittedTokens {
                let p = c.world.target(context).map(Float.init)
                context.append(TokenID(p.withUnsafeBufferPointer { Sampler.argmax($0) }))
            }
            #expect(result.emittedTokens == context)
            #expect(weight == 1)
        }
        #expect(outcomes == 1)
    }

    /// The check has teeth: accepting the candidates with min(1, p/q), as if
    /// they had been sampled from q (with or without replacement), is biased.
    @Test("candidates verified as draws from q are caught", arguments:
        [VerificationRule.multiRound, .recursive].flatMap { rule in
            [DraftShape.dynamic(budget: 2, width: 2, depth: 1), .dynamic(budget: 4, width: 3, depth: 2)].flatMap { shape in
                worlds(4, [401, 402]).map { EnumerationCase(shape: shape, rule: rule, world: $0) }
            }
        })
    func verifiedAsDrawsFails(_ c: EnumerationCase) {
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: c.shape.depth)
        let distance = maxDifference(got, c.world.targetJoint(length: c.shape.depth))
        #expect(distance > 1e-3, "the unsound verification came out within \(distance) of p")
    }

    /// The builder's tree equals the brute-force construction's (top-k of the
    /// newest level expanded for every level, no early stop, then the top B by
    /// path probability), and the kept set is closed under ancestors with
    /// every cut branch ranked after every kept node.
    @Test("early stop and pruning keep exactly the brute-force rerank", arguments: [3, 4, 6] as [Int])
    func matchesBruteForce(_ v: Int) {
        var compared = 0, stoppedEarly = 0
        for seed in 0..<40 as Range<UInt64> {
            let world = TinyWorld(vocabularySize: v, seed: 500 + seed)
            for (budget, width, depth) in [(1, 2, 3), (3, 2, 4), (4, 3, 3), (5, 1, 5), (7, 3, 4), (12, 4, 3)] {
                let shape = DraftShape.dynamic(budget: budget, width: width, depth: depth)
                let built = world.dynamicDraft(shape)
                let reference = Self.bruteForce(world, budget: budget, width: width, depth: depth)
                #expect(built.tree.nodes.map(\.token) == reference.map(\.token), "\(shape.label) seed \(seed)")
                #expect(built.tree.nodes.map(\.parent) == reference.map(\.parent), "\(shape.label) seed \(seed)")
                let kept = (0..<built.tree.count).map { built.tree.path(to: $0).reduce(1.0) { $0 * built.tree[$1].draftProbability } }
                if let lowest = kept.min() {
                    #expect(built.cut.allSatisfy { $0.pathProbability <= lowest }, "a cut branch outranks a kept node")
                }
                #expect(built.tree.count == min(budget, Self.candidateCount(world, width: width, depth: depth)))
                if built.tree.depth < depth && built.tree.count == budget { stoppedEarly += 1 }
                compared += 1
            }
        }
        #expect(compared > 0 && stoppedEarly > 0, "the early stop never triggered: the comparison tests less than it says")
    }

    @Test("bad budget, width or depth is refused with a message", arguments: [(0, 2, 3), (4, 0, 3), (4, 2, 0), (-1, 1, 1)])
    func badParameters(_ p: (Int, Int, Int)) {
        #expect(throws: SettingsError.self) { try DynamicTreeBuilder(budget: p.0, width: p.1, depth: p.2) }
        #expect(throws: SettingsError.self) { try DraftShape.dynamic(budget: p.0, width: p.1, depth: p.2).validate() }
        #expect(throws: SettingsError.self) { try DraftShape(method: .dynamic, width: p.1, depth: p.2, budget: p.0) }
    }

    @Test func aWidthBeyondTheVocabularyIsRefused() {
        #expect(throws: SettingsError.self) { try DraftShape.dynamic(budget: 4, width: 5, depth: 2).validate(vocabularySize: 4) }
        #expect(throws: SettingsError.self) { try DraftTreeBuilder(shape: .dynamic(budget: 4, width: 2, depth: 2)) }
    }

    // MARK: - Reference

    struct Candidate { var token: TokenID; var parent: Int; var depth: Int; var path: Double }

    /// All candidates of the unpruned construction, then the top `budget`, as (token, parent in the kept tree).
    static func bruteForce(_ world: TinyWorld, budget: Int, width: Int, depth: Int) -> [(token: TokenID, parent: Int)] {
        let all = allCandidates(world, width: width, depth: depth)
        let ranked = all.indices.sorted { a, b in
            all[a].path != all[b].path ? all[a].path > all[b].path : all[a].depth != all[b].depth ? all[a].depth < all[b].depth : a < b
        }
        let kept = Set(ranked.prefix(budget))
        var node = [Int: Int]()
        var out: [(token: TokenID, parent: Int)] = []
        for i in all.indices where kept.contains(i) {
            let parent = all[i].parent < 0 ? -1 : node[all[i].parent]!
            node[i] = out.count
            out.append((all[i].token, parent))
        }
        return out
    }

    static func candidateCount(_ world: TinyWorld, width: Int, depth: Int) -> Int {
        allCandidates(world, width: width, depth: depth).count
    }

    static func allCandidates(_ world: TinyWorld, width: Int, depth: Int) -> [Candidate] {
        var all: [Candidate] = []
        var frontier = [-1]
        for level in 1...depth {
            let start = all.count
            for parent in frontier {
                var context: [TokenID] = []
                var i = parent
                while i >= 0 { context.insert(all[i].token, at: 0); i = all[i].parent }
                let q = world.draft(context)
                // Top-k: larger q first, ties to the smaller token; q = 0 never.
                let top = q.indices.filter { q[$0] > 0 }.sorted { q[$0] != q[$1] ? q[$0] > q[$1] : $0 < $1 }.prefix(width)
                for x in top {
                    all.append(Candidate(token: TokenID(x), parent: parent, depth: level,
                                         path: (parent < 0 ? 1 : all[parent].path) * Double(Float(q[x]))))
                }
            }
            frontier = Array((start..<all.count).sorted { a, b in all[a].path != all[b].path ? all[a].path > all[b].path : a < b }.prefix(width))
        }
        return all
    }
}
