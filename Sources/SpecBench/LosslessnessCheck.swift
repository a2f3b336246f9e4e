import Foundation
import SpecCore

/// `spectree check`'s experiment: is speculative decoding lossless on this
/// model pair? Draws `samples` continuations of `tokens` tokens (K) with plain
/// sampling and as many with speculative decoding, each from its own seed,
/// and tests whether the two samples of K-token sequences come from one
/// distribution.
///
/// The rule: the statistic is the total-variation distance between the two
/// empirical distributions of the first K tokens (the outcome space is every
/// K-token sequence; K = 2 reaches a tree's second level, where sibling and
/// residual handling first matter); its null distribution comes from
/// `permutations` random relabellings of the pooled samples (a permutation
/// test, exact in level whatever the outcome space); the run fails when the
/// p-value is below `threshold`. A lossless decoder fails with probability
/// `threshold`; a lossy one is caught when its distance is well above the
/// chance level the test prints.
///
/// Cost: 2 · samples decodes of K tokens, then O(permutations · samples).
public struct LosslessnessCheck: Sendable {
    public var samples: Int
    /// K: tokens per outcome.
    public var tokens: Int
    public var seed: UInt64
    public var threshold = 0.01
    public var permutations = 2000

    /// - Throws: `BenchError` for fewer than 10 samples or K < 1.
    public init(samples: Int, tokens: Int, seed: UInt64) throws(BenchError) {
        guard samples >= 10 else { throw BenchError("samples must be at least 10, got \(samples)") }
        guard tokens >= 1 else { throw BenchError("tokens per outcome must be at least 1, got \(tokens)") }
        self.samples = samples
        self.tokens = tokens
        self.seed = seed
    }

    /// What a run found.
    public struct Result: Sendable {
        public var comparison: DistributionComparison
        /// Distinct K-token outcomes seen over both samples.
        public var distinctOutcomes: Int
        public var passed: Bool
    }

    /// Draws a continuation from a seed; returns at least K tokens (only the first K count).
    public typealias Sampler = (UInt64) throws -> [TokenID]

    /// Runs the check with the two samplers. Plain sample i uses seed + i,
    /// speculative sample i uses seed + samples + i.
    /// - Parameter progress: called after each sample (plain or speculative).
    public func run(plain: Sampler, speculative: Sampler, progress: (String) -> Void = { _ in }) throws -> Result {
        var a: [[TokenID]] = [], b: [[TokenID]] = []
        for i in 0..<samples {
            a.append(Array(try plain(seed + UInt64(i)).prefix(tokens)))
            progress("plain sample \(i + 1)")
            b.append(Array(try speculative(seed + UInt64(samples + i)).prefix(tokens)))
            progress("speculative sample \(i + 1)")
        }
        let comparison = DistributionComparison(a, b, permutations: permutations, seed: seed)
        return Result(comparison: comparison, distinctOutcomes: Set(a + b).count, passed: comparison.pValue >= threshold)
    }

    /// The rule in words, for the report before the figures.
    public var rule: String {
        "rule: permutation test (\(permutations) relabellings) of \"plain and speculative samples share one distribution\"; "
            + "statistic: total-variation distance between the empirical distributions of the first \(tokens) token\(tokens == 1 ? "" : "s") "
            + "(outcome space: every \(tokens)-token sequence); \(samples) samples each; lossless unless p < \(threshold)"
    }

    /// The report's lines after a run.
    public func report(_ result: Result) -> [String] {
        let c = result.comparison
        return [
            "samples    \(samples) plain, \(samples) speculative; \(tokens)-token outcomes, \(result.distinctOutcomes) distinct",
            String(format: "TV distance %.4f  (same-distribution samples exceed %.4f 5%% of the time)", c.totalVariation, c.chanceLevel95),
            String(format: "p-value    %.4f  (permutation test, %d permutations)", c.pValue, c.permutations),
            result.passed
                ? String(format: "consistent with lossless decoding (p = %.4f ≥ %g)", c.pValue, threshold)
                : String(format: "NOT consistent with lossless decoding (p = %.4f < %g)", c.pValue, threshold),
        ]
    }

    // MARK: - Samplers on models

    /// Plain sampling of `target` after `prompt`.
    public static func plainSampler(target: any LanguageModel, prompt: [TokenID], sampling: SamplingParameters, tokens: Int) -> Sampler {
        { seed in
            target.reset()
            var decoder = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: sampling, seed: seed)
            return try (0..<tokens).map { _ in try decoder.next() }
        }
    }

    /// Speculative decoding of `target` with `draft` and `shape` after `prompt`, stepped until K tokens are out.
    public static func speculativeSampler(target: any LanguageModel, draft: DraftSource, shape: DraftShape, sampling: SamplingParameters,
                                          prompt: [TokenID], tokens: Int) -> Sampler {
        { seed in
            target.reset()
            if case let .model(model) = draft { model.reset() }
            let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: shape, sampling: sampling, prompt: prompt, seed: seed)
            var emitted: [TokenID] = []
            while emitted.count < tokens { emitted += try decoder.step() }
            return emitted
        }
    }
}
