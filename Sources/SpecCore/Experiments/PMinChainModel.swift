/// Predicts a chain with p-min (adaptive draft length) from chain steps
/// recorded without it: a replay, not a fitted model.
///
/// p-min stops a chain below the first node whose draft confidence (the
/// draft's probability of its most likely next token) is under p-min. That
/// decision reads only the draft's distribution at the node, before its child
/// is drawn, so a chain of depth L drafted without p-min contains, as its
/// prefix, exactly the chain p-min would have drafted from the same context:
/// the same tokens at temperature 0, the same draws in distribution otherwise.
/// Whether a drafted token is accepted does not depend on p-min either. So
/// for each recorded step with confidences c₀ (the root) … c_{L−1} and `a`
/// accepted tokens, a chain of depth d ≤ L with p-min t would have
///
///     k      = min{ i < d : c_i < t } (d when there is none)   nodes drafted
///     tokens = min(a, k) + 1                                    emitted
///     calls  = 1 + min(k, d − 1)                                draft calls (the root, then each drafted node that was asked for a child)
///     step   = calls · (D(1) + s_c) + V(k + 1) + o₀ + o₁ · k
///
/// with D, V, o₀, o₁ from `StepCostModel` and s_c the seconds the decoder
/// spends computing one confidence (0 at p-min 0, where it computes none).
/// Predicted tokens/s = Σ tokens ÷ Σ step seconds over the recorded steps.
/// The effect of p-min is thus measured on the pair's own text, with the
/// correlation between confidence and acceptance that a per-depth profile
/// cannot express. It holds for the prompts recorded (other text stops differently).
public enum PMinChainModel {
    /// One step of a chain drafted without p-min.
    public struct Step: Sendable, Equatable {
        /// c₀ … c_{L−1}: the draft's confidence at the root and at each drafted node that grew a child.
        public var confidences: [Double]
        /// Drafted tokens the target accepted (0 … L).
        public var accepted: Int

        public init(confidences: [Double], accepted: Int) {
            self.confidences = confidences
            self.accepted = accepted
        }

        /// Nodes drafted by a chain of `depth` with p-min `pMin`.
        public func drafted(depth: Int, pMin: Double) -> Int {
            let depth = min(depth, confidences.count)
            return confidences.prefix(depth).firstIndex { $0 < pMin } ?? depth
        }
    }

    /// A chain with p-min, predicted.
    public struct Prediction: Sendable, Equatable {
        public var pMin: Double
        /// Mean per step; `prediction.shape` is the chain.
        public var prediction: ShapePrediction
        /// Mean nodes drafted per step (the chain's depth when p-min never stops).
        public var meanDrafted: Double
        /// Mean draft calls per step.
        public var meanDraftCalls: Double
        /// Share of steps that p-min cut short.
        public var stoppedShare: Double
        /// Steps replayed.
        public var steps: Int
    }

    /// The deepest chain `steps` can replay: the fewest confidences any step recorded (0 for none).
    public static func deepestReplayable(_ steps: [Step]) -> Int { steps.map(\.confidences.count).min() ?? 0 }

    /// Replays `steps` for a chain of `depth` with p-min `pMin`; nil when no
    /// step recorded `depth` confidences or `depth` < 1.
    /// - Parameter confidenceSeconds: s_c, charged per draft call when `pMin` > 0.
    /// - Complexity: O(steps · depth).
    public static func predict(depth: Int, pMin: Double, steps: [Step], cost: StepCostModel,
                               confidenceSeconds: Double = 0) -> Prediction? {
        guard depth >= 1 else { return nil }
        let usable = steps.filter { $0.confidences.count >= depth }
        guard !usable.isEmpty else { return nil }
        let perCall = (cost.draftCall.map { $0(1) } ?? 0) + (pMin > 0 ? confidenceSeconds : 0)
        var tokens = 0.0, drafted = 0.0, calls = 0.0, draft = 0.0, verify = 0.0, overhead = 0.0, stopped = 0.0
        for step in usable {
            let k = step.drafted(depth: depth, pMin: pMin)
            let c = 1 + min(k, depth - 1)
            tokens += Double(min(step.accepted, k) + 1)
            drafted += Double(k)
            calls += Double(c)
            draft += Double(c) * perCall
            verify += cost.verifyCall(k + 1)
            overhead += max(0, cost.overheadPerStep + cost.overheadPerNode * Double(k))
            if k < depth { stopped += 1 }
        }
        let n = Double(usable.count)
        let shape = ShapePrediction(shape: .chain(depth: depth), expectedTokensPerStep: tokens / n,
                                    draftSeconds: draft / n, verifySeconds: verify / n, overheadSeconds: overhead / n)
        return Prediction(pMin: pMin, prediction: shape, meanDrafted: drafted / n, meanDraftCalls: calls / n,
                          stoppedShare: stopped / n, steps: usable.count)
    }

    /// Every chain of depth 1 … min(`maxDepth`, `budget`, the deepest replayable) at every p-min.
    public static func predictAll(pMins: [Double], maxDepth: Int, budget: Int, steps: [Step], cost: StepCostModel,
                                  confidenceSeconds: Double = 0) -> [Prediction] {
        let deepest = min(maxDepth, budget, deepestReplayable(steps))
        guard deepest >= 1 else { return [] }
        return (1...deepest).flatMap { depth in
            pMins.compactMap { predict(depth: depth, pMin: $0, steps: steps, cost: cost, confidenceSeconds: confidenceSeconds) }
        }
    }
}
