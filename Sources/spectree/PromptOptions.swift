import ArgumentParser
import Foundation
import SpecCore
import SpecModels

/// The prompt and how to wrap it.
struct PromptOptions: ParsableArguments {
    @Option(name: .long, help: "The prompt text (default: \"Once upon a time\"; for run, a story request in the chat template).")
    var prompt: String?

    static let defaultPrompt = "Once upon a time"

    @Flag(name: .long, help: "Wrap the prompt in the ChatML template (SmolLM2, Qwen).")
    var chat = false

    @Option(name: .long, help: "The system message for --chat (default: the one in the model's own template, if any).")
    var system: String?

    /// The prompt's token ids, templated if asked.
    func tokens(for loaded: LoadedModel) throws -> [TokenID] {
        let prompt = self.prompt ?? Self.defaultPrompt
        var text = prompt
        if chat {
            text = ChatTemplate.chatML(system: system ?? Self.defaultSystem(in: loaded.file), user: prompt)
        }
        let ids = loaded.tokenizer.encode(text, addSpecial: true, parseSpecial: chat)
        guard !ids.isEmpty else { throw ValidationError("the prompt is empty: give some text with --prompt") }
        return ids
    }

    /// The system message a ChatML `tokenizer.chat_template` inserts when the
    /// conversation has none (SmolLM2 and Qwen templates both do).
    static func defaultSystem(in file: GGUFFile) -> String? {
        guard let template = file.string("tokenizer.chat_template"),
              let start = template.range(of: "<|im_start|>system\n"),
              let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
        else { return nil }
        let message = template[start.upperBound..<end.lowerBound]
        // A literal message only: a template expression means there is no fixed default.
        return message.contains("{") || message.contains("}") ? nil : String(message)
    }
}

/// Temperature, top-k, top-p and seed.
struct SamplingOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature; 0 is greedy.")
    var temperature = 0.8

    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Keep the k most likely tokens (0: all).")
    var topK = 0

    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Keep the most likely tokens up to this mass (1: all).")
    var topP = 1.0

    @Option(name: .long, parsing: .unconditional, help: "Random seed.", transform: { try SettingRanges.seed($0) })
    var seed: UInt64 = 0

    var parameters: SamplingParameters {
        SamplingParameters(temperature: temperature, topK: topK, topP: topP)
    }

    func validate() throws {
        do { try parameters.validate() } catch { throw ValidationError(error.description) }
    }
}
