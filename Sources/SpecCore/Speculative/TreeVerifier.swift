/// Verifies a draft tree against the target: walks down from the root,
/// testing each node's children in sampling order, and returns the accepted
/// path plus exactly one token sampled by the target (`VerificationResult`).
///
/// At a node with children x1 … xk (p, q the processed rows at the node):
/// - `.greedy`: accept the first xi equal to argmax p; if none, emit argmax p.
/// - `.chain`, `.multiRound`: with p1 = p, accept xi with probability
///   min(1, pi(xi)/q(xi)); on rejection p(i+1) = norm(max(0, pi − q)).
/// - `.recursive`: as above but q1 = q and on rejection also
///   q(i+1)(x) = qi(x)·[x ≠ xi] / (1 − qi(xi)).
/// - `.deterministic`: qi = one-hot(xi): accept xi with probability pi(xi);
///   on rejection p(i+1) = pi without xi, renormalised.
///
/// After an acceptance the walk recurses into that child. When every child
/// is rejected, the final token is drawn from the last residual (`resampled`);
/// when the walk reaches a leaf, from p at it (`bonus`). These are lossless:
/// the emitted tokens are distributed as sampling from p token by token, when
/// the children were drawn as the rule assumes (i.i.d. from q for
/// `.multiRound`, without replacement for `.recursive`, fixed for `.deterministic`).
///
/// Edge cases: p(x) = 0 rejects surely; a drafted token with q(x) = 0 (which
/// no sampler produces) is skipped: no draw, residuals unchanged. A residual
/// of mass 0 (p ≤ q everywhere, so the rejection had probability 0 and only
/// rounding made it happen) falls back to the current q, equal to p up to
/// rounding. `1 − qi(xi) = 0` (one-hot q) leaves no draft mass: later
/// siblings, which cannot exist, would be skipped.
///
/// Rows are taken to sum to 1 (as `Sampler.probabilities` writes them); they
/// are not renormalised. Arithmetic is in Double; the residuals live in
/// scratch owned by the verifier and reused between calls, so a call
/// allocates only its result.
/// With `recordsDistributions` (the default), every decision also carries
/// the top entries of pi, qi and, after a rejection, of p(i+1) and q(i+1)
/// (`DecisionDistributions`), and the result the final draw's (`FinalDraw`):
/// one more O(V) partial selection per row, no sort.
/// - Complexity: O(1) per acceptance test, a few branch-free O(V) passes per
///   rejection, O(V) for the final draw; `.greedy` takes one argmax per node
///   reached. Recording distributions adds two O(V) passes per node reached
///   and one or two per rejection.
public struct TreeVerifier: Sendable {
    public let vocabularySize: Int
    /// Whether decisions carry `DecisionDistributions` and results a `FinalDraw`.
    public var recordsDistributions = true
    /// Unnormalised residual target pi, valid while `State.targetIsResidual`.
    private var residualTarget: [Double]  // (V)
    /// Unnormalised residual draft qi (recursive rule only).
    private var residualDraft: [Double]  // (V)

    /// Allocates scratch for vocabularies of `vocabularySize` tokens.
    public init(vocabularySize: Int) {
        precondition(vocabularySize > 0)
        self.vocabularySize = vocabularySize
        residualTarget = [Double](repeating: 0, count: vocabularySize)
        residualDraft = [Double](repeating: 0, count: vocabularySize)
    }

    /// Verifies `tree` and returns the accepted path and the final token.
    /// - Parameters:
    ///   - rule: the acceptance scheme; it must match how the tree was drawn
    ///     (`DraftMethod.verificationRule(greedy:)`).
    ///   - target: the target's processed p, rows by batch index (root = row 0).
    ///   - draft: the draft's processed q at the root and at every node with
    ///     children, same layout; unused (may be nil) for `.greedy` and `.deterministic`.
    ///   - random: uniforms for the tests, categorical draws for the final token.
    public mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: NodeDistributions, draft: NodeDistributions?,
        random: inout R
    ) -> VerificationResult {
        precondition(target.vocabularySize == vocabularySize, "target rows are not of the vocabulary size")
        precondition(rule == .greedy || rule == .deterministic || draft?.vocabularySize == vocabularySize,
                     "rule \(rule) needs the draft's rows")
        precondition(rule != .chain || tree.isChain, "the chain rule needs a chain; use .multiRound for trees")
        var path: [Int] = []
        var decisions: [VerificationDecision] = []
        var node = -1
        while true {
            let children = tree.children(of: node)
            let p = target[node: node]
            let records = recordsDistributions
            if children.isEmpty {
                let token = rule == .greedy ? TokenID(Sampler.argmax(p)) : drawFromTarget(p, random: &random)
                let draw = records ? FinalDraw(parent: node, token: token, kind: .bonus, source: rule == .greedy ? .argmax : .target,
                                               distribution: TopEntries.of(p)) : nil
                return result(tree, path, token, .bonus, decisions, draw)
            }
            let accepted: Int?
            if rule == .greedy {
                let best = Sampler.argmax(p)
                let top = records ? TopEntries.of(p) : nil
                accepted = testGreedy(tree, children, p: p, best: best, top: top, decisions: &decisions)
                if accepted == nil {
                    let draw = top.map { FinalDraw(parent: node, token: TokenID(best), kind: .resampled, source: .argmax, distribution: $0) }
                    return result(tree, path, TokenID(best), .resampled, decisions, draw)
                }
            } else {
                var state = State()
                let q = rule == .deterministic ? p : draft![node: node]  // q unused when deterministic
                var shown = records ? Shown(target: TopEntries.of(p), draft: rule == .deterministic ? nil : TopEntries.of(q)) : nil
                accepted = testSampled(tree, children, rule: rule, p: p, q: q,
                                       state: &state, shown: &shown, decisions: &decisions, random: &random)
                if accepted == nil {
                    let token = drawFromResidual(p, state: state, random: &random)
                    let draw = shown.map {
                        FinalDraw(parent: node, token: token, kind: .resampled, source: state.targetIsResidual ? .residual : .target,
                                  distribution: $0.target)
                    }
                    return result(tree, path, token, .resampled, decisions, draw)
                }
            }
            path.append(accepted!)
            node = accepted!
        }
    }

    /// Array convenience: rows as flat arrays, `(nodes + 1) × V`.
    public mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: [Float], draft: [Float]?, random: inout R
    ) -> VerificationResult {
        let v = vocabularySize
        return target.withUnsafeBufferPointer { t in
            let targetRows = NodeDistributions(rows: t, vocabularySize: v)
            guard let draft else {
                return verify(tree, rule: rule, target: targetRows, draft: nil, random: &random)
            }
            return draft.withUnsafeBufferPointer { d in
                verify(tree, rule: rule, target: targetRows, draft: NodeDistributions(rows: d, vocabularySize: v),
                       random: &random)
            }
        }
    }

    // MARK: - One node

    /// Where the current pi and qi live while a node's children are tested.
    private struct State {
        /// Whether pi is `residualTarget / targetMass` (else the p row itself).
        var targetIsResidual = false
        var targetMass: Double = 1
        /// Whether qi is `residualDraft / draftMass` (else the q row itself).
        var draftIsResidual = false
        var draftMass: Double = 1
    }

    /// The top entries of the current pi and qi at a node (qi nil for deterministic proposals).
    private struct Shown {
        var target: TopEntries
        var draft: TopEntries?
        var draftRenormalised = false
    }

    /// Greedy: the first child equal to `best`, recording each comparison.
    private func testGreedy(
        _ tree: DraftTree, _ children: [Int], p: UnsafeBufferPointer<Float>, best: Int, top: TopEntries?,
        decisions: inout [VerificationDecision]
    ) -> Int? {
        for (round, child) in children.enumerated() {
            let token = tree[child].token
            let accepted = Int(token) == best
            decisions.append(VerificationDecision(
                node: child, token: token, round: round, targetProbability: Double(p[Int(token)]),
                draftProbability: tree[child].draftProbability, acceptanceProbability: accepted ? 1 : 0,
                uniform: nil, accepted: accepted, residualMass: nil,
                distributions: top.map { DecisionDistributions(target: $0) }))
            if accepted { return child }
        }
        return nil
    }

    /// Rejection sampling over one node's children; the accepted child, or nil
    /// with the last residual described by `state`.
    private mutating func testSampled<R: VerificationRandomness>(
        _ tree: DraftTree, _ children: [Int], rule: VerificationRule,
        p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>,
        state: inout State, shown: inout Shown?, decisions: inout [VerificationDecision], random: inout R
    ) -> Int? {
        let updatesDraft = rule == .recursive
        let deterministic = rule == .deterministic
        for (round, child) in children.enumerated() {
            let token = tree[child].token
            let x = Int(token)
            let used = shown.map {
                DecisionDistributions(target: $0.target, draft: $0.draft ?? .pointMass(token), draftRenormalised: $0.draftRenormalised)
            }
            let px = state.targetIsResidual ? residualTarget[x] / state.targetMass : Double(p[x])
            let qx = deterministic ? 1
                : state.draftIsResidual ? (state.draftMass > 0 ? residualDraft[x] / state.draftMass : 0) : Double(q[x])
            guard qx > 0 else {
                // Not a draw from qi: it carries no information; skip it.
                decisions.append(VerificationDecision(
                    node: child, token: token, round: round, targetProbability: px, draftProbability: qx,
                    acceptanceProbability: 0, uniform: nil, accepted: false, residualMass: nil, distributions: used))
                continue
            }
            let a = min(1, px / qx)
            let u = random.uniform()
            if u < a {
                decisions.append(VerificationDecision(
                    node: child, token: token, round: round, targetProbability: px, draftProbability: qx,
                    acceptanceProbability: a, uniform: u, accepted: true, residualMass: nil, distributions: used))
                return child
            }
            let mass = deterministic
                ? rejectProposal(x, p: p, state: &state) : reject(x, p: p, q: q, updatesDraft: updatesDraft, state: &state)
            var recorded = used
            if shown != nil {
                // p(i+1) (and q(i+1)) as the next round will use them: one O(V) selection each.
                let residual = residualTarget.withUnsafeBufferPointer { TopEntries.of($0, total: state.targetMass) }
                shown!.target = residual
                recorded!.residual = residual
                if updatesDraft && state.draftIsResidual {
                    let next = residualDraft.withUnsafeBufferPointer { TopEntries.of($0, total: state.draftMass) }
                    shown!.draft = next
                    shown!.draftRenormalised = true
                    recorded!.updatedDraft = next
                }
            }
            decisions.append(VerificationDecision(
                node: child, token: token, round: round, targetProbability: px, draftProbability: qx,
                acceptanceProbability: a, uniform: u, accepted: false, residualMass: mass, distributions: recorded))
        }
        return nil
    }

    /// After rejecting `x`: p(i+1) = norm(max(0, pi − qi)) and, when
    /// `updatesDraft`, q(i+1) = qi without x, renormalised. Returns the
    /// residual mass Σ max(0, pi − qi). A few branch-free O(V) passes.
    private mutating func reject(
        _ x: Int, p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>, updatesDraft: Bool,
        state: inout State
    ) -> Double {
        let n = vocabularySize
        var residualMass: Double = 0
        residualTarget.withUnsafeMutableBufferPointer { target in
            residualDraft.withUnsafeMutableBufferPointer { draft in
                // Bring pi (and qi) into scratch on the node's first rejection.
                if !state.targetIsResidual {
                    for y in 0..<n { target[y] = Double(p[y]) }
                    state.targetIsResidual = true
                    state.targetMass = 1
                }
                if updatesDraft && !state.draftIsResidual {
                    for y in 0..<n { draft[y] = Double(q[y]) }
                    state.draftIsResidual = true
                    state.draftMass = 1
                }
                let targetScale = 1 / state.targetMass
                if updatesDraft {
                    // target := max(0, pi − qi) with pi = target/P, qi = draft/M.
                    let draftScale = state.draftMass > 0 ? 1 / state.draftMass : 0
                    for y in 0..<n { target[y] = max(0, target[y] * targetScale - draft[y] * draftScale) }
                    residualMass = Self.sum(target)
                    if !(residualMass > 0) {
                        // p ≤ q everywhere: the rejection had probability 0 and only
                        // rounding made it; fall back to qi, equal to pi up to rounding.
                        for y in 0..<n { target[y] = draft[y] * draftScale }
                    }
                    // q(i+1): qi without x; its mass shrinks by qi's unnormalised weight of x.
                    state.draftMass = max(0, state.draftMass - draft[x])
                    draft[x] = 0
                } else {
                    for y in 0..<n { target[y] = max(0, target[y] * targetScale - Double(q[y])) }
                    residualMass = Self.sum(target)
                    if !(residualMass > 0) {
                        for y in 0..<n { target[y] = Double(q[y]) }
                    }
                }
                state.targetMass = residualMass > 0 ? residualMass : Self.sum(target)
            }
        }
        return residualMass
    }

    /// After rejecting a deterministic proposal `x` (q = one-hot(x)):
    /// p(i+1) = pi without x, renormalised. O(V) on the node's first
    /// rejection (p into scratch), O(1) after. Returns 1 − pi(x).
    private mutating func rejectProposal(_ x: Int, p: UnsafeBufferPointer<Float>, state: inout State) -> Double {
        if !state.targetIsResidual {
            let n = vocabularySize
            residualTarget.withUnsafeMutableBufferPointer { target in
                for y in 0..<n { target[y] = Double(p[y]) }
            }
            state.targetIsResidual = true
            state.targetMass = 1
        }
        let removed = residualTarget[x]
        let remaining = state.targetMass - removed
        // pi(x) = 1 accepts surely; a rejection then is rounding: keep pi.
        guard remaining > 0 else { return 0 }
        residualTarget[x] = 0
        let residualMass = remaining / state.targetMass
        state.targetMass = remaining
        return residualMass
    }

    // MARK: - Final token

    /// Draws from the last residual (or from p if no rejection built one).
    private mutating func drawFromResidual<R: VerificationRandomness>(
        _ p: UnsafeBufferPointer<Float>, state: State, random: inout R
    ) -> TokenID {
        guard state.targetIsResidual else { return drawFromTarget(p, random: &random) }
        let total = state.targetMass
        return TokenID(residualTarget.withUnsafeBufferPointer { random.draw(from: $0, total: total) })
    }

    /// Draws from the target row p (a bonus token). O(V): copies p to Double.
    private mutating func drawFromTarget<R: VerificationRandomness>(
        _ p: UnsafeBufferPointer<Float>, random: inout R
    ) -> TokenID {
        let n = vocabularySize
        return TokenID(residualTarget.withUnsafeMutableBufferPointer { target in
            for y in 0..<n { target[y] = Double(p[y]) }
            return random.draw(from: UnsafeBufferPointer(target), total: Self.sum(target))
        })
    }

    /// Σ values, with four accumulators so that the adds pipeline.
    private static func sum(_ values: UnsafeMutableBufferPointer<Double>) -> Double {
        var s0: Double = 0, s1: Double = 0, s2: Double = 0, s3: Double = 0
        var i = 0
        let n = values.count
        while i + 4 <= n {
            s0 += values[i]; s1 += values[i + 1]; s2 += values[i + 2]; s3 += values[i + 3]
            i += 4
        }
        while i < n { s0 += values[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    private func result(
        _ tree: DraftTree, _ path: [Int], _ token: TokenID, _ kind: EmittedTokenKind,
        _ decisions: [VerificationDecision], _ draw: FinalDraw?
    ) -> VerificationResult {
        VerificationResult(acceptedPath: path, acceptedTokens: path.map { tree[$0].token },
                           finalToken: token, finalKind: kind, decisions: decisions, finalDraw: draw)
    }
}
