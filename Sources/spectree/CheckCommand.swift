import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree check`: is speculative decoding lossless on this model pair?
/// Samples the first K tokens many times with and without speculation and
/// compares the two distributions. Wiring only; the experiment is `LosslessnessCheck`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Measure losslessness: total-variation distance between speculative and plain sampling.",
        discussion: "Compares the joint distribution of the first K tokens (--tokens, default 2) of plain and speculative samples: permutation test on the total-variation distance. Exit status 0 when consistent with one distribution (p ≥ 0.01), 1 when not."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @OptionGroup var speculativeOptions: SpeculativeOptions

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature (above 0: greedy output is checked by generate's tests).")
    var temperature = 0.8

    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Keep the k most likely tokens (0: all).")
    var topK = 0

    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Keep the most likely tokens up to this mass (1: all).")
    var topP = 1.0

    @Option(name: .long, parsing: .unconditional, help: "K: tokens per outcome; the test compares the joint distribution of the first K tokens (2 reaches a tree's second level).")
    var tokens = 2

    @Option(name: .long, parsing: .unconditional, help: "Samples with and without speculation, each.")
    var samples = 300

    @Option(name: .long, parsing: .unconditional, help: "Seed of the first sample.", transform: { try SettingRanges.seed($0) })
    var seed: UInt64 = 1

    func validate() throws {
        guard tokens >= 1 else { throw ValidationError("--tokens must be at least 1, got \(tokens)") }
        guard samples >= 10 else { throw ValidationError("--samples must be at least 10, got \(samples)") }
        guard speculativeOptions.draft != nil else { throw ValidationError("give a draft with --draft (self:K, ngram, or a GGUF path)") }
    }

    func run() throws {
        let check = try LosslessnessCheck(samples: samples, tokens: tokens, seed: seed)
        let loaded = try modelOptions.load { ranges in
            if speculativeOptions.drafting { _ = try speculativeOptions.shape(ranges: ranges) }
        }
        let prompt = try promptOptions.tokens(for: loaded)
        let sampling = SamplingParameters(temperature: temperature, topK: topK, topP: topP)
        do { try sampling.validate() } catch { throw ValidationError(error.description) }
        let shape = try speculativeOptions.shape(ranges: loaded.ranges, promptTokens: prompt.count + tokens)
        let (source, label) = try DraftSpecification(speculativeOptions.draft!).load(for: loaded.model)
        print("target     \(loaded.name)")
        print("draft      \(label), \(shape.label), T=\(temperature)")
        print(check.rule)
        let progress = ProgressReporter(total: 2 * samples, enabled: isatty(STDERR_FILENO) != 0)
        let result = try check.run(
            plain: LosslessnessCheck.plainSampler(target: loaded.model, prompt: prompt, sampling: sampling, tokens: tokens),
            speculative: LosslessnessCheck.speculativeSampler(target: loaded.model, draft: source, shape: shape, sampling: sampling,
                                                              prompt: prompt, tokens: tokens),
            progress: progress.advance)
        progress.finish()
        for line in check.report(result) { print(line) }
        if !result.passed { throw ExitCode(1) }
    }
}
