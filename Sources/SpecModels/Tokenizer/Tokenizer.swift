/// Text ↔ token ids for a GGUF model's vocabulary: byte-level BPE (`gpt2`) or
/// SentencePiece BPE (`llama`), following llama.cpp's behaviour.
///
/// Building one validates the vocabulary and prepares look-up tables (about
/// O(vocabulary + merges) time and memory). It is immutable apart from an internal,
/// lock-protected word cache, so one instance can serve every thread.
///
/// Decoding is lossless for byte-level BPE: `decode(encode(s, addSpecial: false,
/// parseSpecial: false))` gives back `s` scalar for scalar. Control tokens decode to
/// nothing (llama.cpp's default detokenisation); no tokenisation spaces are cleaned up.
public final class Tokenizer: Sendable {
    private enum Model: Sendable {
        case byteLevel(ByteLevelBPE, PreTokenizer)
        case sentencePiece(SentencePieceBPE)
    }

    private let model: Model
    private let tokens: [String]
    private let types: [TokenizerVocabulary.TokenType]
    /// Token id of each token's text; a repeated text keeps its first id.
    private let table: TokenTable
    /// The bytes each token stands for, token after token; token `i` is
    /// `pieceStorage[pieceOffsets[i] ..< pieceOffsets[i + 1]]`. (vocabularySize + 1 offsets)
    private let pieceStorage: [UInt8]
    private let pieceOffsets: [Int32]
    private let specials: SpecialTokenMatcher
    private let endOfGeneration: Set<Int32>
    private let addBOS: Bool
    private let addEOS: Bool
    /// SentencePiece's dummy prefix: added before text, removed from the start of a decode.
    private let addSpacePrefix: Bool

    public let bosID: Int32?
    public let eosID: Int32?
    /// The pre-tokenizer a byte-level BPE vocabulary uses; `nil` for SentencePiece.
    public let preTokenizer: PreTokenizer?

    /// Texts of control tokens that end a turn or a document, besides the EOS token.
    private static let endOfGenerationTexts: Set<String> = [
        "<|im_end|>", "<|endoftext|>", "<|end_of_text|>", "<|eot_id|>", "<|eom_id|>",
        "<|end|>", "<end_of_turn>", "<|return|>", "<|call|>", "<EOT>", "<|EOT|>",
        "<end_of_utterance>", "</s>",
    ]

    /// Builds a tokenizer.
    ///
    /// - Throws: ``TokenizerError`` for an unknown model kind, per-token arrays of the
    ///   wrong size, special ids outside the vocabulary, missing merges or scores, and
    ///   malformed merges or merges over tokens the vocabulary lacks.
    /// - Complexity: O(V + M) hash insertions and look-ups for V tokens and M merges,
    ///   plus an O(V log V) sort of SentencePiece scores.
    public init(_ vocabulary: TokenizerVocabulary) throws {
        let tokens = vocabulary.tokens
        let count = tokens.count
        guard count > 0 else { throw TokenizerError.emptyVocabulary }
        guard vocabulary.model == "gpt2" || vocabulary.model == "llama" else {
            throw TokenizerError.unsupportedModel(vocabulary.model)
        }
        if let types = vocabulary.tokenTypes, types.count != count {
            throw TokenizerError.sizeMismatch(field: "tokenTypes", expected: count, actual: types.count)
        }
        if let scores = vocabulary.scores, scores.count != count {
            throw TokenizerError.sizeMismatch(field: "scores", expected: count, actual: scores.count)
        }
        for (name, id) in [("bos", vocabulary.bosID), ("eos", vocabulary.eosID),
                           ("unknown", vocabulary.unknownID), ("padding", vocabulary.paddingID)] {
            if let id, id < 0 || Int(id) >= count {
                throw TokenizerError.specialTokenOutOfRange(name: name, id: id, vocabularySize: count)
            }
        }

        let types = (0..<count).map { vocabulary.type(of: $0) }
        let table = TokenTable(tokens.enumerated().lazy.map { (id: Int32($0.offset), text: $0.element) })

        let isByteLevel = vocabulary.model == "gpt2"
        if isByteLevel {
            guard let merges = vocabulary.merges else { throw TokenizerError.missingMerges }
            let pre = PreTokenizer(named: vocabulary.pre)
            let bpe = try ByteLevelBPE(merges: merges, table: table,
                                       ignoresMerges: pre.ignoresMerges, unknownID: vocabulary.unknownID)
            model = .byteLevel(bpe, pre)
            preTokenizer = pre
        } else {
            guard let scores = vocabulary.scores else { throw TokenizerError.missingScores }
            model = .sentencePiece(SentencePieceBPE(tokens: tokens, types: types, scores: scores,
                                                    unknownID: vocabulary.unknownID))
            preTokenizer = nil
        }

        // what each token stands for
        var storage: [UInt8] = []
        storage.reserveCapacity(count * 8)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(count + 1)
        for (id, token) in tokens.enumerated() {
            if types[id] == .byte, let byte = Self.byteValue(ofByteToken: token) {
                storage.append(byte)
                offsets.append(Int32(storage.count))
                continue
            }
            switch types[id] {
            case .normal, .unused, .byte:
                if isByteLevel {
                    ByteUnicode.appendDecoded(token, to: &storage)
                } else {
                    Self.appendUnescaped(token, to: &storage)
                }
            case .userDefined where !isByteLevel:
                Self.appendUnescaped(token, to: &storage)
            case .control, .unknown, .userDefined:
                storage.append(contentsOf: token.utf8)
            }
            offsets.append(Int32(storage.count))
        }

        var specialTokens: [(text: String, id: Int32)] = []
        var endOfGeneration = Set<Int32>()
        if let eos = vocabulary.eosID { endOfGeneration.insert(eos) }
        for (id, token) in tokens.enumerated() {
            let type = types[id]
            if type == .control || type == .userDefined {
                specialTokens.append((token, Int32(id)))
            }
            if type != .normal || vocabulary.tokenTypes == nil, token.utf8.count <= 20,
               Self.endOfGenerationTexts.contains(token) {
                endOfGeneration.insert(Int32(id))
            }
        }

        self.tokens = tokens
        self.types = types
        self.table = table
        self.pieceStorage = storage
        self.pieceOffsets = offsets
        self.specials = SpecialTokenMatcher(tokens: specialTokens)
        self.endOfGeneration = endOfGeneration
        self.addBOS = vocabulary.addBOS
        self.addEOS = vocabulary.addEOS
        self.addSpacePrefix = !isByteLevel && vocabulary.addSpacePrefix
        self.bosID = vocabulary.bosID
        self.eosID = vocabulary.eosID
    }

    /// Number of tokens.
    public var vocabularySize: Int { tokens.count }

    /// Encodes text to token ids.
    ///
    /// - Parameters:
    ///   - addSpecial: prepend BOS / append EOS as the vocabulary's `addBOS` / `addEOS` say.
    ///   - parseSpecial: text spelling a control or user-defined token (e.g. `<|im_end|>`)
    ///     becomes that token (leftmost-longest match); otherwise it is encoded as text.
    /// - Complexity: O(n) pre-tokenisation plus BPE per new word (cached) for byte-level
    ///   BPE; O(n log n) per text run for SentencePiece.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = true) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 2)
        if addSpecial && addBOS, let bosID { output.append(bosID) }
        if !text.isEmpty {
            let scalarText = ScalarText(text)
            let fragments: [SpecialTokenMatcher.Fragment] =
                parseSpecial ? specials.fragments(of: scalarText) : [.text(0..<scalarText.count)]
            switch model {
            case .byteLevel(let bpe, let pre):
                var scratch = ByteLevelBPE.Scratch()
                var pieces: [Range<Int>] = []
                for fragment in fragments {
                    switch fragment {
                    case .token(let id):
                        output.append(id)
                    case .text(let range):
                        pieces.removeAll(keepingCapacity: true)
                        pre.split(scalarText, range, into: &pieces)
                        for piece in pieces {
                            bpe.encode(word: scalarText.bytes(of: piece), into: &output, scratch: &scratch)
                        }
                    }
                }
            case .sentencePiece(let spm):
                // llama.cpp: the space prefix goes before text that starts the input or follows a special token
                var afterSpecial = true
                for fragment in fragments {
                    switch fragment {
                    case .token(let id):
                        output.append(id)
                        afterSpecial = true
                    case .text(let range):
                        let escaped = SentencePieceBPE.escape(
                            scalarText.bytes(of: range), addingSpacePrefix: addSpacePrefix && afterSpecial)
                        spm.encode(escaped: escaped, into: &output)
                        afterSpecial = false
                    }
                }
            }
        }
        if addSpecial && addEOS, let eosID { output.append(eosID) }
        return output
    }

    /// Decodes token ids to text.
    ///
    /// Control tokens (BOS, `<|im_end|>`, …) and ids outside the vocabulary produce
    /// nothing; user-defined and unknown tokens produce their text. Bytes that do not
    /// form valid UTF-8 become U+FFFD. With SentencePiece's space prefix, one leading
    /// space of the first piece is removed, as SentencePiece does.
    /// - Complexity: O(total bytes).
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var first = true
        for id in ids {
            guard let piece = decodedBytes(id) else { continue }
            if first && addSpacePrefix && piece.first == 0x20 {
                bytes.append(contentsOf: piece.dropFirst())
            } else {
                bytes.append(contentsOf: piece)
            }
            first = false
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw bytes token `id` stands for: byte-level BPE tokens decoded to bytes,
    /// SentencePiece `▁` as a space and `<0xXX>` as its byte, control, user-defined and
    /// unknown tokens as their literal text. Empty for ids outside the vocabulary.
    ///
    /// - Complexity: O(piece length).
    public func pieceBytes(_ id: Int32) -> [UInt8] {
        guard id >= 0 && Int(id) < tokens.count else { return [] }
        return Array(storedPiece(Int(id)))
    }

    /// A printable form of token `id` for display: `"Ġthe"` shows as `" the"`, a
    /// control token as its text (`"<|im_end|>"`), and bytes that are not a whole UTF-8
    /// character as `<0xE2>`. Ids outside the vocabulary show as `<invalid id N>`.
    ///
    /// - Complexity: O(piece length).
    public func pieceText(_ id: Int32) -> String {
        guard id >= 0 && Int(id) < tokens.count else { return "<invalid id \(id)>" }
        switch types[Int(id)] {
        case .control, .unknown: return tokens[Int(id)]
        default: return UTF8Scan.printable(pieceBytes(id))
        }
    }

    /// Whether generating `id` ends the answer: the EOS token, or a control token such
    /// as `<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, `<end_of_turn>`.
    ///
    /// - Complexity: O(1).
    public func isEndOfGeneration(_ id: Int32) -> Bool {
        endOfGeneration.contains(id)
    }

    /// Every token `isEndOfGeneration` accepts: the decoders' stop tokens.
    public var endOfGenerationTokens: Set<Int32> { endOfGeneration }

    /// The id of the token spelled exactly `text` as the vocabulary stores it (byte-level
    /// vocabularies spell a space `Ġ`), e.g. `"<|im_end|>"`; the first id if repeated.
    ///
    /// - Complexity: O(text length).
    public func tokenID(of text: String) -> Int32? {
        table.id(of: text)
    }

    /// The vocabulary's own text for token `id`, or `nil` outside the vocabulary.
    public func tokenText(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The type of token `id`, or `nil` outside the vocabulary.
    public func tokenType(_ id: Int32) -> TokenizerVocabulary.TokenType? {
        id >= 0 && Int(id) < tokens.count ? types[Int(id)] : nil
    }

    /// The bytes `decode` emits for `id`; `nil` for control tokens and invalid ids.
    func decodedBytes(_ id: Int32) -> ArraySlice<UInt8>? {
        guard id >= 0 && Int(id) < tokens.count, types[Int(id)] != .control else { return nil }
        return storedPiece(Int(id))
    }

    @inline(__always)
    private func storedPiece(_ id: Int) -> ArraySlice<UInt8> {
        pieceStorage[Int(pieceOffsets[id])..<Int(pieceOffsets[id + 1])]
    }

    /// The byte of a `<0xXX>` token, or `nil` for any other text.
    static func byteValue(ofByteToken text: String) -> UInt8? {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == 0x3C, bytes[1] == 0x30, bytes[2] == 0x78, bytes[5] == 0x3E
        else { return nil }
        return UInt8(String(decoding: bytes[3..<5], as: UTF8.self), radix: 16)
    }

    /// Appends a SentencePiece token's text with `▁` turned back into spaces.
    private static func appendUnescaped(_ token: String, to storage: inout [UInt8]) {
        let bytes = Array(token.utf8)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count && bytes[i] == 0xE2 && bytes[i + 1] == 0x96 && bytes[i + 2] == 0x81 {
                storage.append(0x20)
                i += 3
            } else {
                storage.append(bytes[i])
                i += 1
            }
        }
    }
}
