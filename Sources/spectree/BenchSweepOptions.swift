import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// Options every sweep (`bench draft-depth`, `bench methods`, `tune`) shares:
/// prompts, tokens, the quick sweep, output files, a configuration limit.
struct BenchSweepOptions: ParsableArguments {
    @Option(name: .long, help: "Prompt file: JSON like prompts/prompts.json, or plain text with one prompt per line (default: the built-in set, 18 prompts in 6 task kinds).")
    var prompts: String?

    @Option(name: .long, help: "Only the prompts of these kinds (comma-separated, e.g. 'code completion,code chat'); with --quick, all of them.")
    var kinds: String?

    @Option(name: .long, parsing: .unconditional, help: "Tokens to generate per prompt (default: 64; fewer with --quick).")
    var tokens: Int?

    @Flag(name: .long, help: "A reduced sweep (3 prompts from different task kinds, fewer tokens and configurations) that runs in under a minute.")
    var quick = false

    @Option(name: .long, help: "Write the rows to this CSV file (rewritten as each configuration finishes).")
    var csv: String?

    @Option(name: .long, help: "Write the rows to this JSON file (an array of objects).")
    var json: String?

    @Option(name: .long, help: "Write the rows to this Markdown file.")
    var markdown: String?

    @Option(name: .long, help: "Draw the results as an SVG chart in this file (axes, units, legend; model, draft, machine and date in the title).")
    var plot: String?

    @Flag(name: .long, help: "Print every table column, however wide (default: fit the terminal's width, or 100 columns when not a terminal).")
    var wide = false

    @Option(name: .long, parsing: .unconditional, help: "Stop after this many configurations (as Ctrl-C does): what finished is kept.")
    var limit: Int?

    @Option(name: .long, parsing: .unconditional, help: "Random seed for sampled runs.", transform: { try SettingRanges.seed($0) })
    var seed: UInt64 = 0

    func validate() throws {
        if let tokens, tokens < 2 { throw ValidationError("--tokens must be at least 2, got \(tokens)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    /// Tokens per prompt: --tokens, else 64, else `quickTokens` with --quick.
    func tokenCount(quickTokens: Int = 24) -> Int { tokens ?? (quick ? quickTokens : 64) }

    /// The prompt set: the user's file or the built-in one; 3 spread over the kinds with --quick.
    func promptSet() throws -> PromptSet {
        let set = try prompts.map { try PromptSet(contentsOf: $0) } ?? PromptSet.builtIn
        guard let kinds else { return quick ? set.spread(count: 3) : set }
        let wanted = Set(kinds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let chosen = PromptSet(prompts: set.prompts.filter { wanted.contains($0.kind) })
        guard !chosen.prompts.isEmpty else {
            throw ValidationError("no prompt has a kind in '\(kinds)'; kinds: \(set.kinds.joined(separator: ", "))")
        }
        return chosen
    }

    /// The result files, created now so that a bad path fails before the sweep (the chart's folder is checked too).
    func writer(columns: [ResultTable.Column]) throws -> ResultWriter {
        if let plot { try ChartContext.checkWritable(plot) }
        return try ResultWriter(columns: columns, csv: csv, json: json, markdown: markdown)
    }

    /// `table` as text within the terminal's width (all columns with --wide).
    func text(_ table: ResultTable, droppable: [String] = []) -> String {
        TextTable(table, droppable: droppable).render(width: wide ? nil : TextTable.outputWidth)
    }

    /// Prints a speedup-by-prompt-kind table under a heading (nothing for nil).
    func printByKind(_ table: ResultTable?, heading: String = "speedup by prompt kind (mean over the kind's prompts)") {
        guard let table else { return }
        print("\n" + heading)
        print(text(table), terminator: "")
    }

    /// Writes the chart `make` draws to --plot, when given, and says where it went.
    func writePlot(_ make: () -> Chart) throws {
        guard let plot else { return }
        try ChartContext.write(make(), to: plot)
        FileHandle.standardError.write(Data("chart written to \(plot)\n".utf8))
    }

    /// The runner over `loaded`'s model, with progress on stderr and Ctrl-C handling.
    func runner(_ loaded: LoadedModel, prompts: PromptSet, progress: ProgressReporter, quickTokens: Int = 24) throws -> BenchRunner {
        let runner = try BenchRunner(target: loaded.model, tokenizer: loaded.tokenizer, prompts: prompts,
                                     system: PromptOptions.defaultSystem(in: loaded.file), tokens: tokenCount(quickTokens: quickTokens))
        Interruption.install()
        runner.shouldStop = { Interruption.requested }
        runner.onPromptRun = { progress.advance($0) }
        return runner
    }

    /// After the sweep: says where the rows went and exits 130 after Ctrl-C.
    func finish(rows: Int, expected: Int, progress: ProgressReporter) throws {
        progress.finish()
        let files = [csv, json, markdown].compactMap { $0 }
        if !files.isEmpty { FileHandle.standardError.write(Data("rows written to \(files.joined(separator: ", "))\n".utf8)) }
        if Interruption.requested {
            FileHandle.standardError.write(Data("interrupted: \(rows) of \(expected) configurations finished and were kept\n".utf8))
            throw ExitCode(130)
        }
        if rows < expected {
            FileHandle.standardError.write(Data("stopped after \(rows) of \(expected) configurations (--limit)\n".utf8))
        }
    }
}
