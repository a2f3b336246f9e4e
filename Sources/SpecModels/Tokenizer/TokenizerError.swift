/// Why a ``TokenizerVocabulary`` cannot become a ``Tokenizer``.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `tokenizer.ggml.model` names a kind spectree does not implement.
    case unsupportedModel(String)
    /// The vocabulary has no tokens.
    case emptyVocabulary
    /// A per-token array (`field`) does not have one entry per token.
    case sizeMismatch(field: String, expected: Int, actual: Int)
    /// A special token id (`name`: "bos", "eos", …) is not a valid token id.
    case specialTokenOutOfRange(name: String, id: Int32, vocabularySize: Int)
    /// A byte-level BPE vocabulary without `merges`.
    case missingMerges
    /// A SentencePiece vocabulary without `scores`.
    case missingScores
    /// Merge number `rank` is not of the form `"left right"`.
    case malformedMerge(rank: Int, merge: String)
    /// Merge number `rank` uses or produces `token`, which is not in the vocabulary.
    case mergeTokenNotInVocabulary(rank: Int, merge: String, token: String)

    public var description: String {
        switch self {
        case .unsupportedModel(let name):
            "unsupported tokenizer model '\(name)' (expected 'gpt2' or 'llama')"
        case .emptyVocabulary:
            "the vocabulary has no tokens"
        case .sizeMismatch(let field, let expected, let actual):
            "\(field) has \(actual) entries but the vocabulary has \(expected) tokens"
        case .specialTokenOutOfRange(let name, let id, let size):
            "\(name) token id \(id) is outside the vocabulary (0..<\(size))"
        case .missingMerges:
            "a byte-level BPE ('gpt2') vocabulary needs merges"
        case .missingScores:
            "a SentencePiece ('llama') vocabulary needs scores"
        case .malformedMerge(let rank, let merge):
            "merge \(rank) '\(merge)' is not two tokens separated by a space"
        case .mergeTokenNotInVocabulary(let rank, let merge, let token):
            "merge \(rank) '\(merge)': '\(token)' is not in the vocabulary"
        }
    }
}
