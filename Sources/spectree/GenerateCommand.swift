import ArgumentParser
import Foundation
import SpecCore
import SpecEngine
import SpecModels

/// `spectree generate`: streams text from a prompt (plain or speculative
/// decoding, `SpecEngine.Generation`) and ends with tokens/s.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text from a prompt and report tokens/s."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @OptionGroup var samplingOptions: SamplingOptions
    @OptionGroup var speculativeOptions: SpeculativeOptions

    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Most tokens to generate.")
    var maxTokens = 128

    @Flag(name: .long, help: "Print one JSON object (tokens, text, tokens_per_second, …) instead of streaming.")
    var json = false

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        if (speculativeOptions.verifier != nil || speculativeOptions.draftVocab != nil || speculativeOptions.pMin != nil
            || speculativeOptions.draftLookup != nil) && !speculativeOptions.drafting {
            throw ValidationError("--verifier, --draft-vocab, --p-min and --draft-lookup concern drafts: give a --draft too")
        }
        _ = try speculativeOptions.verifierChoice()
        _ = try speculativeOptions.draftLookupDrafter()
    }

    func run() throws {
        let loaded = try modelOptions.load { ranges in
            if speculativeOptions.drafting { _ = try speculativeOptions.shape(ranges: ranges) }
        }
        let prompt = try promptOptions.tokens(for: loaded)
        do { try loaded.ranges.checkFits(promptTokens: prompt.count) } catch { throw ValidationError(error.description) }
        var speculative: (source: DraftSource, label: String, shape: DraftShape)?
        var verifier = Verifier.token
        if let draft = speculativeOptions.draftSource(targetPath: loaded.path) {
            let shape = try speculativeOptions.shape(ranges: loaded.ranges, promptTokens: prompt.count,
                                                     pairDefault: speculativeOptions.pairDefault(targetPath: loaded.path))
            verifier = try speculativeOptions.verifierChoice(for: shape)
            let (source, _) = try DraftSpecification(draft).load(for: loaded.model)
            try speculativeOptions.prepare(source, targetPath: loaded.path)
            speculative = (source, draft, shape)
        }
        let generation = Generation(target: loaded.model, tokenizer: loaded.tokenizer, prompt: prompt,
                                    sampling: samplingOptions.parameters, seed: samplingOptions.seed,
                                    maxTokens: maxTokens, speculative: speculative, verifier: verifier, modelPath: loaded.path,
                                    pMin: speculativeOptions.pMinValue(targetPath: loaded.path),
                                    draftLookup: try speculativeOptions.draftLookupDrafter(targetPath: loaded.path))
        let json = self.json
        var result = try generation.run(
            onText: { piece in if !json { FileHandle.standardOutput.write(Data(piece.utf8)) } },
            onStop: { error in FileHandle.standardError.write(Data("\nspectree: stopped: \(error)\n".utf8)) })
        if speculative != nil { result.draftVocabulary = speculativeOptions.draftVocabulary(targetPath: loaded.path) }
        if json {
            print(try result.json())
        } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
            let method = result.method.map { ", \($0), block efficiency \(String(format: "%.2f", result.blockEfficiency ?? 0))" } ?? ""
            let summary = String(format: "%d prompt tokens in %.2f s; %d tokens at %.1f tokens/s (%@%@)",
                                 result.promptTokens, result.prefillSeconds, result.tokens.count, result.tokensPerSecond,
                                 result.stopReason, method)
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
    }
}
