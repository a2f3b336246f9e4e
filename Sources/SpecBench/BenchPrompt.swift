/// One benchmark prompt: a conversation of user and assistant turns that
/// ends with a user turn (a single turn for most tasks), with its task kind.
public struct BenchPrompt: Sendable, Equatable, Codable {
    public struct Turn: Sendable, Equatable, Codable {
        public var role: String
        public var text: String
        public init(role: String, text: String) { self.role = role; self.text = text }
    }

    public var name: String
    /// The task kind: chat, translation, summarisation, question answering, maths, retrieval copying, …
    public var kind: String
    public var turns: [Turn]

    public init(name: String, kind: String, turns: [Turn]) {
        self.name = name
        self.kind = kind
        self.turns = turns
    }

    /// The prompt in ChatML, ready for the assistant's answer:
    /// `<|im_start|>role\ntext<|im_end|>\n` per turn (after an optional system
    /// turn), then `<|im_start|>assistant\n`. Encode with `parseSpecial: true`.
    public func chatML(system: String?) -> String {
        var out = ""
        if let system { out += "<|im_start|>system\n" + system + "<|im_end|>\n" }
        for turn in turns { out += "<|im_start|>" + turn.role + "\n" + turn.text + "<|im_end|>\n" }
        return out + "<|im_start|>assistant\n"
    }
}
