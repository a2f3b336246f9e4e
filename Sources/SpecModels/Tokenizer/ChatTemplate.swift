/// Prompt formats for instruction-tuned models.
public enum ChatTemplate {
    /// The system prompt SmolLM2's own chat template inserts when none is given.
    public static let smolLM2DefaultSystem =
        "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

    /// A single-turn ChatML prompt, ready for the assistant's answer:
    ///
    ///     <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n
    ///
    /// With `system` `nil` the system turn is left out (pass ``smolLM2DefaultSystem``
    /// to reproduce SmolLM2's template exactly). Encode the result with
    /// `parseSpecial: true` so the markers become their control tokens.
    /// - Complexity: O(length of the inputs).
    public static func chatML(system: String?, user: String) -> String {
        var prompt = ""
        if let system {
            prompt += "<|im_start|>system\n" + system + "<|im_end|>\n"
        }
        prompt += "<|im_start|>user\n" + user + "<|im_end|>\n"
        prompt += "<|im_start|>assistant\n"
        return prompt
    }
}
