/// Block verification of a drafted chain (Sun, Mendlovic, Leviathan, Aharoni,
/// Ro, Beirami, Suresh, *Block Verification Accelerates Speculative
/// Decoding*, ICLR 2025, arXiv 2403.10444, Algorithm 2): the chain is judged
/// jointly, from its last token back towards the root, and returns the
/// accepted prefix plus one token from the target or a residual, like
/// `TreeVerifier`.
///
/// For the chain x_1 … x_γ with target rows P_i = p(· | x_<i) and draft rows
/// Q_i = q(· | x_<i) (Algorithm 2, lines 3–5):
/// - the running probability ratio p_0 = 1, p_i = min(1, p_(i−1)·P_i(x_i)/Q_i(x_i));
/// - the residual weight r_i = Σ_x max(0, p_i·P_(i+1)(x) − Q_(i+1)(x)), and
///   h_i = r_i / (r_i + 1 − p_i) for i < γ, h_γ = p_γ;
/// - τ is the largest i with η_i ≤ h_i (0 if none), η_i uniform: the tests
///   run from i = γ down, the first success fixes τ (Algorithm 2's forward
///   loop keeps the last success; the backward order draws only the
///   uniforms it needs);
/// - the final token comes from P_(γ+1) when τ = γ (bonus), otherwise from
///   the residual norm(max(0, p_τ·P_(τ+1) − Q_(τ+1))) (resampled).
/// With γ = 1 this is token-level verification; it is lossless (Theorem 1)
/// and accepts at least as many tokens in expectation as token-level
/// verification of the same draft (Theorem 2: optimal among valid verifiers
/// that see only the conditionals). The paper's binary example (§2) gives 11/9
/// accepted tokens per step against token-level's 10/9.
///
/// Rules (`VerificationRule`): `.chain` (also `.multiRound`, `.recursive`,
/// which coincide on a chain) reads Q from the draft rows; `.deterministic`
/// takes Q_i = one-hot(x_i) (an n-gram proposal), so p_i is the target's
/// probability of the whole prefix and r_i = p_i·(1 − P_(i+1)(x_(i+1))),
/// O(1); `.greedy` is the algorithm for a point-mass target (P_i one-hot on
/// its argmax, as `Sampler` writes it at temperature 0), where p_i is 1 while
/// the prefix matches the argmax and 0 after, h_i = p_i (r_i > 0 whenever
/// p_i = 1 and x_(i+1) is not the argmax), so τ is the matching prefix and
/// the final token the argmax: plain greedy decoding, without rounding.
///
/// Edge cases: h_i = 0/0 (p_i = 1 and P_(i+1) = Q_(i+1), so rejecting
/// position i + 1 had probability 0 and only rounding made it) takes h_i = 1;
/// a residual of mass 0 falls back to P_(τ+1). Tests with acceptance
/// probability 0 or 1 draw no uniform.
/// With `recordsDistributions`, each decision carries the top entries of
/// P_i and Q_i and of the residual norm(max(0, p_i·P_(i+1) − Q_(i+1))) that
/// the final token would come from if τ = i, and the result the final draw's.
/// - Complexity: O(γ) for the ratios, one O(V) pass per position tested
///   below the last (for h_i), O(V) for the final draw; recording
///   distributions adds three O(V) selections per decision and one for the draw.
public struct BlockVerifier: Sendable, DraftVerifier {
    public let vocabularySize: Int
    /// Whether decisions carry `DecisionDistributions` and results a `FinalDraw`.
    public var recordsDistributions = true
    /// Residual weights for the final draw.
    private var weights: [Double]  // (V)

    /// Allocates scratch for vocabularies of `vocabularySize` tokens.
    public init(vocabularySize: Int) {
        precondition(vocabularySize > 0)
        self.vocabularySize = vocabularySize
        weights = [Double](repeating: 0, count: vocabularySize)
    }

    /// Verifies the chain `tree`.
    /// - Precondition: `tree.isChain` (`Verifier.validate` refuses tree shapes
    ///   with a message); draft rows present unless the rule is `.greedy` or `.deterministic`.
    public mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: NodeDistributions, draft: NodeDistributions?,
        random: inout R
    ) -> VerificationResult {
        precondition(tree.isChain, "block verification needs a chain; use traversal verification for trees")
        precondition(target.vocabularySize == vocabularySize, "target rows are not of the vocabulary size")
        let oneHot = rule == .greedy || rule == .deterministic
        precondition(oneHot || draft?.vocabularySize == vocabularySize, "rule \(rule) needs the draft's rows")
        // The chain's nodes, root side first: chain[i − 1] holds x_i.
        var chain: [Int] = []
        var node = -1
        while let next = tree.children(of: node).first { chain.append(next); node = next }
        let gamma = chain.count
        let tokens = chain.map { tree[$0].token }  // x_1 … x_γ
        func parent(_ i: Int) -> Int { i == 1 ? -1 : chain[i - 2] }  // the row P_i, Q_i live at

        // Forward: p_i (Algorithm 2, line 4).
        var ratio = [Double](repeating: 0, count: gamma + 1)
        ratio[0] = 1
        var targetAt = [Double](repeating: 0, count: gamma + 1)  // P_i(x_i)
        var draftAt = [Double](repeating: 0, count: gamma + 1)  // Q_i(x_i)
        for i in stride(from: 1, through: gamma, by: 1) {
            let x = Int(tree[chain[i - 1]].token)
            let p = target[node: parent(i)]
            if rule == .greedy {
                targetAt[i] = Double(p[x])
                draftAt[i] = draft.map { Double($0[node: parent(i)][x]) } ?? 1
                ratio[i] = ratio[i - 1] == 1 && x == Sampler.argmax(p) ? 1 : 0
                continue
            }
            targetAt[i] = Double(p[x])
            draftAt[i] = rule == .deterministic ? 1 : Double(draft![node: parent(i)][x])
            let previous = ratio[i - 1]
            ratio[i] = draftAt[i] > 0 ? Self.ratio(previous * targetAt[i], draftAt[i]) : 0
        }

        // Backward: the first success from i = γ down fixes τ (lines 5–6).
        var decisions: [VerificationDecision] = []
        var tau = 0
        // Positions past the first p_i = 0 cannot be accepted: start there.
        var i = (1...max(1, gamma)).first { $0 <= gamma && ratio[$0] == 0 } ?? gamma
        while i >= 1 {
            let residual: Double?
            let h: Double
            if i == gamma {
                residual = nil
                h = ratio[gamma]
            } else if rule == .greedy || ratio[i] == 0 {
                // Point mass: r_i > 0 when p_i = 1 (x_(i+1) missed the argmax), so h_i = p_i.
                residual = rule == .greedy && ratio[i] == 1 ? 1 - draftAt[i + 1] : nil
                h = ratio[i]
            } else {
                let r = residualMass(at: i, chain: chain, tokens: tokens, ratio: ratio[i], rule: rule, target: target, draft: draft)
                residual = r
                let denominator = r + 1 - ratio[i]
                h = denominator > 0 ? min(1, r / denominator) : 1
            }
            var u: Double?
            let accepted: Bool
            if h <= 0 { accepted = false } else if h >= 1 { accepted = true } else {
                u = random.uniform()
                accepted = u! < h
            }
            var shown: DecisionDistributions?
            if recordsDistributions {
                let row = parent(i)
                shown = DecisionDistributions(
                    target: TopEntries.of(target[node: row]),
                    draft: rule == .deterministic ? .pointMass(tokens[i - 1]) : draft.map { TopEntries.of($0[node: row]) },
                    residual: i < gamma ? residualTop(at: i, chain: chain, tokens: tokens, ratio: ratio[i], rule: rule,
                                                      target: target, draft: draft) : nil)
            }
            decisions.append(VerificationDecision(
                node: chain[i - 1], token: tree[chain[i - 1]].token, round: 0,
                targetProbability: targetAt[i], draftProbability: draftAt[i], acceptanceProbability: h,
                uniform: u, accepted: accepted, residualMass: residual, pathWeight: ratio[i], distributions: shown))
            if accepted { tau = i; break }
            i -= 1
        }

        // The final token (lines 7–9).
        let last = tau == 0 ? -1 : chain[tau - 1]
        let p = target[node: last]
        let token: TokenID
        let kind: EmittedTokenKind
        if tau == gamma {
            kind = .bonus
            token = rule == .greedy ? TokenID(Sampler.argmax(p)) : drawFrom(p, random: &random)
        } else {
            kind = .resampled
            token = rule == .greedy
                ? TokenID(Sampler.argmax(p))
                : drawResidual(at: tau, chain: chain, tokens: tokens, ratio: ratio[tau], rule: rule, target: target, draft: draft,
                               random: &random)
        }
        let path = Array(chain.prefix(tau))
        var draw: FinalDraw?
        if recordsDistributions {
            let residual = kind == .resampled && rule != .greedy
                ? residualTop(at: tau, chain: chain, tokens: tokens, ratio: ratio[tau], rule: rule, target: target, draft: draft)
                : nil
            let fromResidual = residual.map { !$0.isEmpty } ?? false
            draw = FinalDraw(parent: last, token: token, kind: kind,
                             source: rule == .greedy ? .argmax : fromResidual ? .residual : .target,
                             distribution: fromResidual ? residual! : TopEntries.of(p))
        }
        return VerificationResult(acceptedPath: path, acceptedTokens: path.map { tree[$0].token },
                                  finalToken: token, finalKind: kind, decisions: decisions, finalDraw: draw)
    }

    /// The top entries of norm(max(0, p_i·P_(i+1) − Q_(i+1))) at x_i's node (empty
    /// when it has no mass); nil under the greedy rule. O(V).
    private func residualTop(
        at i: Int, chain: [Int], tokens: [TokenID], ratio w: Double, rule: VerificationRule, target: NodeDistributions,
        draft: NodeDistributions?
    ) -> TopEntries? {
        let node = i == 0 ? -1 : chain[i - 1]
        let p = target[node: node]
        switch rule {
        case .greedy:
            return nil
        case .deterministic:
            // Q = one-hot(x_(i+1)): the residual is P without x_(i+1), renormalised.
            let x = tokens[i]
            let px = Double(p[Int(x)])
            guard px < 1 else { return TopEntries() }
            var top = TopEntries.of(p, scale: 1 / (1 - px), count: TopEntries.defaultCount + 1)
            if let k = top.tokens.firstIndex(of: x) {
                top.tokens.remove(at: k)
                top.probabilities.remove(at: k)
            } else if top.count > TopEntries.defaultCount {
                top.tokens.removeLast()
                top.probabilities.removeLast()
            }
            return top
        default:
            return TopEntries.residual(p, times: w, minus: draft![node: node], times: 1)
        }
    }

    /// min(1, a/b) for b > 0, exactly 1 when a ≥ b.
    @inline(__always)
    static func ratio(_ a: Double, _ b: Double) -> Double { a >= b ? 1 : a / b }

    /// r_i = Σ_x max(0, p_i·P_(i+1)(x) − Q_(i+1)(x)), the rows at x_i's node. O(V),
    /// O(1) for deterministic proposals.
    private func residualMass(
        at i: Int, chain: [Int], tokens: [TokenID], ratio w: Double, rule: VerificationRule, target: NodeDistributions,
        draft: NodeDistributions?
    ) -> Double {
        let node = i == 0 ? -1 : chain[i - 1]
        let p = target[node: node]
        if rule == .deterministic {
            // Q = one-hot(x_(i+1)): Σ max(0, w·P − δ) = w·(1 − P(x_(i+1))), as w·P ≤ 1.
            return w * (1 - Double(p[Int(tokens[i])]))
        }
        let q = draft![node: node]
        var s0: Double = 0, s1: Double = 0
        var y = 0
        let n = vocabularySize
        while y + 2 <= n {
            s0 += max(0, w * Double(p[y]) - Double(q[y]))
            s1 += max(0, w * Double(p[y + 1]) - Double(q[y + 1]))
            y += 2
        }
        if y < n { s0 += max(0, w * Double(p[y]) - Double(q[y])) }
        return s0 + s1
    }

    /// Draws from norm(max(0, p_τ·P_(τ+1) − Q_(τ+1))), or P_(τ+1) if that has no mass.
    private mutating func drawResidual<R: VerificationRandomness>(
        at tau: Int, chain: [Int], tokens: [TokenID], ratio w: Double, rule: VerificationRule, target: NodeDistributions,
        draft: NodeDistributions?, random: inout R
    ) -> TokenID {
        let node = tau == 0 ? -1 : chain[tau - 1]
        let p = target[node: node]
        let n = vocabularySize
        var total: Double = 0
        if rule == .deterministic {
            let x = Int(tokens[tau])
            for y in 0..<n { weights[y] = w * Double(p[y]) }
            weights[x] = 0
            for y in 0..<n { total += weights[y] }
        } else {
            let q = draft![node: node]
            for y in 0..<n {
                let v = max(0, w * Double(p[y]) - Double(q[y]))
                weights[y] = v
                total += v
            }
        }
        if !(total > 0) { return drawFrom(p, random: &random) }
        return TokenID(weights.withUnsafeBufferPointer { random.draw(from: $0, total: total) })
    }

    /// Draws from the row p. O(V).
    private mutating func drawFrom<R: VerificationRandomness>(_ p: UnsafeBufferPointer<Float>, random: inout R) -> TokenID {
        var total: Double = 0
        for y in 0..<vocabularySize {
            weights[y] = Double(p[y])
            total += weights[y]
        }
        return TokenID(weights.withUnsafeBufferPointer { random.draw(from: $0, total: total) })
    }
}
