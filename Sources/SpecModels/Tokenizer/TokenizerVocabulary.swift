/// A tokenizer's vocabulary as GGUF metadata holds it (`tokenizer.ggml.*`).
///
/// This is plain data: nothing is checked until a ``Tokenizer`` is built from it.
/// Arrays are indexed by token id.
public struct TokenizerVocabulary: Sendable {
    /// A token's role, as `tokenizer.ggml.token_type` numbers it.
    public enum TokenType: Int32, Sendable {
        case normal = 1
        case unknown = 2
        /// Special tokens such as `<|im_end|>`: skipped when decoding.
        case control = 3
        /// Added tokens that always stand for their literal text.
        case userDefined = 4
        case unused = 5
        /// SentencePiece byte-fallback tokens `<0xXX>`.
        case byte = 6
    }

    /// `tokenizer.ggml.model`: `"gpt2"` (byte-level BPE) or `"llama"` (SentencePiece BPE).
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer name (`"smollm"`, `"qwen2"`, `"llama-bpe"`, …).
    /// `nil` or an unknown name selects llama.cpp's default pre-tokenizer.
    public var pre: String?
    /// Token texts, indexed by id (byte-level BPE tokens are in GPT-2's byte-to-unicode form).
    public var tokens: [String]
    /// One ``TokenType`` raw value per token; `nil` treats every token as normal.
    public var tokenTypes: [Int32]?
    /// SentencePiece scores, one per token (higher merges first).
    public var scores: [Float]?
    /// BPE merges in rank order, each `"left right"`.
    public var merges: [String]?
    public var bosID: Int32?
    public var eosID: Int32?
    public var unknownID: Int32?
    public var paddingID: Int32?
    /// Prepend the BOS token when encoding with `addSpecial`.
    public var addBOS: Bool
    /// Append the EOS token when encoding with `addSpecial`.
    public var addEOS: Bool
    /// SentencePiece only: prefix a space to text that starts the input or follows a special token.
    public var addSpacePrefix: Bool

    /// Creates a vocabulary; everything but `model` and `tokens` has a default.
    public init(
        model: String,
        pre: String? = nil,
        tokens: [String],
        tokenTypes: [Int32]? = nil,
        scores: [Float]? = nil,
        merges: [String]? = nil,
        bosID: Int32? = nil,
        eosID: Int32? = nil,
        unknownID: Int32? = nil,
        paddingID: Int32? = nil,
        addBOS: Bool = false,
        addEOS: Bool = false,
        addSpacePrefix: Bool = false
    ) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }

    /// The type of token `id`; `.normal` when types are absent or the value is not a known type.
    func type(of id: Int) -> TokenType {
        guard let types = tokenTypes, id < types.count else { return .normal }
        return TokenType(rawValue: types[id]) ?? .normal
    }
}
