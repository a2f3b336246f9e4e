import Foundation
import SpecCore
import SpecModels

/// A target and a separate draft model measured the way `make bench` reports
/// them: plain decoding of the target, chains of several depths, and for
/// rsd-c and rsd-s at each target budget the best of a few tree depths, all
/// greedy on the same prompts. The runs go prompt by prompt: plain decoding of
/// the prompt, every configuration on it, plain decoding again, then the next
/// prompt. So every configuration is measured within seconds of the plain runs
/// it is compared with (a prompt's round takes a few seconds per configuration),
/// and a change in the machine's load, which on a shared host swings plain
/// decoding by a quarter within minutes, hits every row alike.
///
/// Every configuration runs with the draft as loaded (its vocabulary) and the
/// runner's p-min and draft lookup, except `pairDefault`: the pair's measured
/// default (`PairDefaults`), run with its own draft vocabulary, p-min and lookup,
/// and its requantised draft (`defaultDraft`) when it has one.
public struct PairExperiment {
    /// One configuration to run.
    public struct Configuration: Sendable, Equatable {
        public var shape: DraftShape
        public var budget: Int?  // nil for the chains and the default
        /// The pair's default, run with its own knobs; nil for every other configuration.
        public var pairDefault: PairDefaults.Entry?
        public var isDefault: Bool { pairDefault != nil }
        /// The default's draft vocabulary (nil: the whole head), p-min and lookup; none for the others.
        public var draftVocabulary: Int? { pairDefault?.draftVocabulary }
        public var pMin: Double { pairDefault?.pMin ?? 0 }
        public var draftLookup: Int { pairDefault?.draftLookup ?? 0 }
        public var label: String {
            guard let d = pairDefault else { return shape.label }
            return "default \(shape.label)" + (draftVocabulary.map { " v" + Self.vocabularyLabel($0) } ?? "")
                + (pMin > 0 ? " p\(RunCommandLine.number(pMin))" : "") + (draftLookup > 0 ? " lk\(draftLookup)" : "")
                + (d.draftQuantization.map { " " + $0.name.lowercased() } ?? "")
        }
        static func vocabularyLabel(_ n: Int) -> String { n % 1024 == 0 ? "\(n / 1024)k" : "\(n)" }
    }

    /// One configuration's measurement.
    public struct Row: Sendable {
        public var shape: DraftShape
        public var label: String
        public var isDefault: Bool
        public var budget: Int?  // nil for the chains
        public var blockEfficiency: Double
        public var acceptanceByDepth: [Double]
        public var tokensPerSecond: Double
        public var plainTokensPerSecond: Double  // the plain runs around it
        public var speedupByKind: [(kind: String, speedup: Double)]
        public var speedup: Double { plainTokensPerSecond > 0 ? tokensPerSecond / plainTokensPerSecond : 0 }

        public init(shape: DraftShape, label: String? = nil, isDefault: Bool = false, budget: Int? = nil, blockEfficiency: Double,
                    acceptanceByDepth: [Double], tokensPerSecond: Double, plainTokensPerSecond: Double,
                    speedupByKind: [(kind: String, speedup: Double)] = []) {
            self.shape = shape
            self.label = label ?? shape.label
            self.isDefault = isDefault
            self.budget = budget
            self.blockEfficiency = blockEfficiency
            self.acceptanceByDepth = acceptanceByDepth
            self.tokensPerSecond = tokensPerSecond
            self.plainTokensPerSecond = plainTokensPerSecond
            self.speedupByKind = speedupByKind
        }
    }

    public struct Result: Sendable {
        public var plainTokensPerSecond: [Double]  // every plain pass, in order
        public var chains: [Row]
        public var trees: [Row]  // every tree tried
        /// The pair's default, when it ran.
        public var pairDefault: Row?
        public init(plainTokensPerSecond: [Double], chains: [Row], trees: [Row], pairDefault: Row? = nil) {
            self.plainTokensPerSecond = plainTokensPerSecond
            self.chains = chains
            self.trees = trees
            self.pairDefault = pairDefault
        }

        /// The fastest row of all.
        public var fastest: Row? { (chains + trees + (pairDefault.map { [$0] } ?? [])).max { $0.tokensPerSecond < $1.tokensPerSecond } }
        /// The best tree (by tokens/s) of each method at each budget.
        public var bestTrees: [Row] {
            var best: [String: Row] = [:]
            for row in trees {
                let key = "\(row.shape.method.rawValue) \(row.budget ?? 0)"
                if (best[key]?.tokensPerSecond ?? -1) < row.tokensPerSecond { best[key] = row }
            }
            return trees.filter { row in best["\(row.shape.method.rawValue) \(row.budget ?? 0)"].map { $0.shape == row.shape } ?? false }
        }
    }

    public let runner: BenchRunner
    public let draft: DraftSource
    public var chainDepths = [2, 4, 6, 8]
    public var budgets = [4, 8, 16]
    public var treeDepths = [2, 4, 6]
    /// Greedy unless set.
    public var sampling = SamplingParameters.greedy
    public var seed: UInt64 = 0
    /// The pair's measured default, run last (after the trees) with its own draft vocabulary.
    public var pairDefault: PairDefaults.Entry?
    /// The draft vocabulary every other configuration runs with (restored after the default).
    public var draftVocabulary: Int?
    /// Applies a draft vocabulary to `draft` (nil: the whole head); needed when `pairDefault` is set.
    public var applyDraftVocabulary: ((Int?) throws -> Void)?
    /// The draft of `pairDefault` when it is requantised (`PairDefaults.Entry.draftQuantization`),
    /// with the default's vocabulary already applied; nil: the default runs on `draft`.
    public var defaultDraft: DraftSource?

    public init(runner: BenchRunner, draft: DraftSource) {
        self.runner = runner
        self.draft = draft
    }

    /// The trees tried for `method` at `budget`: the largest of each depth in
    /// `treeDepths` that fits, without repeats, and only real trees: a shape of
    /// one child per node (rsd-c b=1,1,…, rsd-s W=1) is a chain the chains already measure.
    public func trees(_ method: DraftMethod, budget: Int) -> [DraftShape] {
        var shapes: [DraftShape] = []
        for depth in treeDepths where depth <= budget {
            if let shape = try? DraftShape.largest(method, budget: budget, depth: depth, vocabularySize: runner.target.vocabularySize),
               shape.maxNodeCount > shape.depth, !shapes.contains(shape) {
                shapes.append(shape)
            }
        }
        return shapes
    }

    /// Every configuration in run order: chains, trees, then the pair's default.
    public var configurations: [Configuration] {
        chainDepths.map { Configuration(shape: .chain(depth: $0), budget: nil) }
            + [DraftMethod.rsdC, .rsdS].flatMap { method in budgets.flatMap { b in trees(method, budget: b).map { Configuration(shape: $0, budget: b) } } }
            + (pairDefault.map { [Configuration(shape: $0.shape, budget: nil, pairDefault: $0)] } ?? [])
    }

    /// Runs everything, prompt by prompt (plain, every configuration, plain);
    /// `progress` gets a line after each run. Nil when the runner was stopped.
    /// Runs per prompt: the configurations and two plain runs.
    public var runsPerPrompt: Int { configurations.count + 2 }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result? {
        let configurations = self.configurations
        var before: [PromptRun] = [], after: [PromptRun] = []
        var measured = [[PromptRun]](repeating: [], count: configurations.count)
        func plain(_ prompt: BenchRunner.EncodedPrompt) throws -> PromptRun? {
            let run = try runner.plain(prompt, sampling: sampling, seed: seed)
            if let run { progress(String(format: "%@: plain %.1f tokens/s", prompt.name, run.tokensPerSecond)) }
            return run
        }
        for prompt in runner.prompts {
            guard let first = try plain(prompt) else { return nil }
            before.append(first)
            for (i, configuration) in configurations.enumerated() {
                let run = try configuration.isDefault ? runDefault(configuration, prompt: prompt) : runner.speculative(
                    prompt, draft: draft, shape: configuration.shape, sampling: sampling, seed: seed, label: configuration.label)
                guard let run else { return nil }
                measured[i].append(run)
                progress(String(format: "%@: %@ %.1f tokens/s", prompt.name, configuration.label, run.tokensPerSecond))
            }
            guard let last = try plain(prompt) else { return nil }
            after.append(last)
        }
        let kinds = runner.prompts.map(\.kind)
        let distinctKinds = kinds.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let plainRate = (before + after).pooledTokensPerSecond
        var chains: [Row] = [], trees: [Row] = [], pairDefault: Row?
        for (i, runs) in measured.enumerated() {
            var byKind: [(String, Double)] = []
            for kind in distinctKinds {
                let spec = runs.indices.filter { kinds[$0] == kind }.map { runs[$0] }
                let base = (before + after).filter { $0.kind == kind }
                let baseRate = base.pooledTokensPerSecond
                byKind.append((kind, baseRate > 0 ? spec.pooledTokensPerSecond / baseRate : 0))
            }
            let stats = runs.pooledStatistics
            let c = configurations[i]
            let row = Row(shape: c.shape, label: c.label, isDefault: c.isDefault, budget: c.budget, blockEfficiency: stats.blockEfficiency,
                          acceptanceByDepth: stats.acceptanceByDepth, tokensPerSecond: runs.pooledTokensPerSecond,
                          plainTokensPerSecond: plainRate, speedupByKind: byKind)
            if c.isDefault { pairDefault = row } else if c.budget == nil { chains.append(row) } else { trees.append(row) }
        }
        return Result(plainTokensPerSecond: [before.pooledTokensPerSecond, after.pooledTokensPerSecond],
                      chains: chains, trees: trees, pairDefault: pairDefault)
    }

    /// The pair's default on `prompt` with its own draft vocabulary, p-min and lookup; the
    /// experiment's vocabulary and the runner's p-min and lookup are restored after, also on error.
    private func runDefault(_ configuration: Configuration, prompt: BenchRunner.EncodedPrompt) throws -> PromptRun? {
        let pMin = runner.pMin, lookup = runner.draftLookup
        defer {
            runner.pMin = pMin
            runner.draftLookup = lookup
        }
        runner.pMin = configuration.pMin
        runner.draftLookup = configuration.draftLookup > 0 ? try? NGramDrafter(maxN: configuration.draftLookup) : nil
        if let defaultDraft {
            return try runner.speculative(prompt, draft: defaultDraft, shape: configuration.shape, sampling: sampling, seed: seed,
                                          label: configuration.label)
        }
        guard let apply = applyDraftVocabulary else { throw BenchError("the pair's default needs a way to set the draft vocabulary") }
        try apply(configuration.draftVocabulary)
        do {
            let run = try runner.speculative(prompt, draft: draft, shape: configuration.shape, sampling: sampling, seed: seed,
                                             label: configuration.label)
            try apply(draftVocabulary)
            return run
        } catch {
            try? apply(draftVocabulary)
            throw error
        }
    }

    /// The result as a table, one line per row.
    public static func report(_ result: Result) -> [String] {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        let rates = result.plainTokensPerSecond.map { String(format: "%.1f", $0) }.joined(separator: ", ")
        let mean = result.plainTokensPerSecond.reduce(0, +) / Double(max(1, result.plainTokensPerSecond.count))
        var lines = [String(format: "plain decoding of the target: %.1f tokens/s (mean of the runs before and after each prompt's configurations: %@)",
                            mean, rates), ""]
        let kinds = (result.chains.first ?? result.trees.first ?? result.pairDefault)?.speedupByKind.map(\.kind) ?? []
        let rows = result.chains + result.trees + (result.pairDefault.map { [$0] } ?? [])
        let labelWidth = max(26, (rows.map(\.label.count).max() ?? 0) + 2)
        lines.append(pad("shape", labelWidth) + pad("budget", 7) + " block eff.  tokens/s  speedup  " + kinds.map { pad("×" + $0, 16) }.joined() + "acceptance by depth")
        func line(_ row: Row) -> String {
            pad(row.label, labelWidth) + pad(row.budget.map(String.init) ?? "-", 7)
                + String(format: " %10.2f  %8.1f  %6.2f×  ", row.blockEfficiency, row.tokensPerSecond, row.speedup)
                + row.speedupByKind.map { pad(String(format: "%.2f×", $0.speedup), 16) }.joined()
                + row.acceptanceByDepth.map { String(format: "%.2f", $0) }.joined(separator: " ")
        }
        lines += result.chains.map(line)
        lines += result.bestTrees.map(line)
        if let row = result.pairDefault { lines.append(line(row)) }
        let others = result.trees.filter { row in !result.bestTrees.contains { $0.shape == row.shape } }
        if !others.isEmpty {
            lines.append("")
            lines.append("other trees tried: " + others.map { String(format: "%@ (budget %d) %.2f×", $0.shape.label, $0.budget ?? 0, $0.speedup) }.joined(separator: "; "))
        }
        if let best = result.fastest {
            lines.append("")
            lines.append(String(format: "fastest: %@, %.1f tokens/s, %.2f× plain decoding measured around it", best.label, best.tokensPerSecond, best.speedup))
        }
        return lines
    }
}

extension PairExperiment {
    /// The result against llama.cpp's plain decoding of the same file
    /// (`llama` in run order: before and after spectree's runs): the fastest
    /// configuration's and the pair default's tokens/s as multiples of
    /// llama.cpp's plain (their mean) and of spectree's plain (the passes
    /// around each row). Without llama-bench figures, only spectree's.
    public static func llamaComparison(_ result: Result, llama: [LlamaBench.Measurement], threads: Int) -> [String] {
        var lines: [String] = []
        let plain = result.plainTokensPerSecond.reduce(0, +) / Double(max(1, result.plainTokensPerSecond.count))
        let llamaMean = llama.isEmpty ? nil : llama.map(\.tokensPerSecond).reduce(0, +) / Double(llama.count)
        if let llamaMean, let test = llama.first?.test {
            let each = llama.map { m in String(format: "%.1f", m.tokensPerSecond) + (m.spread.map { String(format: " ± %.1f", $0) } ?? "") }
            lines.append(String(format: "llama.cpp plain decoding (llama-bench %@, %d threads, %@): mean %.1f tokens/s",
                                test, threads, (llama.count == 2 ? "before, after: " : "runs: ") + each.joined(separator: ", "), llamaMean))
            lines.append(String(format: "spectree plain decoding: %.1f tokens/s (mean of %d passes) = %.2f× llama.cpp's",
                                plain, result.plainTokensPerSecond.count, plain / llamaMean))
        }
        var rows: [(String, Row)] = result.fastest.map { [("fastest", $0)] } ?? []
        if let d = result.pairDefault, !(result.fastest?.isDefault ?? false) { rows.append(("the pair's default", d)) }
        for (title, row) in rows {
            var line = String(format: "%@: %@, %.1f tokens/s = ", title, row.label, row.tokensPerSecond)
            if let llamaMean { line += String(format: "%.2f× llama.cpp's plain, ", row.tokensPerSecond / llamaMean) }
            line += String(format: "%.2f× spectree's plain (measured around it)", row.speedup)
            lines.append(line)
        }
        return lines
    }
}
