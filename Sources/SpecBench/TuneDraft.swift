import SpecCore
import SpecModels

/// One draft `tune` searches with: a draft source (`self:K`, a separate model,
/// or its first K layers `D:0-(K-1)`) and a trimmed vocabulary for its head
/// (FR-Spec; nil: all tokens). Each is measured on its own (its call times
/// and acceptance), so tune weighs a cheaper draft against its acceptance.
public struct TuneDraft: Sendable, Hashable {
    public var spec: String
    public var vocabulary: Int?

    public init(spec: String, vocabulary: Int? = nil) {
        self.spec = spec
        self.vocabulary = vocabulary
    }

    /// What tables show: the spec, and the vocabulary when trimmed (`qwen2.5-coder-0.5b:0-15 v16k`).
    public var label: String { vocabulary.map { "\(spec) v\(DraftVocabulary.label($0))" } ?? spec }

    /// The `spectree run` options beyond `--draft`.
    public var extraOptions: [String] { vocabulary.map { ["--draft-vocab", String($0)] } ?? [] }

    /// Every combination: each draft, each of its layer counts when it is a
    /// separate model (`layers`: first K layers; the whole model at its layer
    /// count), each vocabulary; in that order.
    /// - Parameter layerCount: a separate draft's layer count (nil for `self:`/`ngram` sources).
    public static func combinations(drafts: [String], layers: [Int]?, vocabularies: [Int?],
                                     layerCount: (String) throws -> Int?) rethrows -> [TuneDraft] {
        var result: [TuneDraft] = []
        for draft in drafts {
            var specs = [draft]
            let model = DraftSpecification.splitQuantizationSuffix(draft).rest  // D@q4_0: its layers are D's
            if let layers, DraftSpecification.splitLayerList(model).layers == nil, let count = try layerCount(model) {
                specs = layers.filter { $0 >= 1 && $0 <= count }.map { DraftSpecification.firstLayers($0, of: draft, layerCount: count) }
            }
            for spec in specs {
                for vocabulary in vocabularies.isEmpty ? [nil] : vocabularies {
                    let d = TuneDraft(spec: spec, vocabulary: vocabulary)
                    if !result.contains(d) { result.append(d) }
                }
            }
        }
        return result
    }

    /// Loads the draft model for `target` with its vocabulary applied.
    /// - Throws: `BenchError` for an n-gram source or a vocabulary that cannot apply; model errors.
    public func load(for target: Transformer) throws -> any LanguageModel {
        let (source, _) = try DraftSpecification(spec).load(for: target)
        guard case let .model(model) = source else {
            throw BenchError("tune needs a draft model (self:K or a GGUF file); '\(spec)' has no model to measure")
        }
        do { try DraftVocabulary.apply(vocabulary, to: source) } catch { throw BenchError(error.description) }
        return model
    }
}
