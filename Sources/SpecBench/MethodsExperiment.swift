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

    /// The second paper's methods, the sweep's default (`dynamic` runs when asked for).
    public static let paperMethods: [DraftMethod] = [.chain, .specInfer, .rsdC, .rsdS]

    public init(draft: String, methods: [DraftMethod] = paperMethods, budgets: [Int], depth: Int,
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

    /// One configuration's figures, each with its spread over prompts.
    public struct Row: Sendable, Equatable {
        public var temperature: Double
        /// The methods this row stands for: one, or all of them when they draft the same chain at this budget.
        public var methods: [DraftMethod]
        public var budget: Int
        public var shape: DraftShape
        public var efficiency: SampleSummary
        public var tokensPerSecond: SampleSummary
        public var speedup: SampleSummary
        public var plainTokensPerSecond: Double
        public var prompts: [PromptSpeedup]
        /// The verifier that judged the trees.
        public var verifier: Verifier
        /// Draft tokens accepted per step.
        public var acceptedPerStep: Double
        /// Accepted tokens per step minus token-level verification's on the same
        /// trees (nil when the runs did not compare verifiers).
        public var gain: Double?

        public init(temperature: Double, methods: [DraftMethod], budget: Int, shape: DraftShape, efficiency: SampleSummary,
                    tokensPerSecond: SampleSummary, speedup: SampleSummary, plainTokensPerSecond: Double, prompts: [PromptSpeedup] = [],
                    verifier: Verifier = .token, acceptedPerStep: Double = 0, gain: Double? = nil) {
            self.verifier = verifier
            self.acceptedPerStep = acceptedPerStep
            self.gain = gain
            self.temperature = temperature
            self.methods = methods
            self.budget = budget
            self.shape = shape
            self.efficiency = efficiency
            self.tokensPerSecond = tokensPerSecond
            self.speedup = speedup
            self.plainTokensPerSecond = plainTokensPerSecond
            self.prompts = prompts
        }

        /// The method's name, or `all` for a shape every method shares.
        public var methodLabel: String { methods.count == 1 ? methods[0].rawValue : "all" }
        /// `rsd-c b=4,2 @16`: shape and budget (and the verifier unless token by token).
        public var configurationLabel: String { "\(shape.label) @\(budget)" + (verifier == .token ? "" : " \(verifier.rawValue)") }
    }

    /// One configuration to run.
    public struct Configuration: Sendable, Equatable {
        public var temperature: Double
        public var methods: [DraftMethod]
        public var budget: Int
        public var shape: DraftShape
        public var verifier: Verifier = .token
    }

    /// Every configuration of the sweep, in run order. At a budget where every
    /// method's largest shape is the same chain (`DraftShape.isChain`, equal
    /// depths), the methods draft and verify alike, so one configuration
    /// stands for all of them. Each configuration runs once per verifier that
    /// can judge its shape (block verification: chains only).
    /// - Throws: `SettingsError` when a budget is too small for any tree.
    public func configurations(vocabularySize: Int) throws(SettingsError) -> [Configuration] {
        var out: [Configuration] = []
        for temperature in temperatures {
            for budget in budgets {
                let shapes = try shapes(budget: budget, vocabularySize: vocabularySize)
                if shapes.count > 1, let first = shapes.first, shapes.allSatisfy({ $0.branching.allSatisfy { $0 == 1 } && $0.depth == first.depth }) {
                    out.append(Configuration(temperature: temperature, methods: methods, budget: budget, shape: .chain(depth: first.depth)))
                } else {
                    out += shapes.map { Configuration(temperature: temperature, methods: [$0.method], budget: budget, shape: $0) }
                }
            }
        }
        return out.flatMap { c in
            verifiers.filter { (try? $0.validate(c.shape)) != nil }.map { verifier in
                var configuration = c
                configuration.verifier = verifier
                return configuration
            }
        }
    }

    /// The shapes of the sweep at one budget.
    /// - Throws: `SettingsError` when the budget is too small for any tree.
    public func shapes(budget: Int, vocabularySize: Int) throws(SettingsError) -> [DraftShape] {
        try methods.map { method throws(SettingsError) in
            try DraftShape.largest(method, budget: budget, depth: depth, vocabularySize: vocabularySize)
        }
    }

    /// Configurations the sweep runs (budgets where every method drafts the same chain count once).
    public func configurationCount(vocabularySize: Int) -> Int { (try? configurations(vocabularySize: vocabularySize).count) ?? 0 }

    /// Units of progress `run` reports: one per prompt run.
    public func progressUnits(prompts: Int, vocabularySize: Int) -> Int { 2 * configurationCount(vocabularySize: vocabularySize) * prompts }

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

    /// Runs the sweep, appending each finished configuration to `writer`.
    /// - Parameter limit: stop after this many configurations (as if interrupted).
    /// - Returns: the finished rows, in run order.
    public func run(runner: BenchRunner, writer: ResultWriter, limit: Int? = nil) throws -> [Row] {
        let (source, _) = try DraftSpecification(draft).load(for: runner.target)
        var rows: [Row] = []
        for c in try configurations(vocabularySize: runner.target.vocabularySize) {
            if let limit, rows.count >= limit { break }
            let sampling = SamplingParameters(temperature: c.temperature, topK: 0, topP: 1)
            let compares = verifiers.count > 1
            let label = "T=\(c.temperature) \(c.shape.label)" + (compares ? " \(c.verifier.rawValue)" : "")
            guard let (plain, runs) = try runner.paired(draft: source, shape: c.shape, sampling: sampling, seed: seed,
                                                        label: label, verifier: c.verifier, compares: compares) else { break }
            let prompts = PromptSpeedup.paired(plain: plain, speculative: runs)
            let stats = runs.pooledStatistics
            var same = VerifierComparisonTotals()
            for run in runs { if let comparison = run.comparison { same.add(comparison) } }
            let row = Row(temperature: c.temperature, methods: c.methods, budget: c.budget, shape: c.shape,
                          efficiency: SampleSummary(runs.map(\.statistics.blockEfficiency)), tokensPerSecond: SampleSummary(runs.map(\.tokensPerSecond)),
                          speedup: SampleSummary(prompts.map(\.speedup)), plainTokensPerSecond: plain.pooledTokensPerSecond, prompts: prompts,
                          verifier: c.verifier,
                          acceptedPerStep: stats.steps > 0 ? Double(stats.emittedTokens - stats.steps) / Double(stats.steps) : 0,
                          gain: same.gain(c.verifier))
            rows.append(row)
            try writer.append(Self.values(row))
        }
        return rows
    }

    static func values(_ row: Row) -> [ResultTable.Value] {
        [.number(row.temperature), .text(row.methodLabel), .integer(row.budget), .text(row.shape.label),
         .integer(row.shape.maxNodeCount), .number(row.efficiency.mean), .number(row.efficiency.standardDeviation),
         .number(row.tokensPerSecond.mean), .number(row.tokensPerSecond.standardDeviation), .number(row.speedup.mean),
         .number(row.speedup.standardDeviation), .number(row.plainTokensPerSecond), .text(row.verifier.rawValue),
         .number(row.acceptedPerStep), row.gain.map { .number($0) } ?? .text("–")]
    }

    /// Columns the text table leaves out first when it does not fit, least important first.
    public static let droppable = ["tree_tokens", "tokens_per_s_sd", "plain_tokens_per_s", "tokens_per_s_mean", "method"]

    /// One line per budget where every method drafts the same chain (said once, run once).
    public static func degenerateNotes(_ rows: [Row]) -> [String] {
        var seen: Set<Int> = []
        var notes: [String] = []
        for r in rows where r.methods.count > 1 && !seen.contains(r.budget) {
            seen.insert(r.budget)
            notes.append("budget \(r.budget): every method (\(r.methods.map(\.rawValue).joined(separator: ", "))) drafts the same \(r.shape.label), so it ran once, as method \"all\".")
        }
        return notes
    }

    /// Speedup by prompt kind at one temperature: one column per method at its best budget (by mean speedup).
    public static func kindTable(_ rows: [Row], temperature: Double) -> ResultTable {
        let atT = rows.filter { $0.temperature == temperature }
        var columns: [(title: String, prompts: [PromptSpeedup])] = []
        var methods: [DraftMethod] = []
        for r in atT where r.methods.count == 1 && !methods.contains(r.methods[0]) { methods.append(r.methods[0]) }
        var shown: [Row] = []
        for m in methods {
            // A method whose best is the chain every method shares adds no column of its own.
            if let best = atT.filter({ $0.methods.contains(m) }).max(by: { $0.speedup.mean < $1.speedup.mean }), !shown.contains(best) {
                shown.append(best)
                columns.append(("\(best.methodLabel) @\(best.budget)", best.prompts))
            }
        }
        if columns.isEmpty, let only = atT.max(by: { $0.speedup.mean < $1.speedup.mean }) { columns.append(("all @\(only.budget)", only.prompts)) }
        return KindTable.make(columns)
    }

    /// The conclusion in words, one line per temperature, from the rows: the
    /// configuration with the highest mean speedup, by how much and with what
    /// spread over prompts, whether it is clearly ahead of the next best
    /// (paired over prompts), whether plain decoding is faster, and the
    /// configuration with the highest block efficiency (the paper's measure).
    public static func conclusion(_ rows: [Row]) -> [String] {
        var temperatures: [Double] = []
        for r in rows where !temperatures.contains(r.temperature) { temperatures.append(r.temperature) }
        guard !temperatures.isEmpty else { return ["conclusion: no configuration finished"] }
        return temperatures.map { t in
            let ranked = rows.filter { $0.temperature == t }.sorted { $0.speedup.mean > $1.speedup.mean }
            let best = ranked[0]
            let name = { (r: Row) -> String in
                let shape = r.methods.count == 1 ? "\(r.shape.label) (budget \(r.budget))" : "the shared \(r.shape.label) (budget \(r.budget), every method)"
                return r.verifier == .token ? shape : shape + " with \(r.verifier.rawValue) verification"
            }
            var text = String(format: "conclusion at T=%g%@: ", t, t == 0 ? " (greedy)" : "")
            let spread = best.speedup.count >= 2 ? String(format: " ± %.2f sd over %d prompts", best.speedup.standardDeviation, best.speedup.count) : ""
            let verdict = best.prompts.verdictAgainstPlain(pooled: best.speedup.mean)
            if best.speedup.mean < 1 {
                text += verdict == .slower
                    ? String(format: "plain decoding is faster: the best, %@, reaches %.2f×%@ (%.0f%% slower).", name(best), best.speedup.mean, spread,
                             100 * (1 - best.speedup.mean))
                    : String(format: "no configuration is clearly faster or slower than plain decoding: the best, %@, reaches %.2f×%@, a spread that holds 1×.",
                             name(best), best.speedup.mean, spread)
            } else {
                text += String(format: "%@ wins at %.2f×%@, %.0f%% faster than plain decoding%@", name(best), best.speedup.mean, spread,
                               100 * (best.speedup.mean - 1), verdict == .faster ? "" : " (but the spread over prompts holds 1×)")
                if ranked.count >= 2 {
                    let second = ranked[1]
                    text += String(format: "; next %@ at %.2f× (%@)", name(second), second.speedup.mean,
                                   best.prompts.clearlyAhead(of: second.prompts) ? "the lead is beyond the prompts' spread" : "the lead is within the prompts' spread")
                }
                text += "."
            }
            if let efficient = ranked.max(by: { $0.efficiency.mean < $1.efficiency.mean }) {
                text += String(format: " Most tokens per call: %@, %.2f.", name(efficient), efficient.efficiency.mean)
            }
            return text
        }
    }
}
