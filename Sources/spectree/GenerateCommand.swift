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
        var decoder = try AutoregressiveDecoder(model: loaded.model, prompt: prompt,
                                                sampling: samplingOptions.parameters, seed: samplingOptions.seed)
        let prefilled = clock.now
        var stream = StreamingDecoder(tokenizer: loaded.tokenizer)
        var tokens: [TokenID] = []
        var text = ""
        var stopReason = "max-tokens"
        while tokens.count < maxTokens {
            let token: TokenID
            do {
                token = try decoder.next()
            } catch let error as ModelError {
                stopReason = "context-full"
                FileHandle.standardError.write(Data("\nspectree: stopped: \(error)\n".utf8))
                break
            }
            if loaded.tokenizer.isEndOfGeneration(token) { stopReason = "end-of-text"; break }
            tokens.append(token)
            let piece = stream.append(token)
            text += piece
            if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
        }
        let tail = stream.flush()
        text += tail
        let finished = clock.now
        let decodeSeconds = (finished - prefilled).seconds
        let tokensPerSecond = tokens.count > 1 ? Double(tokens.count - 1) / decodeSeconds : 0
        if json {
            let output = GenerateOutput(
                model: loaded.path, prompt_tokens: prompt.count, tokens: tokens, text: text,
                tokens_per_second: tokensPerSecond, prefill_seconds: (prefilled - started).seconds,
                decode_seconds: decodeSeconds, target_calls: max(0, tokens.count - 1), stop_reason: stopReason)
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
    let tokens_per_second: Double
    let prefill_seconds: Double
    let decode_seconds: Double
    let target_calls: Int
    let stop_reason: String
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
