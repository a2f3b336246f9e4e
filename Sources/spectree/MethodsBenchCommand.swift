import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree bench methods`: the second paper's comparison (chain,
/// specinfer, rsd-c, rsd-s at fixed target budgets). Wiring only; the
/// experiment is `MethodsExperiment`.
struct MethodsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "Compare drafting methods at fixed target budgets, greedy and sampled: block efficiency, tokens/s, speedup, with spread over prompts."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sweep: BenchSweepOptions

    @Option(name: .long, help: "Draft source: self:K, a GGUF path, ngram:N.")
    var draft = "self:8"

    @Option(name: .long, parsing: .unconditional, help: "Tree depth L for the tree methods (a chain's depth is its budget).")
    var depth = 4

    @Option(name: .long, parsing: .unconditional, help: "Target budgets (tree tokens per call), e.g. 4,8,16,32 (4,16 with --quick).")
    var budgets: String?

    @Option(name: .long, parsing: .unconditional, help: "Temperatures, e.g. 0,1 (0 is greedy).")
    var temperatures = "0,1"

    @Option(name: .long, help: "Methods to compare.")
    var methods = "chain,specinfer,rsd-c,rsd-s"

    func run() throws {
        let prompts = try sweep.promptSet()
        let budgetList = try ListOption.integers(budgets ?? (sweep.quick ? "4,16" : "4,8,16,32"), option: "--budgets")
        let experiment = MethodsExperiment(draft: draft, methods: try ListOption.methods(methods), budgets: budgetList, depth: depth,
                                           temperatures: try ListOption.numbers(temperatures, option: "--temperatures"), seed: sweep.seed)
        for b in budgetList where b < 1 { throw ValidationError("budget \(b) is too small for any tree: a tree needs at least 1 token") }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1, got \(depth)") }
        let writer = try sweep.writer(columns: MethodsExperiment.columns)
        let loaded = try modelOptions.load { try $0.checkSweep(drafts: [draft], depth: depth) }
        try experiment.validate(vocabularySize: loaded.model.vocabularySize, maxTreeTokens: loaded.ranges.maxTreeNodes)
        let vocabularySize = loaded.model.vocabularySize
        let progress = ProgressReporter(total: experiment.progressUnits(prompts: prompts.prompts.count, vocabularySize: vocabularySize))
        let runner = try sweep.runner(loaded, prompts: prompts, progress: progress, quickTokens: 12)
        print("target \(loaded.name), draft \(DraftName.short(draft)), tree depth \(depth), \(runner.tokens) tokens × \(prompts.prompts.count) prompts (\(prompts.kinds.joined(separator: ", ")))")
        let rows = try experiment.run(runner: runner, writer: writer, limit: sweep.limit)
        progress.finish()
        for note in MethodsExperiment.degenerateNotes(rows) { print(note) }
        print(sweep.text(writer.table, droppable: MethodsExperiment.droppable), terminator: "")
        print("budget: tree tokens the target verifies per call; shape: the largest of the method within it (a chain's depth is the budget).")
        print("±sd: standard deviation over prompts; speedup per prompt = speculative ÷ plain tokens/s on that prompt, run just before.")
        if prompts.kinds.count > 1 {
            var temperatures: [Double] = []
            for r in rows where !temperatures.contains(r.temperature) { temperatures.append(r.temperature) }
            for t in temperatures {
                print("\nspeedup by prompt kind at T=\(String(format: "%g", t)) (each method at its best budget; mean over the kind's prompts)")
                print(sweep.text(MethodsExperiment.kindTable(rows, temperature: t)), terminator: "")
            }
        }
        print("")
        for line in MethodsExperiment.conclusion(rows) { print(line) }
        try sweep.writePlot {
            MethodsExperiment.chart(rows, context: ChartContext(model: loaded.name, draft: DraftName.short(draft)), methods: experiment.methods)
        }
        try sweep.finish(rows: rows.count, expected: experiment.configurationCount(vocabularySize: vocabularySize), progress: progress)
    }
}
