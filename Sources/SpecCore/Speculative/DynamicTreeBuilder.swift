/// EAGLE-2's dynamic draft tree (Li et al. 2024, "EAGLE-2: Faster Inference
/// of Language Models with Dynamic Draft Trees"), grown one level at a time so
/// that the decoder evaluates the draft model once per level on a batch of
/// nodes, then reranked to a node budget.
///
/// **Construction.** A candidate's path probability is the product of the
/// draft's processed q along its path from the context root (q as the decoder
/// processes it: the session's temperature, top-k and top-p at T > 0; the
/// untruncated softmax at temperature 1 when decoding greedily).
/// - Level 1: the top-k tokens of q at the root (k = `width`; tokens with q = 0
///   are never candidates, so a level can hold fewer).
/// - Each next level: the newest level's candidates are ranked (see below) and
///   the first k of them *that can still enter the budget* are expanded, each by
///   its top-k tokens. A candidate can enter only if its path probability is
///   above the B-th best so far (B = `budget`): its descendants' path
///   probabilities never exceed its own, and a tie goes to the shallower node
///   already counted. When no newest candidate qualifies, construction stops
///   early; it always stops after `depth` levels.
/// - **Rerank** (`finish`): the B candidates ranked first form the tree the
///   target verifies; the others are cut (`CutBranch`). The ranking is path
///   probability, larger first, ties to the shallower and then the earlier
///   candidate. A child's path probability is its parent's times q ≤ 1, never
///   more (IEEE multiplication by a factor ≤ 1 is monotone), so the parent
///   always ranks first and the kept set is closed under ancestors.
///
/// Skipping the newest candidates that cannot enter (instead of expanding the
/// top k regardless) drafts fewer nodes but keeps exactly the tree the
/// unpruned construction would rerank to: everything it would add below them
/// ranks after the B-th best.
///
/// **Why verification stays lossless.** The candidates are a deterministic
/// function of the draft's q along the context, which depends on neither the
/// target nor the verifier's random numbers. `VerificationRule.deterministic`
/// treats each sibling as a point-mass proposal: at a node with residual r
/// (first the target's p there), x₁ is accepted with probability r(x₁); on
/// rejection r ← r with x₁ zeroed, renormalised; and so on; if every sibling is
/// rejected the token is drawn from the last r. So x_i is emitted with
/// probability Π_{j<i} (1 − p(x_j)/R_j) · p(x_i)/R_i, with R_j = 1 − Σ_{l<j} p(x_l):
/// the product telescopes to p(x_i); any other y is drawn with probability
/// (R_{m+1}) · p(y)/R_{m+1} = p(y). The emitted token is distributed as p for
/// any fixed candidate list; after an acceptance the same holds one level down
/// (or the bonus token is drawn from p at a leaf), so the emitted sequence is
/// distributed as sampling from the target token by token. Accepting with
/// min(1, p/q) instead, as if the candidates had been sampled from q, is biased
/// (the enumeration tests show it).
///
/// - Complexity: per expanded node one O(V) top-k pass over its q row; a small
///   sort of the candidates per level and once at `finish` (at most
///   k + (D − 1)·k² candidates).
public struct DynamicTreeBuilder: Sendable {
    /// Tree nodes the target verifies per call, root excluded (B).
    public let budget: Int
    /// Children per expanded node and expanded nodes per level (k).
    public let width: Int
    /// Most levels (D).
    public let depth: Int

    /// One drafted token of the construction.
    public struct Candidate: Sendable, Equatable {
        public var token: TokenID
        /// The parent candidate's index, or -1 for a child of the context root.
        public var parent: Int
        /// 1 for a child of the root.
        public var depth: Int
        /// q(token | parent's context).
        public var draftProbability: Double
        /// The product of q along the path from the root to this candidate.
        public var pathProbability: Double
    }

    /// Every candidate so far, level by level (parents before children).
    public private(set) var candidates: [Candidate] = []
    /// The candidates whose q `expandLevel` reads next (-1 = the context root);
    /// empty once construction is over.
    public private(set) var frontier: [Int] = [-1]
    /// Levels drafted so far.
    public private(set) var levelsDrawn = 0

    /// - Throws: `SettingsError` when the budget, width or depth is below 1.
    public init(budget: Int, width: Int, depth: Int) throws(SettingsError) {
        try DraftShape.dynamic(budget: budget, width: width, depth: depth).validate()
        self.budget = budget
        self.width = width
        self.depth = depth
    }

    /// The builder for a `.dynamic` shape.
    /// - Throws: `SettingsError` for another method or an invalid shape.
    public init(shape: DraftShape) throws(SettingsError) {
        guard case let .dynamic(budget, width, depth) = shape else {
            throw SettingsError("\(shape.label) is not a dynamic tree")
        }
        try self.init(budget: budget, width: width, depth: depth)
    }

    /// Whether construction is over (call `finish`).
    public var isComplete: Bool { frontier.isEmpty }

    /// Adds the top-k children of every frontier candidate as the next level
    /// and chooses the next frontier; returns the new candidates' indices.
    /// - Parameter draft: the draft's processed q at a frontier candidate
    ///   (-1 = the root), a row of vocabulary size.
    /// - Complexity: O(|frontier| · V) plus a sort of the candidates.
    @discardableResult
    public mutating func expandLevel(draft: (_ node: Int) -> UnsafeBufferPointer<Float>) -> Range<Int> {
        precondition(!isComplete, "the construction is over")
        let start = candidates.count
        for parent in frontier {
            let q = draft(parent)
            let parentPath = parent < 0 ? 1 : candidates[parent].pathProbability
            let parentDepth = parent < 0 ? 0 : candidates[parent].depth
            for x in TopEntries.topIndices(q, count: width) {
                let qx = Double(q[x])
                candidates.append(Candidate(token: TokenID(x), parent: parent, depth: parentDepth + 1,
                                            draftProbability: qx, pathProbability: parentPath * qx))
            }
        }
        levelsDrawn += 1
        let end = candidates.count
        frontier = levelsDrawn < depth ? nextFrontier(newest: start..<end) : []
        return start..<end
    }

    /// Whether candidate `a` ranks before `b`: larger path probability, then
    /// shallower, then earlier.
    public func ranksBefore(_ a: Int, _ b: Int) -> Bool {
        let x = candidates[a], y = candidates[b]
        if x.pathProbability != y.pathProbability { return x.pathProbability > y.pathProbability }
        if x.depth != y.depth { return x.depth < y.depth }
        return a < b
    }

    /// The first k of the newest level, in rank order, whose path probability
    /// beats the B-th best candidate so far (all, while there are fewer than B).
    private func nextFrontier(newest: Range<Int>) -> [Int] {
        var bar = -1.0
        if candidates.count >= budget {
            let paths = candidates.map(\.pathProbability).sorted(by: >)
            bar = paths[budget - 1]
        }
        let ranked = newest.sorted(by: ranksBefore)
        return Array(ranked.lazy.filter { self.candidates[$0].pathProbability > bar }.prefix(width))
    }

    /// The reranked tree: the `budget` candidates ranked first, in candidate
    /// order (parents before children, siblings in q order), and the cut
    /// branches hanging off it.
    /// - Complexity: O(n log n) in the candidates.
    public func finish() -> DynamicDraft {
        let n = candidates.count
        var kept = [Bool](repeating: false, count: n)
        for i in candidates.indices.sorted(by: ranksBefore).prefix(budget) { kept[i] = true }
        var tree = DraftTree()
        var nodeOfCandidate = [Int](repeating: -1, count: n)
        var candidateOfNode: [Int] = []
        for i in 0..<n where kept[i] {
            let c = candidates[i]
            let parent = c.parent < 0 ? -1 : nodeOfCandidate[c.parent]
            precondition(c.parent < 0 || parent >= 0, "a kept candidate's parent was cut")
            nodeOfCandidate[i] = tree.append(token: c.token, parent: parent, draftProbability: c.draftProbability)
            candidateOfNode.append(i)
        }
        // Cut candidates below each cut one (children come after parents: one reverse pass).
        var below = [Int](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) where !kept[i] {
            let parent = candidates[i].parent
            if parent >= 0 && !kept[parent] { below[parent] += 1 + below[i] }
        }
        var cut: [CutBranch] = []
        for i in 0..<n where !kept[i] {
            let c = candidates[i]
            guard c.parent < 0 || kept[c.parent] else { continue }
            cut.append(CutBranch(token: c.token, parent: c.parent < 0 ? -1 : nodeOfCandidate[c.parent], depth: c.depth,
                                 draftProbability: c.draftProbability, pathProbability: c.pathProbability,
                                 descendants: below[i]))
        }
        return DynamicDraft(tree: tree, candidateOfNode: candidateOfNode, nodeOfCandidate: nodeOfCandidate, cut: cut)
    }
}

/// A reranked dynamic tree: what the target verifies and what was cut.
public struct DynamicDraft: Sendable, Equatable {
    /// The kept candidates as a draft tree (at most the budget).
    public var tree: DraftTree
    /// The candidate each tree node came from.
    public var candidateOfNode: [Int]
    /// The tree node of each candidate, -1 for a cut one.
    public var nodeOfCandidate: [Int]
    /// The cut candidates whose parent was kept (or is the root), each with
    /// the count of cut candidates drafted below it.
    public var cut: [CutBranch]
}
