import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree bench pair`: a target and its draft model (default: the catalog's
/// Qwen2.5-Coder 1.5B and 0.5B) on the code prompts, greedy unless asked:
/// plain tokens/s, chains, the best rsd-c and rsd-s trees per budget and the
/// pair's measured default (`PairExperiment`), with llama.cpp's plain
/// decoding of the same file (`llama-bench`) run before and after them.
struct PairBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "A target and a draft model on the code prompts: chains and the best trees per budget against plain decoding."
    )

    @Option(name: .long, help: "The target: a catalog name or a GGUF file.")
    var model = ModelCatalog.qwenCoder15B.name

    @Option(name: .long, help: "The draft model: a catalog name or a GGUF file.")
    var draft = ModelCatalog.qwenCoder05B.name

    @Option(name: .long, parsing: .unconditional, help: "Tokens to generate per prompt.")
    var tokens = 64

    @Option(name: .long, help: "Prompt kinds of the built-in set to run (comma-separated).")
    var kinds = "code completion,code chat"

    @Option(name: .long, help: "Chain depths to run, e.g. 2,4,6,8.")
    var chains = "2,4,6,8"

    @Option(name: .long, help: "Target budgets (tree tokens per call) for the rsd-c and rsd-s trees, e.g. 4,8,16.")
    var budgets = "4,8,16"

    @Option(name: .long, parsing: .unconditional, help: "Compute threads (default: one per core); llama-bench gets as many.")
    var threads: Int?

    @Option(name: .customLong("draft-vocab"), parsing: .unconditional, help: "Trim the draft's output head to its N most frequent tokens (FR-Spec) for every chain and tree (default: the whole head).")
    var draftVocab: Int?

    @Option(name: .customLong("p-min"), parsing: .unconditional, help: "p-min of every chain and tree (0…1; default 0: off).")
    var pMin = 0.0

    @Option(name: .customLong("draft-lookup"), parsing: .unconditional, help: "Lookup-assisted drafting of every chain: n-gram guesses of up to N tokens (default 0: off).")
    var draftLookup = 0

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature of every run; 0 is greedy.")
    var temperature = 0.0

    @Option(name: .long, parsing: .unconditional, help: "Random seed of the sampled runs.")
    var seed: UInt64 = 0

    @Option(name: .customLong("llama-bench"), help: "llama.cpp's llama-bench, run on the target before and after spectree's runs (default: ~/.cache/spectree-anchor/llama.cpp/build/bin/llama-bench when it exists).")
    var llamaBench: String?

    @Flag(name: .customLong("no-llama-bench"), help: "Do not run llama-bench.")
    var noLlamaBench = false

    @Flag(name: .customLong("no-default"), help: "Do not run the pair's measured default (PairDefaults) as a row.")
    var noDefault = false

    func validate() throws {
        do {
            try SettingRanges.checkPMin(pMin)
            try SamplingParameters(temperature: temperature, topK: 0, topP: 1).validate()
        } catch { throw ValidationError("\(error)") }
        if draftLookup < 0 { throw ValidationError("--draft-lookup must be 0 (off) or at least 1, got \(draftLookup)") }
        if let draftVocab, draftVocab < 1 { throw ValidationError("--draft-vocab must be at least 1, got \(draftVocab)") }
        if noLlamaBench && llamaBench != nil { throw ValidationError("--llama-bench and --no-llama-bench contradict each other") }
    }

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
        if let draftVocab { do { try loaded.ranges.check(draftVocabulary: draftVocab) } catch { throw ValidationError("\(error)") } }
        let applyVocabulary: (Int?) throws -> Void = { n in
            do { try DraftVocabulary.apply(n, to: source) } catch { throw ValidationError("\(error)") }
        }
        try applyVocabulary(draftVocab)
        runner.pMin = pMin
        runner.draftLookup = draftLookup > 0 ? try NGramDrafter(maxN: draftLookup) : nil
        var experiment = PairExperiment(runner: runner, draft: source)
        experiment.sampling = SamplingParameters(temperature: temperature, topK: 0, topP: 1)
        experiment.seed = seed
        experiment.draftVocabulary = draftVocab
        experiment.applyDraftVocabulary = applyVocabulary
        let pairDefault = noDefault ? nil : PairDefaults.entry(targetPath: loaded.path, draft: draft)
        experiment.pairDefault = pairDefault
        if let pairDefault, pairDefault.draftQuantization != nil, !draft.contains("@") {  // the default's own requantised draft
            let requantised = try DraftSpecification(draft + pairDefault.quantizationSuffix).load(for: loaded.model).source
            do { try DraftVocabulary.apply(pairDefault.draftVocabulary, to: requantised) } catch { throw ValidationError("\(error)") }
            experiment.defaultDraft = requantised
        }
        func numbers(_ text: String, _ option: String) throws -> [Int] {
            let values = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == text.split(separator: ",").count, values.allSatisfy({ $0 >= 1 && $0 <= 63 }) else {
                throw ValidationError("--\(option) takes numbers from 1 to 63 separated by commas; got '\(text)'")
            }
            return values
        }
        experiment.chainDepths = try numbers(chains, "chains")
        experiment.budgets = try numbers(budgets, "budgets")
        let settings = [temperature == 0 ? "greedy" : "T=\(RunCommandLine.number(temperature)) (seed \(seed))",
                        "draft vocabulary \(DraftVocabulary.label(draftVocab))"] + (pMin > 0 ? ["p-min \(RunCommandLine.number(pMin))"] : [])
            + (draftLookup > 0 ? ["draft lookup n ≤ \(draftLookup)"] : [])
        print("target \(loaded.name), draft \(label), \(settings.joined(separator: ", ")), \(tokens) tokens per prompt, \(set.prompts.count) prompts (\(set.kinds.joined(separator: ", ")))")
        if let pairDefault {
            print("the pair's default (PairDefaults): \(pairDefault.shape.label), draft vocabulary \(DraftVocabulary.label(pairDefault.draftVocabulary)), p-min \(RunCommandLine.number(pairDefault.pMin)), draft lookup \(pairDefault.draftLookup > 0 ? "n ≤ \(pairDefault.draftLookup)" : "off"), draft weights \(pairDefault.draftQuantization.map { "requantised to \($0.name)" } ?? "as stored")")
        }
        let reference = llamaBenchToRun()
        let llamaThreads = threads ?? min(ProcessInfo.processInfo.activeProcessorCount, SettingRanges.threads.upperBound)
        var llama: [LlamaBench.Measurement] = []
        func runLlama(_ when: String) {
            guard let reference else { return }
            FileHandle.standardError.write(Data("llama-bench \(LlamaBench.arguments(model: loaded.path, tokens: 128, threads: llamaThreads).joined(separator: " ")) (\(when))…\n".utf8))
            do { llama.append(try reference.run(model: loaded.path, tokens: 128, threads: llamaThreads)) } catch {
                print("llama-bench (\(when)) failed: \(error.description)")
            }
        }
        runLlama("before")
        let progress = ProgressReporter(total: set.prompts.count * experiment.runsPerPrompt)
        guard let result = try experiment.run(progress: { progress.advance($0) }) else { throw ExitCode(130) }
        progress.finish()
        runLlama("after")
        for line in PairExperiment.report(result) { print(line) }
        print("")
        print("Speedup = tokens/s ÷ plain tokens/s of the same prompts, decoded just before and after each prompt's configurations (prompt by prompt, so the machine's load hits every row alike).")
        print("")
        if reference == nil {
            print(noLlamaBench ? "llama.cpp: not run (--no-llama-bench)."
                  : "llama.cpp: skipped, no llama-bench at \(LlamaBench.defaultPath) (build it with shared/anchor/build-llama-cpp.sh, or give --llama-bench PATH).")
        }
        for line in PairExperiment.llamaComparison(result, llama: llama, threads: llamaThreads) { print(line) }
    }

    /// The llama-bench to run: `--llama-bench`, else the default path when it exists; nil to skip.
    private func llamaBenchToRun() -> LlamaBench? {
        if noLlamaBench { return nil }
        if let llamaBench { return LlamaBench(path: llamaBench) }  // a missing file is reported by the run
        return FileManager.default.isExecutableFile(atPath: LlamaBench.defaultPath) ? LlamaBench(path: LlamaBench.defaultPath) : nil
    }
}
