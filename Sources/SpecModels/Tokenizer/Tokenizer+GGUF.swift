/// Building a tokenizer from the `tokenizer.ggml.*` metadata of a GGUF file.
extension TokenizerVocabulary {
    /// The vocabulary stored in `file`.
    /// - Throws: `ModelLoadError` when the file has no tokenizer.
    public init(file: GGUFFile) throws(ModelLoadError) {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        guard let model = file.string("tokenizer.ggml.model") else {
            throw ModelLoadError("\(name): no tokenizer in its metadata (tokenizer.ggml.model is missing)")
        }
        guard let tokens = file.strings("tokenizer.ggml.tokens"), !tokens.isEmpty else {
            throw ModelLoadError("\(name): tokenizer.ggml.tokens is missing or empty")
        }
        func id(_ key: String) -> Int32? { file.int(key).map { Int32(truncatingIfNeeded: $0) } }
        self.init(
            model: model,
            pre: file.string("tokenizer.ggml.pre"),
            tokens: tokens,
            tokenTypes: file.ints("tokenizer.ggml.token_type").map { $0.map { Int32(truncatingIfNeeded: $0) } },
            scores: file.floats("tokenizer.ggml.scores"),
            merges: file.strings("tokenizer.ggml.merges"),
            bosID: id("tokenizer.ggml.bos_token_id"),
            eosID: id("tokenizer.ggml.eos_token_id"),
            unknownID: id("tokenizer.ggml.unknown_token_id"),
            paddingID: id("tokenizer.ggml.padding_token_id"),
            addBOS: file.bool("tokenizer.ggml.add_bos_token") ?? (model == "llama"),
            addEOS: file.bool("tokenizer.ggml.add_eos_token") ?? false,
            addSpacePrefix: file.bool("tokenizer.ggml.add_space_prefix") ?? (model == "llama")
        )
    }
}

extension Tokenizer {
    /// The tokenizer that `file`'s metadata describes.
    /// - Throws: `ModelLoadError` naming the file and what is wrong with its
    ///   tokenizer (a `TokenizerError`'s description after the file's name).
    public convenience init(file: GGUFFile) throws(ModelLoadError) {
        let vocabulary = try TokenizerVocabulary(file: file)
        do {
            try self.init(vocabulary)
        } catch let error as TokenizerError {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            throw ModelLoadError("\(name): tokenizer: \(error)")
        } catch {
            throw ModelLoadError("\(file.path): tokenizer: \(error)")
        }
    }
}
