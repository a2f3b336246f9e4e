import ArgumentParser
import Foundation
import SpecCore
import SpecModels

/// `spectree check`: is speculative decoding lossless on this model pair?
/// Samples the next few tokens many times with and without speculation and
/// compares the two distributions.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Measure losslessness: total-variation distance between speculative and plain sampling.",
        discussion: "Exit status 0 when the distance is consistent with zero (permutation test, p ≥ 0.01), 1 when not."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @OptionGroup var speculativeOptions: SpeculativeOptions

    @Option(name: .long, help: "Sampling temperature (above 0: greedy output is checked by generate's tests).")
    var temperature = 0.8

    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0: all).")
    var topK = 0

    @Option(name: .customLong("top-p"), help: "Keep the most likely tokens up to this mass (1: all).")
    var topP = 1.0

    @Option(name: .long, help: "Tokens per sample (the outcome is the sequence).")
    var tokens = 1

    @Option(name: .long, help: "Samples with and without speculation, each.")
    var samples = 300

    @Option(name: .long, help: "Seed of the first sample.")
    var seed: UInt64 = 1

    func validate() throws {
        guard tokens >= 1 else { throw ValidationError("--tokens must be at least 1") }
        guard samples >= 10 else { throw ValidationError("--samples must be at least 10") }
        guard speculativeOptions.draft != nil else { throw ValidationError("give a draft with --draft (self:K, ngram, or a GGUF path)") }
    }

    func run() throws {
        let loaded = try modelOptions.load()
        let prompt = try promptOptions.tokens(for: loaded)
        let sampling = SamplingParameters(temperature: temperature, topK: topK, topP: topP)
        do { try sampling.validate() } catch { throw ValidationError(error.description) }
        let shape = try speculativeOptions.shape(vocabularySize: loaded.model.vocabularySize)
        let verifier = try speculativeOptions.verifierChoice(for: shape)
        let (source, label) = try DraftSpecification(speculativeOptions.draft!).load(for: loaded.model)
        let draftModel: (any LanguageModel)? = if case let .model(m) = source { m } else { nil }

        var plain: [[TokenID]] = [], speculative: [[TokenID]] = []
        let progress = ProgressLine(total: 2 * samples, label: "sampling")
        for i in 0..<samples {
            loaded.model.reset()
            var decoder = try AutoregressiveDecoder(model: loaded.model, prompt: prompt, sampling: sampling, seed: seed + UInt64(i))
            plain.append(try (0..<tokens).map { _ in try decoder.next() })
            progress.advance()

            loaded.model.reset()
            draftModel?.reset()
            let spec = try SpeculativeDecoder(target: loaded.model, draft: source, shape: shape, sampling: sampling,
                                              verifier: verifier, prompt: prompt, seed: seed + UInt64(samples + i))
            var emitted: [TokenID] = []
            while emitted.count < tokens { emitted += try spec.step() }
            speculative.append(Array(emitted.prefix(tokens)))
            progress.advance()
        }
        progress.finish()
        let comparison = DistributionComparison(plain, speculative, permutations: 2000, seed: seed)
        let outcomes = Set(plain + speculative).count
        print("target     \(loaded.name)")
        print("draft      \(label), \(shape.label), T=\(temperature), \(verifier.rawValue) verification")
        print("samples    \(samples) plain, \(samples) speculative; \(tokens)-token outcomes, \(outcomes) distinct")
        print(String(format: "TV distance %.4f  (same-distribution samples exceed %.4f 5%% of the time)", comparison.totalVariation, comparison.chanceLevel95))
        print(String(format: "p-value    %.4f  (permutation test, %d permutations)", comparison.pValue, comparison.permutations))
        if comparison.pValue >= 0.01 {
            print("consistent with lossless decoding")
        } else {
            print("NOT consistent with lossless decoding (p < 0.01)")
            throw ExitCode(1)
        }
    }
}

/// A one-line progress bar on standard error, redrawn in place when it is a terminal.
final class ProgressLine {
    private let total: Int
    private let label: String
    private var done = 0
    private let start = ContinuousClock.now
    private let interactive = isatty(2) != 0

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func advance(by count: Int = 1) {
        done += count
        guard interactive else { return }
        let fraction = Double(done) / Double(max(1, total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = (ContinuousClock.now - start).seconds
        let eta = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r%@ %@ %3.0f%% ETA %.0fs ", label, bar, fraction * 100, eta).utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
