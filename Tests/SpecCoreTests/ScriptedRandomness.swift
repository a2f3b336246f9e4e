import SpecCore
import Testing

/// Randomness that follows a script of choices, so that every branch of a
/// verification can be replayed and enumerated.
///
/// A uniform draw has two branches: choice 0 returns u = 0 (accepts whenever
/// the acceptance probability a > 0), choice 1 returns the largest double
/// below 1 (rejects whenever a < 1). A categorical draw has one branch per
/// token of positive weight, with probability weight / total. Past the end
/// of the script it takes choice 0.
struct ScriptedRandomness: VerificationRandomness {
    struct Step {
        var isUniform: Bool
        var choice: Int
        var alternatives: Int
        /// For a categorical draw, the probability of the chosen token.
        var probability: Double
    }

    static let rejectingUniform = (1.0).nextDown

    var script: [Int]
    private(set) var steps: [Step] = []

    init(script: [Int]) { self.script = script }

    private var nextChoice: Int { steps.count < script.count ? script[steps.count] : 0 }

    mutating func uniform() -> Double {
        let choice = nextChoice
        steps.append(Step(isUniform: true, choice: choice, alternatives: 2, probability: .nan))
        return choice == 0 ? 0 : Self.rejectingUniform
    }

    mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int {
        let valid = weights.indices.filter { weights[$0] > 0 }
        precondition(!valid.isEmpty && total > 0, "a draw from an empty distribution")
        let choice = nextChoice
        let token = valid[choice]
        steps.append(Step(isUniform: false, choice: choice, alternatives: valid.count, probability: weights[token] / total))
        return token
    }
}

/// Runs `verifier` over every branch of its randomness on one tree and calls
/// `body` with each result and its exact probability. Branch probabilities of
/// accept/reject tests come from the decision records (a = min(1, p/q) as
/// used), after checking that each decision is the one a real uniform would
/// make; those of final draws from the distribution the verifier passed.
/// Checks that the probabilities of all branches sum to 1.
func forEachVerificationOutcome(
    _ verifier: inout TreeVerifier, _ tree: DraftTree, rule: VerificationRule,
    target: [Float], draft: [Float]?, _ body: (VerificationResult, Double) -> Void
) {
    var script: [Int] = []
    var total: Double = 0
    while true {
        var random = ScriptedRandomness(script: script)
        let result = verifier.verify(tree, rule: rule, target: target, draft: draft, random: &random)
        let tests = result.decisions.filter { $0.uniform != nil }
        let uniformSteps = random.steps.filter(\.isUniform)
        #expect(tests.count == uniformSteps.count, "one decision per uniform draw")
        var weight: Double = 1
        for (decision, step) in zip(tests, uniformSteps) {
            let a = min(1, decision.targetProbability / decision.draftProbability)
            #expect(abs(a - decision.acceptanceProbability) <= 1e-15)
            #expect(decision.accepted == (step.choice == 0 ? a > 0 : a >= 1), "decision inconsistent with u")
            weight *= step.choice == 0 ? a : 1 - a
        }
        for step in random.steps where !step.isUniform { weight *= step.probability }
        total += weight
        body(result, weight)
        guard let j = random.steps.lastIndex(where: { $0.choice + 1 < $0.alternatives }) else { break }
        script = random.steps[..<j].map(\.choice) + [random.steps[j].choice + 1]
    }
    #expect(abs(total - 1) <= 1e-12, "branch probabilities sum to \(total)")
}

/// The exact distribution of the first `length` emitted tokens when `shape`'s
/// trees are drawn in `world` and verified by `rule`, continued with p where
/// one step emits fewer tokens.
func exactOutputDistribution(
    _ shape: DraftShape, rule: VerificationRule, world: TinyWorld, length: Int,
    pMin: Double = 0, dropsLowDrawn: Bool = false
) -> [[TokenID]: Double] {
    var joint: [[TokenID]: Double] = [:]
    var verifier = TreeVerifier(vocabularySize: world.vocabularySize)
    var treeMass: Double = 0
    for (tree, probability) in DraftOutcomes.all(shape, world: world, pMin: pMin, dropsLowDrawn: dropsLowDrawn) {
        treeMass += probability
        let target = world.rows(tree, world.target)
        let draft = world.rows(tree, world.draft)
        forEachVerificationOutcome(&verifier, tree, rule: rule, target: target, draft: draft) { result, weight in
            #expect(result.emittedTokens.count == result.acceptedPath.count + 1)
            world.addExtended(result.emittedTokens, weight: probability * weight, into: &joint, length: length)
        }
    }
    #expect(abs(treeMass - 1) <= 1e-12, "draft outcomes sum to \(treeMass)")
    return joint
}
