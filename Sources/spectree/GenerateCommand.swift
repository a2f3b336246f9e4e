import ArgumentParser
import Foundation
import SpecCore
import SpecModels

/// `spectree generate`: plain autoregressive decoding that streams text and
/// ends with tokens/s.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text from a prompt and report tokens/s."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @OptionGroup var samplingOptions: SamplingOptions
    @OptionGroup var speculativeOptions: SpeculativeOptions

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 128

    @Flag(name: .long, help: "Print one JSON object (tokens, text, tokens_per_second, …) instead of streaming.")
    var json = false

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
    }

    func run() throws {
        let loaded = try modelOptions.load()
        let prompt = try promptOptions.tokens(for: loaded)
        let clock = ContinuousClock()
        let started = clock.now
        var next: () throws -> [TokenID]
        var speculative: SpeculativeDecoder?
        if let draft = speculativeOptions.draft {
            let shape = try speculativeOptions.shape(vocabularySize: loaded.model.vocabularySize)
            let (source, _) = try DraftSpecification(draft).load(for: loaded.model)
            let decoder = try SpeculativeDecoder(target: loaded.model, draft: source, shape: shape,
                                                 sampling: samplingOptions.parameters, prompt: prompt, seed: samplingOptions.seed)
            speculative = decoder
            next = { try decoder.step() }
        } else {
            var decoder = try AutoregressiveDecoder(model: loaded.model, prompt: prompt,
                                                    sampling: samplingOptions.parameters, seed: samplingOptions.seed)
            next = { [try decoder.next()] }
        }
        let prefilled = clock.now
        var stream = StreamingDecoder(tokenizer: loaded.tokenizer)
        var tokens: [TokenID] = []
        var text = ""
        var stopReason = "max-tokens"
        generation: while tokens.count < maxTokens {
            let step: [TokenID]
            do {
                step = try next()
            } catch let error as ModelError {
                stopReason = "context-full"
                FileHandle.standardError.write(Data("\nspectree: stopped: \(error)\n".utf8))
                break
            }
            for token in step {
                if loaded.tokenizer.isEndOfGeneration(token) { stopReason = "end-of-text"; break generation }
                if tokens.count == maxTokens { break generation }
                tokens.append(token)
                let piece = stream.append(token)
                text += piece
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            }
        }
        let tail = stream.flush()
        text += tail
        let finished = clock.now
        let decodeSeconds = (finished - prefilled).seconds
        let tokensPerSecond = tokens.count > 1 ? Double(tokens.count - 1) / decodeSeconds : 0
        if json {
            var output = GenerateOutput(
                model: loaded.path, prompt_tokens: prompt.count, tokens: tokens, text: text,
                tokens_per_second: tokensPerSecond, prefill_seconds: (prefilled - started).seconds,
                decode_seconds: decodeSeconds, target_calls: max(0, tokens.count - 1), stop_reason: stopReason)
            if let speculative {
                let stats = speculative.statistics
                output.target_calls = stats.targetCalls
                output.tokens_per_second = Double(stats.emittedTokens) / decodeSeconds
                output.draft = speculativeOptions.draft
                output.method = speculative.shape.label
                output.block_efficiency = stats.blockEfficiency
                output.acceptance_by_depth = stats.acceptanceByDepth
                output.draft_ms = stats.draftSeconds * 1e3
                output.verify_ms = stats.verifySeconds * 1e3
                output.other_ms = stats.otherSeconds * 1e3
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(Data((tail + "\n").utf8))
            let summary = String(format: "%d prompt tokens in %.2f s; %d tokens at %.1f tokens/s (%@)",
                                 prompt.count, (prefilled - started).seconds, tokens.count, tokensPerSecond, stopReason)
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
    }
}

/// The JSON `generate --json` prints (snake_case keys, for other tools).
struct GenerateOutput: Encodable {
    let model: String
    let prompt_tokens: Int
    let tokens: [TokenID]
    let text: String
    var tokens_per_second: Double
    let prefill_seconds: Double
    let decode_seconds: Double
    var target_calls: Int
    let stop_reason: String
    // Speculative decoding only.
    var draft: String?
    var method: String?
    var block_efficiency: Double?
    var acceptance_by_depth: [Double]?
    var draft_ms: Double?
    var verify_ms: Double?
    var other_ms: Double?
}
