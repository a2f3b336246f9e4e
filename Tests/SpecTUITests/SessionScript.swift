import SpecCore
import SpecEngine
import SpecTUI

/// Scripted session events for the screen-model tests: what a decoder would
/// send for a few hand-made steps, with round numbers that are easy to check.
enum SessionScript {
    static let info = SessionInfo(target: "SmolLM2-135M-Instruct", draft: "self-draft 8/30 layers (0-7)",
                                  shape: "rsd-s W=2 L=3", sampling: SamplingParameters(temperature: 0.8))

    static func node(_ index: Int, _ token: TokenID, parent: Int, depth: Int, q: Double) -> DraftNodeRecord {
        DraftNodeRecord(index: index, token: token, parent: parent, depth: depth, draftProbability: q)
    }

    static func decision(_ node: Int, _ token: TokenID, round: Int = 0, p: Double, q: Double, u: Double,
                         accepted: Bool, residual: Double? = nil) -> SessionEvent {
        .decoding(.decision(step: 0, VerificationDecision(
            node: node, token: token, round: round, targetProbability: p, draftProbability: q,
            acceptanceProbability: min(1, p / q), uniform: u, accepted: accepted, residualMass: residual)))
    }

    static let texts: [TokenID: String] = [10: " the", 11: " fox", 12: " ran", 20: " a", 21: " little", 22: " old",
                                           23: " big", 24: " cat", 25: " dog", 26: "\n"]

    /// Configuration, prompt and token texts.
    static var opening: [SessionEvent] {
        [.configured(info), .prompt(text: "Once upon a time", tokenCount: 4)]
            + texts.sorted { $0.key < $1.key }.map { SessionEvent.tokenText(id: $0.key, text: $0.value) }
    }

    /// Step 0: a 2-node chain " the" → " fox", both accepted, then a bonus " ran".
    static var chainWithBonus: [SessionEvent] {
        [.decoding(.stepStarted(step: 0, prefixLength: 4, settings: "chain L=2")),
         .decoding(.levelDrafted(step: 0, level: 1, nodes: [node(0, 10, parent: -1, depth: 1, q: 0.6)], seconds: 0.004)),
         .decoding(.levelDrafted(step: 0, level: 2, nodes: [node(1, 11, parent: 0, depth: 2, q: 0.4)], seconds: 0.006)),
         .decoding(.treeVerified(step: 0, batchSize: 3, seconds: 0.03)),
         decision(0, 10, p: 0.7, q: 0.6, u: 0.2, accepted: true),
         decision(1, 11, p: 0.5, q: 0.4, u: 0.9, accepted: true),
         .decoding(.tokenEmitted(step: 0, token: 10, kind: .accepted)),
         .decoding(.tokenEmitted(step: 0, token: 11, kind: .accepted)),
         .decoding(.tokenEmitted(step: 0, token: 12, kind: .bonus)),
         .decoding(.stepFinished(StepSummary(step: 0, treeSize: 2, treeDepth: 2, acceptedPath: [0, 1], emitted: [10, 11, 12],
                                             deepestTested: 2, draftSeconds: 0.010, verifySeconds: 0.030, otherSeconds: 0.002)))]
    }

    /// The decisions of the three-level tree, in the verifier's order.
    static let treeDecisions: [SessionEvent] = [
        decision(0, 20, p: 0.5, q: 0.45, u: 0.3, accepted: true),
        decision(2, 21, p: 0.6, q: 0.5, u: 0.1, accepted: true),
        decision(5, 11, p: 0.1, q: 0.4, u: 0.8, accepted: false, residual: 0.3),
        decision(6, 24, round: 1, p: 0.05, q: 0.5, u: 0.7, accepted: false, residual: 0.25),
    ]

    /// Step 1: a three-level tree (" a" and " the" at depth 1, three nodes at
    /// depth 2, two at depth 3); " a" → " little" accepted, both children of
    /// " little" rejected, " dog" resampled.
    static var treeWithResample: [SessionEvent] {
        [.decoding(.stepStarted(step: 1, prefixLength: 7, settings: "rsd-s W=2 L=3")),
         .decoding(.levelDrafted(step: 1, level: 1, nodes: [node(0, 20, parent: -1, depth: 1, q: 0.45),
                                                            node(1, 10, parent: -1, depth: 1, q: 0.3)], seconds: 0.004)),
         .decoding(.levelDrafted(step: 1, level: 2, nodes: [node(2, 21, parent: 0, depth: 2, q: 0.5),
                                                            node(3, 22, parent: 0, depth: 2, q: 0.2),
                                                            node(4, 23, parent: 1, depth: 2, q: 0.3)], seconds: 0.005)),
         .decoding(.levelDrafted(step: 1, level: 3, nodes: [node(5, 11, parent: 2, depth: 3, q: 0.4),
                                                            node(6, 24, parent: 2, depth: 3, q: 0.3)], seconds: 0.006)),
         .decoding(.treeVerified(step: 1, batchSize: 8, seconds: 0.04))]
            + treeDecisions.map(stepped(1))
            + [.decoding(.tokenEmitted(step: 1, token: 20, kind: .accepted)),
               .decoding(.tokenEmitted(step: 1, token: 21, kind: .accepted)),
               .decoding(.tokenEmitted(step: 1, token: 25, kind: .resampled)),
               .decoding(.stepFinished(StepSummary(step: 1, treeSize: 7, treeDepth: 3, acceptedPath: [0, 2], emitted: [20, 21, 25],
                                                   deepestTested: 3, draftSeconds: 0.015, verifySeconds: 0.040, otherSeconds: 0.005)))]
    }

    /// The same event with its step number changed.
    static func stepped(_ step: Int) -> (SessionEvent) -> SessionEvent {
        { e in
            guard case let .decoding(.decision(_, d)) = e else { return e }
            return .decoding(.decision(step: step, d))
        }
    }

    /// Statistics after both steps, as the session would total them.
    static var statistics: DecodingStatistics {
        var s = DecodingStatistics()
        for e in chainWithBonus + treeWithResample {
            if case let .decoding(.stepFinished(summary)) = e { s.record(summary) }
        }
        return s
    }

    /// Both steps with their statistics and a baseline.
    static var twoSteps: [SessionEvent] {
        opening + [.baseline(tokensPerSecond: 25), .mode(.running)] + chainWithBonus + treeWithResample + [.statistics(statistics)]
    }
}
