import SpecCore

/// A draft source as users write it: `self:8`, `self:0-5,29`, `ngram`,
/// `ngram:4`, a catalog name (`qwen2.5-coder-0.5b`) or the path of a GGUF file
/// with the target's vocabulary.
public enum DraftSpecification: Sendable, Equatable, CustomStringConvertible {
    case selfDraft(String)
    case ngram(Int)
    case file(String)

    /// Parses `text`. Never fails: anything that is not `self:…` or `ngram…` is a path.
    public init(_ text: String) {
        if text.hasPrefix("self:") {
            self = .selfDraft(String(text.dropFirst(5)))
        } else if text == "ngram" {
            self = .ngram(3)
        } else if text.hasPrefix("ngram:"), let n = Int(text.dropFirst(6)) {
            self = .ngram(n)
        } else {
            self = .file(text)
        }
    }

    /// Splits a comma-separated list of draft sources, such as
    /// `self:8,ngram:3,draft.gguf` or `self:0-3,28,29,ngram`: a part made only of
    /// digits and dashes continues the layer list of the `self:` source before it.
    /// Empty parts are dropped. - Complexity: O(n) in the text's length.
    public static func list(_ text: String) -> [String] {
        var sources: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if part.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }), let last = sources.last, last.hasPrefix("self:") {
                sources[sources.count - 1] = last + "," + part
            } else {
                sources.append(part)
            }
        }
        return sources
    }

    public var description: String {
        switch self {
        case let .selfDraft(layers): "self:\(layers)"
        case let .ngram(n): "ngram:\(n)"
        case let .file(path): path
        }
    }

    /// Builds the draft for `target`: a self-draft shares the target's weights;
    /// a file must have the same vocabulary, token for token.
    /// - Throws: `ModelLoadError` or `SettingsError` naming what is wrong.
    public func load(for target: Transformer) throws -> (source: DraftSource, label: String) {
        switch self {
        case let .selfDraft(text):
            let selection = try LayerSelection(parsing: text, layerCount: target.config.layerCount)
            let model = try Transformer(weights: target.weights, layers: selection.layers,
                                        contextLength: target.contextLength, maxBatch: target.maxBatch)
            return (.model(model), "self-draft \(selection.layers.count)/\(target.config.layerCount) layers (\(selection))")
        case let .ngram(n):
            return (.ngram(try NGramDrafter(maxN: n)), "n-gram lookup (n ≤ \(n))")
        case let .file(nameOrPath):
            let path = try ModelCatalog.resolve(nameOrPath)  // a catalog name or a path
            let file = try GGUFFile(path: path)
            try Self.checkVocabulary(target: target.weights.file, draft: file)
            let weights = try TransformerWeights(file: file)
            let model = try Transformer(weights: weights, contextLength: target.contextLength, maxBatch: target.maxBatch)
            let name = ModelName.display(file)
            return (.model(model), "\(name) (\(weights.config.layerCount) layers)")
        }
    }

    /// Throws unless `draft` has exactly `target`'s token strings, saying where they differ.
    public static func checkVocabulary(target: GGUFFile, draft: GGUFFile) throws(ModelLoadError) {
        let a = target.strings("tokenizer.ggml.tokens") ?? [], b = draft.strings("tokenizer.ggml.tokens") ?? []
        guard a.count == b.count else {
            throw ModelLoadError("the draft \(draft.path) has \(b.count) tokens in its vocabulary, the target \(target.path) has \(a.count): a draft must share the target's vocabulary")
        }
        if let i = a.indices.first(where: { a[$0] != b[$0] }) {
            throw ModelLoadError("the draft \(draft.path) and the target differ at token \(i): \(b[i].debugDescription) vs \(a[i].debugDescription): a draft must share the target's vocabulary")
        }
    }
}
