import SpecCore
import Testing

/// Exact enumeration for any `DraftVerifier` (token, block, traversal): every
/// branch of its randomness on one tree with its probability. A test with a
/// uniform draw branches with the recorded acceptance probability a (choice 0
/// accepts when a > 0, choice 1 rejects when a < 1); a test without one must
/// be certain (a ≤ 0 rejects, a ≥ 1 accepts); categorical draws branch over
/// the weights the verifier passed. Checks that the branches sum to 1.
func forEachOutcome<V: DraftVerifier>(
    _ verifier: inout V, _ tree: DraftTree, rule: VerificationRule, target: [Float], draft: [Float]?,
    _ body: (VerificationResult, Double) -> Void
) {
    let v = Int(target.count / (tree.count + 1))
    var script: [Int] = []
    var total: Double = 0
    while true {
        var random = ScriptedRandomness(script: script)
        let result = target.withUnsafeBufferPointer { t in
            let targetRows = NodeDistributions(rows: t, vocabularySize: v)
            guard let draft else { return verifier.verify(tree, rule: rule, target: targetRows, draft: nil, random: &random) }
            return draft.withUnsafeBufferPointer { d in
                verifier.verify(tree, rule: rule, target: targetRows, draft: NodeDistributions(rows: d, vocabularySize: v),
                                random: &random)
            }
        }
        let tests = result.decisions.filter { $0.uniform != nil }
        let uniformSteps = random.steps.filter(\.isUniform)
        #expect(tests.count == uniformSteps.count, "one decision per uniform draw")
        var weight: Double = 1
        for (decision, step) in zip(tests, uniformSteps) {
            let a = decision.acceptanceProbability
            #expect(a >= 0 && a <= 1)
            #expect(decision.accepted == (step.choice == 0 ? a > 0 : a >= 1), "decision inconsistent with u")
            weight *= step.choice == 0 ? a : 1 - a
        }
        for decision in result.decisions where decision.uniform == nil {
            #expect(decision.accepted == (decision.acceptanceProbability >= 1), "an undrawn test must be certain")
        }
        for step in random.steps where !step.isUniform { weight *= step.probability }
        total += weight
        body(result, weight)
        guard let j = random.steps.lastIndex(where: { $0.choice + 1 < $0.alternatives }) else { break }
        script = random.steps[..<j].map(\.choice) + [random.steps[j].choice + 1]
    }
    #expect(abs(total - 1) <= 1e-12, "branch probabilities sum to \(total)")
}

/// Which verifier a case runs.
enum VerifierUnderTest: String, Sendable, CaseIterable {
    case token, block, traversal
    /// Block verification whose final token after a rejection comes from p
    /// instead of its residual norm(max(0, p_τ·P − Q)): deliberately wrong.
    case blockWithoutResidual
}

/// Any verifier by case, so one enumeration serves them all.
struct AnyVerifier: DraftVerifier {
    let kind: VerifierUnderTest
    var token: TreeVerifier
    var block: BlockVerifier
    var traversal: TraversalVerifier

    init(_ kind: VerifierUnderTest, vocabularySize: Int) {
        self.kind = kind
        token = TreeVerifier(vocabularySize: vocabularySize)
        block = BlockVerifier(vocabularySize: vocabularySize)
        traversal = TraversalVerifier(vocabularySize: vocabularySize)
    }

    mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: NodeDistributions, draft: NodeDistributions?,
        random: inout R
    ) -> VerificationResult {
        switch kind {
        case .token: return token.verify(tree, rule: rule, target: target, draft: draft, random: &random)
        case .block: return block.verify(tree, rule: rule, target: target, draft: draft, random: &random)
        case .traversal: return traversal.verify(tree, rule: rule, target: target, draft: draft, random: &random)
        case .blockWithoutResidual:
            var result = block.verify(tree, rule: rule, target: target, draft: draft, random: &random)
            if result.finalKind == .resampled {
                let p = target[node: result.acceptedPath.last ?? -1]
                let weights = p.map(Double.init)
                result.finalToken = TokenID(weights.withUnsafeBufferPointer { random.draw(from: $0, total: 1) })
            }
            return result
        }
    }
}

/// The exact distribution of the first `length` emitted tokens when `shape`'s
/// trees are drawn in `world` and judged by `kind` under `rule`, and the
/// expected number of accepted draft tokens per step.
func exactOutput(
    _ kind: VerifierUnderTest, _ shape: DraftShape, rule: VerificationRule, world: TinyWorld, length: Int
) -> (joint: [[TokenID]: Double], acceptedPerStep: Double) {
    var joint: [[TokenID]: Double] = [:]
    var accepted: Double = 0
    var verifier = AnyVerifier(kind, vocabularySize: world.vocabularySize)
    var treeMass: Double = 0
    for (tree, probability) in DraftOutcomes.all(shape, world: world) {
        treeMass += probability
        let target = world.rows(tree, world.target)
        let draft = rule == .deterministic ? nil : world.rows(tree, world.draft)
        forEachOutcome(&verifier, tree, rule: rule, target: target, draft: draft) { result, weight in
            #expect(result.emittedTokens.count == result.acceptedPath.count + 1)
            #expect(zip(result.acceptedPath, result.acceptedPath.dropFirst()).allSatisfy { tree[$1].parent == $0 },
                    "the accepted nodes form a path from the root")
            accepted += probability * weight * Double(result.acceptedPath.count)
            world.addExtended(result.emittedTokens, weight: probability * weight, into: &joint, length: length)
        }
    }
    #expect(abs(treeMass - 1) <= 1e-12, "draft outcomes sum to \(treeMass)")
    return (joint, accepted)
}
