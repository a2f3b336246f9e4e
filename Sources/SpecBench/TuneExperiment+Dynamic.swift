import Foundation
import SpecCore

/// EAGLE-2's dynamic trees in tune's search: measured, not modelled.
///
/// A dynamic tree keeps the nodes of highest draft path probability, so which
/// nodes it verifies depends on the draft's confidence at every step: the
/// depth × rank profile cannot say how many of them the target accepts. So
/// each dynamic candidate runs on the prompts like a calibration shape, and
/// its prediction is what that run measured: tokens per step, and the mean
/// draft, verify and other seconds per step brought to the load of the
/// draft's calibration (÷ the run's verify time over the calibrated V(tree
/// tokens + 1) of its own steps, the same gauge `sameLoad` uses).
extension TuneExperiment {
    /// The dynamic trees tune runs when `methods` holds `dynamic`: each of
    /// `dynamicBudgets` within `budget`, `min(maxDepth, 6)` levels, the default width.
    public var dynamicShapes: [DraftShape] {
        guard methods.contains(.dynamic) else { return [] }
        let depth = min(maxDepth, 6)
        return dynamicBudgets.filter { $0 <= budget }
            .map { .dynamic(budget: $0, width: min(DraftShape.defaultDynamicWidth, $0), depth: depth) }
    }

    /// Runs each of `shapes` with `draftModel` on the prompts and predicts it
    /// from the run (see the extension's notes); nil when stopped.
    /// - Parameter m: the draft's measurements (its calibrated V gauges the run's load).
    public func measureDynamic(_ shapes: [DraftShape], runner: BenchRunner, draftModel: any LanguageModel, m: Measurements,
                               draft: String) throws -> [Candidate]? {
        var candidates: [Candidate] = []
        for shape in shapes {
            var draftSeconds = 0.0, verifySeconds = 0.0, otherSeconds = 0.0, modelledVerify = 0.0, steps = 0
            guard let runs = try runner.speculative(
                draft: .model(draftModel), shape: shape, sampling: sampling, seed: seed, label: "measure \(shape.label)",
                onEvent: { event in
                    guard case let .stepFinished(s) = event else { return }
                    draftSeconds += s.draftSeconds
                    verifySeconds += s.verifySeconds
                    otherSeconds += s.otherSeconds
                    modelledVerify += m.cost.verifyCall(s.treeSize + 1)
                    steps += 1
                })
            else { return nil }
            guard steps > 0 else { continue }
            let load = modelledVerify > 0 && verifySeconds > 0 ? verifySeconds / modelledVerify : 1
            let n = Double(steps) * load
            let prediction = ShapePrediction(shape: shape, expectedTokensPerStep: runs.pooledStatistics.blockEfficiency,
                                             draftSeconds: draftSeconds / n, verifySeconds: verifySeconds / n, overheadSeconds: otherSeconds / n)
            candidates.append(Candidate(draft: draft, prediction: prediction, measured: true))
        }
        return candidates
    }
}
