/// Where draft tokens come from.
public enum DraftSource {
    /// A language model with the target's vocabulary: a second GGUF, a
    /// depth-pruned GGUF, or a self-draft (a subset of the target's layers).
    case model(any LanguageModel)
    /// Prompt lookup in the text so far, no model; q is one-hot.
    case ngram(NGramDrafter)
}
