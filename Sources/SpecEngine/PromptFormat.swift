import SpecCore
import SpecModels

/// How a session turns prompt text into tokens.
public enum PromptFormat: Sendable, Equatable {
    /// The text as it is (BOS added if the vocabulary asks for it).
    case plain
    /// A single-turn ChatML conversation (SmolLM2, Qwen): `system` (none when
    /// `nil`), the text as the user's turn, then the assistant's turn opened.
    case chat(system: String?)

    /// The prompt's token ids.
    /// - Complexity: one tokenizer pass over the (templated) text.
    public func tokens(_ text: String, tokenizer: Tokenizer) -> [TokenID] {
        switch self {
        case .plain:
            return tokenizer.encode(text, addSpecial: true, parseSpecial: false)
        case let .chat(system):
            return tokenizer.encode(ChatTemplate.chatML(system: system, user: text), addSpecial: true, parseSpecial: true)
        }
    }

    /// The prompt as the text pane shows it before the reply: a chat prompt
    /// ends with a line break, since the assistant's turn starts on its own line;
    /// a plain prompt runs straight into its continuation.
    public func displayed(_ text: String) -> String {
        switch self {
        case .plain: text
        case .chat: text.hasSuffix("\n") ? text : text + "\n"
        }
    }
}
