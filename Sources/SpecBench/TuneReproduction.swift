import Foundation
import SpecCore

/// `tune`'s suggestion run again after the search, on the same prompts with
/// the same seed, each prompt decoded plainly just before (`BenchRunner.paired`):
/// does the suggestion reproduce the tokens/s tune predicted for it?
///
/// The ratio is measured ÷ predicted tokens/s; a ratio outside 1 ± `tolerance`
/// is a miss. Plain decoding is both predicted (from the same call-time
/// measurements) and measured in the run, so the report also says how much of
/// a miss the machine's load explains: when plain decoding moved by as much,
/// the speedup (a ratio of figures measured together) still holds.
public struct TuneReproduction: Sendable, Equatable {
    /// The largest relative miss that still counts as reproduced.
    public static let tolerance = 0.15

    /// The suggestion's label (draft, shape, p-min).
    public var label: String
    public var predictedTokensPerSecond: Double
    public var measuredTokensPerSecond: Double
    public var plainPredictedTokensPerSecond: Double
    public var plainMeasuredTokensPerSecond: Double
    public var prompts: Int
    public var seed: UInt64

    public init(label: String, predictedTokensPerSecond: Double, measuredTokensPerSecond: Double,
                plainPredictedTokensPerSecond: Double, plainMeasuredTokensPerSecond: Double, prompts: Int, seed: UInt64) {
        self.label = label
        self.predictedTokensPerSecond = predictedTokensPerSecond
        self.measuredTokensPerSecond = measuredTokensPerSecond
        self.plainPredictedTokensPerSecond = plainPredictedTokensPerSecond
        self.plainMeasuredTokensPerSecond = plainMeasuredTokensPerSecond
        self.prompts = prompts
        self.seed = seed
    }

    /// Measured ÷ predicted tokens/s (0 when nothing was predicted).
    public var ratio: Double { predictedTokensPerSecond > 0 ? measuredTokensPerSecond / predictedTokensPerSecond : 0 }
    /// Whether the measured tokens/s is within `tolerance` of the prediction.
    public var isReproduced: Bool { abs(ratio - 1) <= Self.tolerance }
    /// Plain decoding measured ÷ predicted: how much the machine's speed moved since tune measured it.
    public var plainRatio: Double { plainPredictedTokensPerSecond > 0 ? plainMeasuredTokensPerSecond / plainPredictedTokensPerSecond : 0 }
    public var predictedSpeedup: Double { plainPredictedTokensPerSecond > 0 ? predictedTokensPerSecond / plainPredictedTokensPerSecond : 0 }
    public var measuredSpeedup: Double { plainMeasuredTokensPerSecond > 0 ? measuredTokensPerSecond / plainMeasuredTokensPerSecond : 0 }
    /// Measured ÷ predicted speedup: the prediction with the machine's load divided out.
    public var speedupRatio: Double { predictedSpeedup > 0 ? measuredSpeedup / predictedSpeedup : 0 }

    /// The report: what ran, predicted against measured with the ratio and a
    /// flag, and plain decoding's ratio to tell a model's miss from the load's.
    public var report: [String] {
        let percent = Int((Self.tolerance * 100).rounded())
        var lines = ["reproduction: \(label), run again on the \(prompts) prompt\(prompts == 1 ? "" : "s") (fresh run, seed \(seed), each prompt just after plain decoding)"]
        lines.append(String(format: "predicted %.1f tokens/s, measured %.1f tokens/s: ratio %.2f, ", predictedTokensPerSecond, measuredTokensPerSecond, ratio)
                     + (isReproduced ? "reproduced within \(percent)%" : "MISS: beyond ±\(percent)% of the prediction"))
        lines.append(String(format: "plain decoding predicted %.1f, measured %.1f tokens/s (ratio %.2f); speedup predicted %.2f×, measured %.2f× (ratio %.2f)",
                            plainPredictedTokensPerSecond, plainMeasuredTokensPerSecond, plainRatio, predictedSpeedup, measuredSpeedup, speedupRatio))
        if !isReproduced {
            if abs(speedupRatio - 1) <= Self.tolerance {
                lines.append("the speedup holds: plain decoding moved as much, so the machine's load changed since the measurement, not the model's fit")
            } else {
                lines.append("the speedup misses too: the model's fit (acceptance or step cost) does not hold for this setting")
            }
        }
        return lines
    }
}

extension TuneExperiment {
    /// Runs `candidate` again, paired prompt by prompt with plain decoding,
    /// with its p-min; nil when stopped.
    /// - Parameters:
    ///   - model: the candidate's draft model.
    ///   - plainPredicted: plain decoding's predicted tokens/s.
    public func reproduce(_ candidate: Candidate, runner: BenchRunner, model: any LanguageModel,
                          plainPredicted: Double) throws -> TuneReproduction? {
        let pMinBefore = runner.pMin
        runner.pMin = candidate.pMin
        defer { runner.pMin = pMinBefore }
        guard let (plain, runs) = try runner.paired(draft: .model(model), shape: candidate.prediction.shape, sampling: sampling, seed: seed,
                                                    label: "reproduce \(candidate.draft) \(candidate.label)") else { return nil }
        return TuneReproduction(label: "\(candidate.draft) \(candidate.label)", predictedTokensPerSecond: candidate.prediction.tokensPerSecond,
                                measuredTokensPerSecond: runs.pooledTokensPerSecond, plainPredictedTokensPerSecond: plainPredicted,
                                plainMeasuredTokensPerSecond: plain.pooledTokensPerSecond, prompts: runner.prompts.count, seed: seed)
    }
}
