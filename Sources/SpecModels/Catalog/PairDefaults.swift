import SpecCore

/// The drafting settings to use for a catalog target and draft when the user
/// gives no shape options: the fastest measured on the reference machine
/// (2 cores, AVX-512) by `spectree bench pair` and `bench draft-depth
/// --draft-vocabs` on the code prompts. See the README ("The default pair")
/// for the figures behind each entry.
public enum PairDefaults {
    /// One pair's measured settings.
    public struct Entry: Sendable, Equatable {
        /// Catalog names.
        public var target: String
        public var draft: String
        public var shape: DraftShape
        /// Trimmed draft vocabulary (FR-Spec); nil for the whole head.
        public var draftVocabulary: Int?
        /// p-min of the chain (0: off).
        public var pMin: Double = 0
        /// Lookup-assisted drafting's n-gram length (0: off).
        public var draftLookup: Int = 0
        /// The type the draft's weights are requantised to at load (`D@q4_0`); nil: as stored.
        public var draftQuantization: GGMLType?

        public init(target: String, draft: String, shape: DraftShape, draftVocabulary: Int?, pMin: Double = 0,
                    draftLookup: Int = 0, draftQuantization: GGMLType? = nil) {
            self.target = target
            self.draft = draft
            self.shape = shape
            self.draftVocabulary = draftVocabulary
            self.pMin = pMin
            self.draftLookup = draftLookup
            self.draftQuantization = draftQuantization
        }

        /// `@q4_0` when the draft is requantised, else empty: what follows the draft's name.
        public var quantizationSuffix: String { draftQuantization.map { "@" + $0.name.lowercased() } ?? "" }
    }

    public static let table: [Entry] = [
        Entry(target: ModelCatalog.qwenCoder15B.name, draft: ModelCatalog.qwenCoder05B.name, shape: .chain(depth: 4),
              draftVocabulary: 32768, pMin: 0, draftLookup: 3, draftQuantization: .q4_0),
    ]

    /// The measured default for a target file and a draft source, if the pair is in the table.
    /// - Parameters:
    ///   - targetPath: the target's file (a catalog file is known by its name in the cache).
    ///   - draft: the draft as the user wrote it: a catalog name or a path, with
    ///     or without a requantisation (`@q4_0`).
    public static func entry(targetPath: String, draft written: String) -> Entry? {
        let draft = DraftSpecification.splitQuantizationSuffix(written).rest
        guard let target = ModelCatalog.model(atPath: targetPath),
              let draftModel = ModelCatalog.model(named: draft) ?? ModelCatalog.model(atPath: draft) else { return nil }
        return table.first { $0.target == target.name && $0.draft == draftModel.name }
    }
}
