import Foundation
import SpecCore
import SpecModels

/// The second paper's comparison on the user's own model (*Recursive
/// Speculative Decoding*): chain, specinfer, rsd-c and rsd-s with one draft,
/// at fixed target budgets (tree tokens per call; the largest shape of each
/// method that fits, `DraftShape.largest`), greedy and sampled. Each figure
/// comes with its spread over prompts; each speedup is against plain decoding
/// of the same prompt run just before it (`BenchRunner.paired`).
public struct MethodsExperiment {
    public var draft: String
    public var methods: [DraftMethod]
    public var budgets: [Int]
    /// Tree depth for the tree methods (a chain's depth is its budget).
    public var depth: Int
    public var temperatures: [Double]
    public var seed: UInt64
    /// The verifier axis: each shape is decoded once per verifier that can
    /// judge it (block verification: chains only). With more than one, every
    /// run also judges its own trees with all verifiers, for the gain in
    /// accepted tokens per step on the same drafts.
    public var verifiers: [Verifier]

    public init(draft: String, methods: [DraftMethod] = DraftMethod.allCases, budgets: [Int], depth: Int,
                temperatures: [Double], seed: UInt64, verifiers: [Verifier] = [.token]) {
        self.draft = draft
        self.verifiers = verifiers
        self.methods = methods
        self.budgets = budgets
        self.depth = depth
        self.temperatures = temperatures
        self.seed = seed
    }

    public static let columns: [ResultTable.Column] = [
        .init("temperature", "T", decimals: 1), .init("method", "method"), .init("budget", "budget", unit: "tokens/call", decimals: 0),
        .init("shape", "shape"), .init("tree_tokens", "tree", unit: "tokens", decimals: 0),
        .init("block_efficiency_mean", "block eff.", unit: "tokens/call", decimals: 2),
        .init("block_efficiency_sd", "±sd", decimals: 2),
        .init("tokens_per_s_mean", "speculative", unit: "tokens/s", decimals: 1), .init("tokens_per_s_sd", "±sd", decimals: 1),
        .init("speedup_mean", "speedup", unit: "×", decimals: 2), .init("speedup_sd", "±sd", decimals: 2),
        .init("plain_tokens_per_s", "plain", unit: "tokens/s", decimals: 1),
        .init("verifier", "verifier"),
        .init("accepted_per_step", "accepted", unit: "tokens/step", decimals: 3),
        .init("gain_same_drafts", "gain", unit: "tokens/step", decimals: 3),
    ]

    /// The shapes of the sweep at one budget.
    /// - Throws: `SettingsError` when the budget is too small for any tree.
    public func shapes(budget: Int, vocabularySize: Int) throws(SettingsError) -> [DraftShape] {
        try methods.map { method throws(SettingsError) in
            try DraftShape.largest(method, budget: budget, depth: depth, vocabularySize: vocabularySize)
        }
    }

    public var configurationCount: Int {
        let perTemperature = budgets.reduce(0) { total, budget in
            total + methods.reduce(0) { count, method in
                guard let shape = try? DraftShape.largest(method, budget: max(1, budget), depth: max(1, depth)) else {
                    return count + verifiers.count
                }
                return count + verifiers.filter { (try? $0.validate(shape)) != nil }.count
            }
        }
        return temperatures.count * perTemperature
    }

    public func progressUnits(prompts: Int) -> Int { 2 * configurationCount * prompts }

    /// Checks budgets, depth and temperatures before any model runs.
    public func validate(vocabularySize: Int, maxTreeTokens: Int) throws {
        guard !budgets.isEmpty, !temperatures.isEmpty, !methods.isEmpty, !verifiers.isEmpty else {
            throw BenchError("nothing to sweep: give at least one budget, temperature, method and verifier")
        }
        for budget in budgets {
            guard budget >= 1 else { throw BenchError("budget \(budget) is too small for any tree: a tree needs at least 1 token") }
            guard budget <= maxTreeTokens else { throw BenchError("budget \(budget) exceeds the \(maxTreeTokens) tree tokens one target call verifies") }
            do { _ = try shapes(budget: budget, vocabularySize: vocabularySize) } catch { throw BenchError(error.description) }
        }
        for t in temperatures {
            do { try SamplingParameters(temperature: t, topK: 0, topP: 1).validate() } catch { throw BenchError(error.description) }
        }
    }

    /// Runs the sweep, appending each finished configuration to `writer`; returns how many finished.
    public func run(runner: BenchRunner, writer: ResultWriter, limit: Int? = nil) throws -> Int {
        let (source, _) = try DraftSpecification(draft).load(for: runner.target)
        let compares = verifiers.count > 1
        var finished = 0
        for temperature in temperatures {
            let sampling = SamplingParameters(temperature: temperature, topK: 0, topP: 1)
            for budget in budgets {
                let shapes = try shapes(budget: budget, vocabularySize: runner.target.vocabularySize)
                for shape in shapes {
                    for verifier in verifiers where (try? verifier.validate(shape)) != nil {
                        if let limit, finished >= limit { return finished }
                        let label = "T=\(temperature) \(shape.label)" + (compares ? " \(verifier.rawValue)" : "")
                        guard let (plain, runs) = try runner.paired(
                            draft: source, shape: shape, sampling: sampling, seed: seed, label: label,
                            verifier: verifier, compares: compares) else { return finished }
                        try writer.append(row(temperature, budget, shape, verifier, plain: plain, runs: runs))
                        finished += 1
                    }
                }
            }
        }
        return finished
    }

    /// One result row: block efficiency, tokens/s and speedup with their
    /// spread, accepted tokens per step and, when the runs compared the
    /// verifiers, the gain over token-level verification on the same trees.
    private func row(_ temperature: Double, _ budget: Int, _ shape: DraftShape, _ verifier: Verifier,
                     plain: [PromptRun], runs: [PromptRun]) -> [ResultTable.Value] {
        let efficiency = SampleSummary(runs.map(\.statistics.blockEfficiency))
        let rate = SampleSummary(runs.map(\.tokensPerSecond))
        let speedup = SampleSummary(zip(runs, plain).map { $0.tokensPerSecond / max(1e-9, $1.tokensPerSecond) })
        let stats = runs.pooledStatistics
        let acceptedPerStep = stats.steps > 0 ? Double(stats.emittedTokens - stats.steps) / Double(stats.steps) : 0
        var same = VerifierComparisonTotals()
        for run in runs { if let c = run.comparison { same.add(c) } }
        return [
            .number(temperature), .text(shape.method.rawValue), .integer(budget), .text(shape.label),
            .integer(shape.maxNodeCount), .number(efficiency.mean), .number(efficiency.standardDeviation),
            .number(rate.mean), .number(rate.standardDeviation), .number(speedup.mean), .number(speedup.standardDeviation),
            .number(plain.pooledTokensPerSecond), .text(verifier.rawValue), .number(acceptedPerStep),
            same.gain(verifier).map { .number($0) } ?? .text("–"),
        ]
    }
}
