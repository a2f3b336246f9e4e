import Foundation
import SpecCore
import SpecModels

/// A small `TuneExperiment` sized for a live session: one prompt (the
/// session's own), few call sizes and passes, short calibration runs, and
/// the best shape run once against plain decoding. The executable's live
/// tuner runs it for the session's `tune` key.
///
/// Cost: about `2 · callsPerPoint` passes over the call sizes (a few hundred
/// milliseconds on a 135M model), `calibrationShapes.count` speculative runs
/// of `tokens` tokens, then one plain and one speculative run of `tokens`
/// when `validates`: some seconds to some tens of seconds on a small model.
/// It resets both models' caches: the caller restores its own state after.
public struct QuickTune: Sendable {
    /// Target call sizes n timed for V(n).
    public var verifySizes: [Int]
    /// Draft call widths w timed for D(w).
    public var draftWidths: [Int]
    /// Timed passes over the sizes (after one warm-up).
    public var callsPerPoint: Int
    /// Runs that measure acceptance by depth and rank.
    public var calibrationShapes: [DraftShape]
    /// Tokens per calibration and validation run.
    public var tokens: Int
    /// Deepest tree searched.
    public var maxDepth: Int
    public var methods: [DraftMethod]
    /// Whether the best shape is run (paired with plain decoding) after the search.
    public var validates: Bool
    /// p-min values searched for chains (by replaying the calibration chain's
    /// recorded confidences, `PMinChainModel`); empty: chains without p-min only.
    public var pMins: [Double]

    public init(verifySizes: [Int] = [1, 2, 4, 8, 16, 32, 48, 64], draftWidths: [Int] = [1, 2, 4, 8, 16, 32], callsPerPoint: Int = 3,
                calibrationShapes: [DraftShape] = [.rsdC(branching: [4, 2, 2]), .chain(depth: 6)], tokens: Int = 48,
                maxDepth: Int = 8, methods: [DraftMethod] = [.chain, .rsdC, .rsdS], validates: Bool = true,
                pMins: [Double] = [0, 0.3, 0.5, 0.7]) {
        self.pMins = pMins
        self.verifySizes = verifySizes
        self.draftWidths = draftWidths
        self.callsPerPoint = callsPerPoint
        self.calibrationShapes = calibrationShapes
        self.tokens = tokens
        self.maxDepth = maxDepth
        self.methods = methods
        self.validates = validates
    }

    /// What the tune found: the best shape's prediction, plain decoding
    /// predicted from the same measurements, and both measured when validated.
    public struct Result {
        public var best: ShapePrediction
        /// The best shape's p-min (0: none).
        public var pMin: Double
        public var plainPredictedTokensPerSecond: Double
        public var measured: (plain: Double, speculative: Double)?
        public var seconds: Double
    }

    /// Measures, searches and (with `validates`) runs the best shape.
    /// - Parameters:
    ///   - budget: most tree tokens a step may draft (capped at what one target call verifies).
    ///   - progress: a short note as each stage starts.
    ///   - shouldStop: polled between measurements; true abandons the tune.
    /// - Returns: the result, or nil when stopped.
    /// - Throws: `BenchError` when the prompt leaves no room in the context, or a model error.
    public func run(target: Transformer, draft: String, draftModel: any LanguageModel, prompt: [TokenID], sampling: SamplingParameters,
                    seed: UInt64, budget: Int, progress: @escaping (String) -> Void, shouldStop: @escaping () -> Bool) throws -> Result? {
        let start = ContinuousClock.now
        let budget = min(budget, target.maxBatch - 1)
        var experiment = TuneExperiment(drafts: [draft], sampling: sampling, seed: seed, budget: budget, maxDepth: maxDepth, quick: true)
        experiment.methods = methods
        experiment.verifySizes = verifySizes
        experiment.draftWidths = draftWidths
        experiment.callsPerPoint = callsPerPoint
        experiment.pMins = methods.contains(.chain) ? pMins.filter { $0 > 0 } : []
        // Calibration trees within the budget (a small budget gets a short chain and one level of siblings).
        var calibration = calibrationShapes.filter { $0.maxNodeCount <= budget && $0.depth <= maxDepth }
        if calibration.isEmpty, budget >= 1 {
            calibration = [.chain(depth: min(budget, maxDepth, 6))] + (budget >= 2 ? [.rsdC(branching: [min(budget, 4)])] : [])
        }
        experiment.calibrationShapes = calibration
        try experiment.validate(maxTreeTokens: target.maxBatch - 1)
        let runner = try BenchRunner(target: target, encodedPrompts: [.init(name: "session prompt", kind: "live", tokens: prompt)],
                                     tokens: tokens)
        runner.shouldStop = shouldStop
        let report: (TuneExperiment.Progress) -> Void = { progress($0.description) }

        progress("timing target calls")
        guard let verify = try experiment.measureTarget(runner: runner, progress: report) else { return nil }
        progress("timing draft calls")
        guard let m = try experiment.measure(runner: runner, draftModel: draftModel, verify: verify, progress: report) else { return nil }
        if shouldStop() { return nil }
        guard let candidate = try experiment.search(m, draft: draft).first else {
            throw BenchError("no tree shape fits a budget of \(budget) tokens and depth \(maxDepth)")
        }
        let best = candidate.prediction
        var measured: (plain: Double, speculative: Double)?
        if validates {
            progress("running \(candidate.label) against plain decoding on the prompt")
            runner.pMin = candidate.pMin
            guard let (plain, runs) = try runner.paired(draft: .model(draftModel), shape: best.shape, sampling: sampling,
                                                        seed: seed, label: "validate \(best.shape.label)")
            else { return nil }
            measured = (plain.pooledTokensPerSecond, runs.pooledTokensPerSecond)
        }
        return Result(best: best, pMin: candidate.pMin, plainPredictedTokensPerSecond: TuneExperiment.plainTokensPerSecond(m.verifyCall),
                      measured: measured, seconds: (ContinuousClock.now - start).seconds)
    }
}
