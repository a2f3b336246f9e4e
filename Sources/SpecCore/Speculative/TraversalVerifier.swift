/// Traversal verification of a draft tree (Weng, Hu, Chen, Liu, Mei, Qiu,
/// Tian, Shi, *Traversal Verification for Speculative Tree Decoding*,
/// NeurIPS 2025, arXiv 2505.12398): the tree is judged from its leaves towards
/// the root, each node by the sequence-level acceptance of the whole path
/// from the root to it, so a node whose own token would be rejected token by
/// token can still carry an accepted subsequence. Returns the accepted path
/// plus one token from the target or a residual, like `TreeVerifier`.
///
/// **The algorithm** (the paper's Algorithm 1 in the form derived and proved
/// here). Every node α keeps an unnormalised target measure A_α over the next
/// token, of mass w_α ≤ 1, and its current draft distribution Q_α:
/// - Reaching a child x of α (in sampling order): its sequence-level
///   acceptance is w_x = min(1, A_α(x)/Q_α(x)) and A_x = w_x·p(· | α x)
///   (the paper's p_α recursion; on a chain it is block verification's p_i,
///   Sun et al. 2025, Algorithm 2).
/// - The subtrees are traversed depth first, children before their parent
///   (post-order), so the first test is at the first leaf. A node is tested
///   once all its children's subtrees were rejected: accepted with
///   probability w_α (a uniform), which accepts the whole path to it.
/// - When the subtree of child x is rejected, α's measure and draft become
///   r = Σ max(0, A_α − Q_α),  A_α ← max(0, A_α − Q_α) / (1 − Σ min(A_α, Q_α)),
///   so w_α ← r / (r + 1 − w_α) (block verification's h_i on a chain), and,
///   for children drawn without replacement (`.recursive`), also
///   Q_α ← Q_α·[y ≠ x] / (1 − Q_α(x)) as in recursive rejection sampling
///   (Jeon et al. 2024); `.multiRound` and `.chain` (i.i.d. siblings, the
///   paper's setting) keep Q_α; `.deterministic` proposals use Q_α = one-hot
///   of each proposal in turn.
/// - When a node is accepted, the final token is drawn from p at it if it is
///   a leaf (bonus), else from norm(A_α) (resampled). The root (w = 1) is
///   never tested: after all its children it is accepted surely.
///
/// **Why it is lossless, for every sibling rule** (the induction behind the
/// paper's Theorem 1, extended to draws without replacement): claim, for any
/// node state (A of mass w, Q) whose children are drawn from Q as the rule
/// says, the traversal below it accepts and emits the continuation (x, y…)
/// with probability A(x)·p(y… | α x), and rejects with probability 1 − w. A
/// leaf satisfies it. For a first child x ~ Q the subtree accepts with
/// probability Q(x)·w_x = min(A(x), Q(x)) (induction on depth), rejects with
/// Σ Q(x)(1 − w_x) = 1 − w + r; the remaining children are then a fresh
/// instance with the updated (A', Q'), whose next child is drawn from Q'
/// given the past (true for i.i.d. draws with Q' = Q, for sampling without
/// replacement with Q' = Q without x, and for fixed proposals), so by
/// induction on the number of children it emits (x, y…) with
/// (1 − w + r)·A'(x)·p(y…) = max(0, A(x) − Q(x))·p(y…). The two terms sum to
/// A(x)·p(y…), and the rejection probability is (1 − w + r)(1 − w') = 1 − w.
/// At the root A = p, w = 1: the emitted text is distributed as p. The
/// induction needs, at every node, the children's draws given the rest of the
/// tree: stochastic beam search (rsd-s) keeps siblings that are a sampling
/// without replacement of q whatever the other beams do (the Gumbel ranking is
/// independent of the scores' values), which the enumeration tests confirm.
///
/// `.greedy` runs the algorithm for a point-mass target (p one-hot on its
/// argmax, as `Sampler` writes it at temperature 0): w_x is 1 on the argmax
/// path and 0 elsewhere, and rejecting a child never changes w_α (A stays on
/// the argmax), so the accepted node is found by following the first argmax
/// child at every level and the final token is the argmax: plain greedy
/// decoding, computed without rounding.
///
/// Edge cases: a child with Q_α(x) = 0 (a duplicate under the recursive rule)
/// is skipped, as `TreeVerifier` does; a node reached with w_x = 0 is
/// rejected without visiting its subtree (nothing below can be accepted);
/// 1 − Σ min(A, Q) = 0 (w = 1 and A = Q, so the rejection had probability 0
/// and only rounding made it) falls back to A = Q; tests with acceptance
/// probability 0 or 1 draw no uniform.
/// - Complexity: O(1) per node reached, one O(V) pass per rejected child of a
///   node (O(1) for `.deterministic` and `.greedy`), O(V) for the final draw.
///   Scratch: one row of V doubles per tree level, reused between calls.
///   With `recordsDistributions`, each decision carries the top entries of p
///   and q at the node's parent and, after its children were rejected, of
///   norm(A) at the node (the residual its final draw would use), and the
///   result the final draw's: two O(V) selections per node with children,
///   one per materialised residual and one for the draw.
public struct TraversalVerifier: Sendable, DraftVerifier {
    public let vocabularySize: Int
    /// Whether decisions carry `DecisionDistributions` and results a `FinalDraw`.
    public var recordsDistributions = true
    /// Unnormalised measures B, one per tree level (root = 0): A_α = scale·B.
    private var measures: [[Double]]  // (levels, V)

    /// What one node on the traversal's stack holds.
    private struct Frame {
        /// w: the mass of A.
        var mass: Double
        /// Whether A lives in the level's scratch (else A = mass·p at the node).
        var materialized = false
        var scale: Double = 1
        /// Recursive rule: tokens removed from Q and the raw Q mass left.
        var removed: [Int] = []
        var draftMass: Double = 1
        /// r at the last rejection of a child.
        var residual: Double?
    }

    /// Per-call state.
    private struct Outcome {
        var decisions: [VerificationDecision] = []
        var accepted: Int?
        var token: TokenID = 0
        var kind: EmittedTokenKind = .bonus
        var draw: FinalDraw?
    }

    /// Allocates scratch for vocabularies of `vocabularySize` tokens.
    public init(vocabularySize: Int) {
        precondition(vocabularySize > 0)
        self.vocabularySize = vocabularySize
        measures = []
    }

    /// Verifies `tree`; the arguments are those of `TreeVerifier.verify`.
    /// - Parameter rule: how siblings were drawn (`DraftMethod.verificationRule(greedy:)`):
    ///   `.chain`, `.multiRound` i.i.d.; `.recursive` without replacement;
    ///   `.deterministic` fixed proposals (no draft rows); `.greedy` temperature 0.
    public mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: NodeDistributions, draft: NodeDistributions?,
        random: inout R
    ) -> VerificationResult {
        precondition(target.vocabularySize == vocabularySize, "target rows are not of the vocabulary size")
        precondition(rule == .greedy || rule == .deterministic || draft?.vocabularySize == vocabularySize,
                     "rule \(rule) needs the draft's rows")
        while measures.count <= tree.depth { measures.append([Double](repeating: 0, count: vocabularySize)) }
        var outcome = Outcome()
        let found = visit(-1, weight: 1, level: 0, tree, rule, target, draft, &outcome, &random)
        precondition(found, "the root is always accepted")
        let path = tree.path(to: outcome.accepted!)
        return VerificationResult(acceptedPath: path, acceptedTokens: path.map { tree[$0].token },
                                  finalToken: outcome.token, finalKind: outcome.kind, decisions: outcome.decisions,
                                  finalDraw: outcome.draw)
    }

    /// Traverses the subtree of `node` reached with sequence-level acceptance
    /// `weight`; true when it accepted a node (recorded in `outcome`).
    /// - Parameter reached: the parent's current target and draft probabilities
    ///   of the node's token when it was reached (for its decision record).
    private mutating func visit<R: VerificationRandomness>(
        _ node: Int, weight: Double, reached: (target: Double, draft: Double) = (1, 1), level: Int,
        shown: DecisionDistributions? = nil,
        _ tree: DraftTree, _ rule: VerificationRule,
        _ target: NodeDistributions, _ draft: NodeDistributions?, _ outcome: inout Outcome, _ random: inout R
    ) -> Bool {
        let p = target[node: node]
        let children = tree.children(of: node)
        var frame = Frame(mass: weight)
        let best = rule == .greedy ? Sampler.argmax(p) : -1
        // The top of p and q here, shown with each child's decision.
        let rows: DecisionDistributions? = recordsDistributions && !children.isEmpty
            ? DecisionDistributions(target: TopEntries.of(p),
                                    draft: rule == .greedy || rule == .deterministic ? nil : draft.map { TopEntries.of($0[node: node]) })
            : nil
        for child in children {
            let x = Int(tree[child].token)
            var childRows = rows
            if rule == .deterministic { childRows?.draft = .pointMass(tree[child].token) }
            if rule == .recursive && !frame.removed.isEmpty { childRows?.draftRenormalised = true }
            // The parent's current target and draft at x, and the child's acceptance.
            let ax: Double, qx: Double, childWeight: Double
            if rule == .greedy {
                ax = Double(p[x])
                qx = draft.map { Double($0[node: node][x]) } ?? 1
                childWeight = frame.mass == 1 && x == best ? 1 : 0
            } else {
                ax = measure(at: x, frame, p, level: level)
                qx = currentDraft(at: x, frame, rule, draft, node: node)
                guard qx > 0 else {
                    // Not a draw from Q_α: it carries no information; skip it.
                    outcome.decisions.append(VerificationDecision(
                        node: child, token: tree[child].token, round: tree[child].siblingRank,
                        targetProbability: frame.mass > 0 ? ax / frame.mass : 0, draftProbability: 0,
                        acceptanceProbability: 0, uniform: nil, accepted: false, residualMass: nil, pathWeight: 0,
                        distributions: childRows))
                    continue
                }
                childWeight = BlockVerifier.ratio(ax, qx)
            }
            let targetProbability = rule == .greedy ? ax : (frame.mass > 0 ? ax / frame.mass : 0)
            if childWeight > 0 {
                if visit(child, weight: childWeight, reached: (targetProbability, qx), level: level + 1, shown: childRows,
                         tree, rule, target, draft, &outcome, &random) {
                    return true
                }
            } else {
                outcome.decisions.append(VerificationDecision(
                    node: child, token: tree[child].token, round: tree[child].siblingRank,
                    targetProbability: targetProbability, draftProbability: qx, acceptanceProbability: 0,
                    uniform: nil, accepted: false, residualMass: nil, pathWeight: 0, distributions: childRows))
            }
            // The child's subtree was rejected: update A_α (and Q_α).
            if rule != .greedy { rejectChild(x, &frame, p, rule, draft, node: node, level: level) }
        }
        // Every child's subtree was rejected (or there were none): test the node itself.
        if node >= 0 {
            let a = frame.mass
            var u: Double?
            let accepted: Bool
            if a <= 0 { accepted = false } else if a >= 1 { accepted = true } else {
                u = random.uniform()
                accepted = u! < a
            }
            var recorded = shown
            if recorded != nil, rule != .greedy, frame.materialized { recorded!.residual = residualTop(frame, level: level) }
            outcome.decisions.append(VerificationDecision(
                node: node, token: tree[node].token, round: tree[node].siblingRank,
                targetProbability: reached.target, draftProbability: reached.draft, acceptanceProbability: a,
                uniform: u, accepted: accepted,
                residualMass: frame.residual, pathWeight: weight, distributions: recorded))
            if !accepted { return false }
        }
        outcome.accepted = node
        if rule == .greedy {
            outcome.token = TokenID(best)
            outcome.kind = children.isEmpty ? .bonus : .resampled
        } else if children.isEmpty || !frame.materialized {
            outcome.token = draw(p, random: &random)
            outcome.kind = children.isEmpty ? .bonus : .resampled
        } else {
            outcome.token = drawMeasure(level: level, random: &random)
            outcome.kind = .resampled
        }
        if recordsDistributions {
            let fromResidual = rule != .greedy && !children.isEmpty && frame.materialized
            outcome.draw = FinalDraw(
                parent: node, token: outcome.token, kind: outcome.kind,
                source: rule == .greedy ? .argmax : fromResidual ? .residual : .target,
                distribution: fromResidual ? residualTop(frame, level: level) : (rows?.target ?? TopEntries.of(p)))
        }
        return true
    }

    /// The top entries of norm(A) at `level` (A = scale·B of mass w). O(V).
    private func residualTop(_ frame: Frame, level: Int) -> TopEntries {
        guard frame.mass > 0, frame.scale > 0 else { return TopEntries() }
        return measures[level].withUnsafeBufferPointer { TopEntries.of($0, total: frame.mass / frame.scale) }
    }

    /// A_α(x). O(1).
    @inline(__always)
    private func measure(at x: Int, _ frame: Frame, _ p: UnsafeBufferPointer<Float>, level: Int) -> Double {
        frame.materialized ? frame.scale * measures[level][x] : frame.mass * Double(p[x])
    }

    /// Q_α(x) under the rule. O(removed).
    @inline(__always)
    private func currentDraft(
        at x: Int, _ frame: Frame, _ rule: VerificationRule, _ draft: NodeDistributions?, node: Int
    ) -> Double {
        switch rule {
        case .deterministic: return 1
        case .recursive:
            if frame.removed.contains(x) { return 0 }
            return frame.draftMass > 0 ? Double(draft![node: node][x]) / frame.draftMass : 0
        default: return Double(draft![node: node][x])
        }
    }

    /// After the subtree of child x was rejected:
    /// A ← max(0, A − Q) / (1 − Σ min(A, Q)), w ← r / (r + 1 − w); then Q
    /// without x for the recursive rule. One O(V) pass (O(1) once
    /// materialised for deterministic proposals).
    private mutating func rejectChild(
        _ x: Int, _ frame: inout Frame, _ p: UnsafeBufferPointer<Float>, _ rule: VerificationRule,
        _ draft: NodeDistributions?, node: Int, level: Int
    ) {
        let n = vocabularySize
        let w = frame.mass
        if !frame.materialized {
            measures[level].withUnsafeMutableBufferPointer { b in
                for y in 0..<n { b[y] = Double(p[y]) }
            }
            frame.materialized = true
            frame.scale = w
        }
        if rule == .deterministic {
            // Q = one-hot(x): r = w − A(x), 1 − Σ min(A, Q) = 1 − A(x); A loses x.
            let ax = frame.scale * measures[level][x]
            let denominator = 1 - ax
            frame.residual = w - ax
            guard denominator > 0 else { return }  // A(x) = 1: rounding; keep A
            measures[level][x] = 0
            frame.scale /= denominator
            frame.mass = max(0, w - ax) / denominator
            return
        }
        let q = draft![node: node]
        let scale = frame.scale
        let removed = frame.removed
        let inverseDraftMass = frame.draftMass > 0 ? 1 / frame.draftMass : 0
        // A at the removed tokens, where Q_α is 0 (the pass below subtracts Q there).
        let keptAtRemoved = removed.map { scale * measures[level][$0] }
        var residual: Double = 0
        measures[level].withUnsafeMutableBufferPointer { b in
            var s0: Double = 0, s1: Double = 0
            var y = 0
            let qScale = rule == .recursive ? inverseDraftMass : 1
            while y + 2 <= n {
                let v0 = max(0, scale * b[y] - qScale * Double(q[y]))
                let v1 = max(0, scale * b[y + 1] - qScale * Double(q[y + 1]))
                b[y] = v0; b[y + 1] = v1
                s0 += v0; s1 += v1
                y += 2
            }
            if y < n {
                let v = max(0, scale * b[y] - qScale * Double(q[y]))
                b[y] = v
                s0 += v
            }
            residual = s0 + s1
            for (z, kept) in zip(removed, keptAtRemoved) {
                residual += kept - b[z]
                b[z] = kept
            }
        }
        frame.residual = residual
        let denominator = 1 - w + residual
        if denominator > 1e-300 && residual > 0 {
            frame.scale = 1 / denominator
            frame.mass = min(1, residual / denominator)
        } else if denominator > 1e-300 {
            // r = 0 with w < 1: nothing is left to accept here.
            frame.scale = 1
            frame.mass = 0
        } else {
            // w = 1 and A = Q up to rounding: the rejection had probability 0; fall back to A = Q.
            measures[level].withUnsafeMutableBufferPointer { b in
                let qScale = rule == .recursive ? inverseDraftMass : 1
                for y in 0..<n { b[y] = qScale * Double(q[y]) }
                for z in removed { b[z] = 0 }
            }
            frame.scale = 1
            frame.mass = 1
        }
        if rule == .recursive {
            frame.draftMass = max(0, frame.draftMass - Double(q[x]))
            frame.removed.append(x)
        }
    }

    /// Draws from norm(A) at `level`. O(V).
    private mutating func drawMeasure<R: VerificationRandomness>(level: Int, random: inout R) -> TokenID {
        let n = vocabularySize
        return TokenID(measures[level].withUnsafeBufferPointer { b in
            var total: Double = 0
            for y in 0..<n { total += b[y] }
            return random.draw(from: b, total: total)
        })
    }

    /// Draws from the row p (in the last level's scratch). O(V).
    private mutating func draw<R: VerificationRandomness>(_ p: UnsafeBufferPointer<Float>, random: inout R) -> TokenID {
        let n = vocabularySize
        let last = measures.count - 1
        return TokenID(measures[last].withUnsafeMutableBufferPointer { b in
            var total: Double = 0
            for y in 0..<n { b[y] = Double(p[y]); total += b[y] }
            return random.draw(from: UnsafeBufferPointer(b), total: total)
        })
    }
}
