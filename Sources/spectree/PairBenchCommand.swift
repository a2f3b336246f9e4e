import ArgumentParser
import Foundation
import SpecBench
import SpecModels

/// `spectree bench pair`: a target and its draft model (default: the catalog's
/// Qwen2.5-Coder 1.5B and 0.5B) on the code prompts, greedy: plain tokens/s,
/// chains, and the best rsd-c and rsd-s trees per budget (`PairExperiment`).
struct PairBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "A target and a draft model on the code prompts: chains and the best trees per budget against plain decoding."
    )

    @Option(name: .long, help: "The target: a catalog name or a GGUF file.")
    var model = ModelCatalog.qwenCoder15B.name

    @Option(name: .long, help: "The draft model: a catalog name or a GGUF file.")
    var draft = ModelCatalog.qwenCoder05B.name

    @Option(name: .long, help: "Tokens to generate per prompt.")
    var tokens = 64

    @Option(name: .long, help: "Prompt kinds of the built-in set to run (comma-separated).")
    var kinds = "code completion,code chat"

    @Option(name: .long, help: "Compute threads (default: one per core).")
    var threads: Int?

    func run() throws {
        var options = try ModelOptions.parse(["--model", model] + (threads.map { ["--threads", String($0)] } ?? []))
        options.context = 1024
        let loaded = try options.load()
        let wanted = Set(kinds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let set = PromptSet(prompts: PromptSet.builtIn.prompts.filter { wanted.contains($0.kind) })
        guard !set.prompts.isEmpty else { throw ValidationError("no built-in prompt has a kind in '\(kinds)'; kinds: \(PromptSet.builtIn.kinds.joined(separator: ", "))") }
        let runner = try BenchRunner(target: loaded.model, tokenizer: loaded.tokenizer, prompts: set,
                                     system: PromptOptions.defaultSystem(in: loaded.file), tokens: tokens)
        let (source, label) = try DraftSpecification(draft).load(for: loaded.model)
        let experiment = PairExperiment(runner: runner, draft: source)
        print("target \(loaded.name), draft \(label), greedy, \(tokens) tokens per prompt, \(set.prompts.count) prompts (\(set.kinds.joined(separator: ", ")))")
        let progress = ProgressReporter(total: experiment.configurations.count + 1 + (experiment.configurations.count + experiment.plainEvery - 1) / experiment.plainEvery)
        guard let result = try experiment.run(progress: { progress.advance($0) }) else { throw ExitCode(130) }
        progress.finish()
        for line in PairExperiment.report(result) { print(line) }
        print("")
        print("Speedup = tokens/s ÷ the mean plain tokens/s of the passes before and after it (same run, same prompts).")
    }
}
