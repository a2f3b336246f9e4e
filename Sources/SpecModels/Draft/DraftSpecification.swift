import Foundation
import SpecCore

/// A draft source as users write it: `self:8`, `self:0-5,29`, `ngram`,
/// `ngram:4`, a catalog name (`qwen2.5-coder-0.5b`) or the path of a GGUF file
/// with the target's vocabulary, either optionally followed by `:LIST` to run
/// a subset of that model's layers (`qwen2.5-coder-0.5b:0-11`, `D.gguf:0-5,20`),
/// and by `@TYPE` to requantise that model's weights at load
/// (`qwen2.5-coder-0.5b@q4_0`, `D.gguf:0-11@q4_0`): a cheaper draft of the same model.
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
            if part.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }), let last = sources.last,
               last.hasPrefix("self:") || splitLayerList(last).layers != nil {
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
            try Self.checkSelfDraft(text)
            let selection = try LayerSelection(parsing: text, layerCount: target.config.layerCount)
            let model = try Transformer(weights: target.weights, layers: selection.layers,
                                        contextLength: target.contextLength, maxBatch: target.maxBatch)
            return (.model(model), "self-draft \(selection.layers.count)/\(target.config.layerCount) layers (\(selection))")
        case let .ngram(n):
            return (.ngram(try NGramDrafter(maxN: n)), "n-gram lookup (n ≤ \(n))")
        case let .file(whole):
            let (text, quantization) = try Self.splitQuantization(whole)
            let (nameOrPath, layerList) = Self.splitLayerList(text)
            let path = try ModelCatalog.resolve(nameOrPath)  // a catalog name or a path
            let weights = try DraftWeightsCache.shared.weights(path: path, requantizing: quantization) { () throws -> TransformerWeights in
                let file = try GGUFFile(path: path)
                try Self.checkVocabulary(target: target.weights.file, draft: file)
                return try TransformerWeights(file: file, requantizing: quantization)
            }
            let file = weights.file
            let name = ModelName.display(file) + (quantization.map { " as \($0.name)" } ?? "")
            if let layerList {
                let selection = try LayerSelection(parsing: layerList, layerCount: weights.config.layerCount)
                let model = try Transformer(weights: weights, layers: selection.layers,
                                            contextLength: target.contextLength, maxBatch: target.maxBatch)
                return (.model(model), "\(name) layers \(selection) (\(selection.layers.count)/\(weights.config.layerCount))")
            }
            let model = try Transformer(weights: weights, contextLength: target.contextLength, maxBatch: target.maxBatch)
            return (.model(model), "\(name) (\(weights.config.layerCount) layers)")
        }
    }

    /// `D.gguf:0-11` or `qwen2.5-coder-0.5b:0-5,20` → (`D.gguf`, `0-11`): a
    /// separate draft model run on a subset of its layers (its weights mapped
    /// once, shared by every subset). Text that names an existing file as a
    /// whole, or whose part after the last colon is not a layer list, is a
    /// plain name or path. - Complexity: O(n) in the text's length.
    public static func splitLayerList(_ text: String) -> (nameOrPath: String, layers: String?) {
        guard let colon = text.lastIndex(of: ":"), !FileManager.default.fileExists(atPath: text) else { return (text, nil) }
        let prefix = String(text[..<colon]), suffix = String(text[text.index(after: colon)...])
        guard !prefix.isEmpty, !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == ",") }) else {
            return (text, nil)
        }
        return (prefix, suffix)
    }

    /// `D.gguf:0-11@q4_0` → (`D.gguf:0-11`, Q4_0): a separate draft model whose
    /// weights are requantised at load (`TransformerWeights(file:requantizing:)`).
    /// `@file` keeps the file's types (it overrides a pair's default requantisation).
    /// Text that names an existing file as a whole, or has no `@`, has no type.
    /// - Throws: `SettingsError` for a type spectree cannot quantise to.
    /// - Complexity: O(n) in the text's length.
    public static func splitQuantization(_ text: String) throws(SettingsError) -> (rest: String, type: GGMLType?) {
        guard let at = text.lastIndex(of: "@"), !FileManager.default.fileExists(atPath: text) else { return (text, nil) }
        let name = text[text.index(after: at)...].uppercased()
        if name == "FILE" { return (String(text[..<at]), nil) }
        let quantizable = GGMLType.allCases.filter(\.isQuantizable)
        guard let type = quantizable.first(where: { $0.name == name }) else {
            let names = quantizable.map { $0.name.lowercased() }.joined(separator: ", ")
            throw SettingsError("draft \(text): cannot requantise a draft to '\(text[text.index(after: at)...])' (spectree can to: \(names); @file keeps the file's types)")
        }
        return (String(text[..<at]), type)
    }

    /// Throws for a self-draft's layer text with `@TYPE`: a self-draft shares the
    /// target's weights, so it has none of its own to requantise.
    public static func checkSelfDraft(_ layers: String) throws(SettingsError) {
        if layers.contains("@") {
            throw SettingsError("draft self:\(layers): @TYPE requantises a separate draft model; a self-draft shares the target's weights")
        }
    }

    /// `D:0-11@q4_0` → (`D:0-11`, `@q4_0`): the text without its requantisation
    /// suffix, and the suffix (empty when there is none or it names no type), for
    /// edits of the layer list that keep the type. - Complexity: O(n).
    public static func splitQuantizationSuffix(_ text: String) -> (rest: String, suffix: String) {
        let rest = (try? splitQuantization(text).rest) ?? text
        return (rest, String(text.dropFirst(rest.count)))
    }

    /// The first `k` of `layerCount` layers of a separate draft `draft` (written
    /// without a layer list, with or without `@TYPE`): `D:0-(k-1)@TYPE`, or `draft`
    /// itself when `k` is all of them. - Complexity: O(n) in the text's length.
    public static func firstLayers(_ k: Int, of draft: String, layerCount: Int) -> String {
        guard k != layerCount else { return draft }
        let (model, suffix) = splitQuantizationSuffix(draft)
        return "\(model):0-\(k - 1)\(suffix)"
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

/// The last separate draft model's weights, by path and requantisation: a live
/// change of its layers (`D:0-K`) or vocabulary builds a new `Transformer` over
/// the same weights instead of mapping and packing the file again (about a
/// second for the 0.5B). Holds one model's weights at most.
final class DraftWeightsCache: @unchecked Sendable {
    static let shared = DraftWeightsCache()
    private let lock = NSLock()
    private var key: String?
    private var cached: TransformerWeights?

    func weights(path: String, requantizing: GGMLType?, load: () throws -> TransformerWeights) throws -> TransformerWeights {
        lock.lock()
        defer { lock.unlock() }
        let key = path + "@" + (requantizing?.name ?? "")
        if key == self.key, let cached { return cached }
        cached = nil  // the old weights go before the new ones load
        let loaded = try load()
        self.key = key
        cached = loaded
        return loaded
    }
}
