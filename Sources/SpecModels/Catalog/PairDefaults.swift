import SpecCore

/// The draft shape and trimmed draft vocabulary to use for a catalog target
/// and draft when the user gives no shape options: the fastest measured on
/// the reference machine (2 cores, AVX-512) by `spectree bench pair` and
/// `bench draft-depth --draft-vocabs` on the code prompts, greedy. See the
/// README ("The default pair") for the figures behind each entry.
public enum PairDefaults {
    /// (target, draft, shape, draft vocabulary: nil for the whole head), by catalog name.
    public static let table: [(target: String, draft: String, shape: DraftShape, draftVocabulary: Int?)] = [
        (ModelCatalog.qwenCoder15B.name, ModelCatalog.qwenCoder05B.name, .chain(depth: 4), 32768),
    ]

    /// The measured default for a target file and a draft source, if the pair is in the table.
    /// - Parameters:
    ///   - targetPath: the target's file (a catalog file is known by its name in the cache).
    ///   - draft: the draft as the user wrote it: a catalog name or a path.
    public static func shape(targetPath: String, draft: String) -> DraftShape? {
        entry(targetPath: targetPath, draft: draft)?.shape
    }

    /// The measured default draft vocabulary (FR-Spec) for the pair; nil for
    /// the whole head or a pair not in the table. Same parameters as `shape`.
    public static func draftVocabulary(targetPath: String, draft: String) -> Int? {
        entry(targetPath: targetPath, draft: draft)?.draftVocabulary
    }

    private static func entry(targetPath: String, draft: String)
        -> (target: String, draft: String, shape: DraftShape, draftVocabulary: Int?)? {
        guard let target = ModelCatalog.model(atPath: targetPath),
              let draftModel = ModelCatalog.model(named: draft) ?? ModelCatalog.model(atPath: draft) else { return nil }
        return table.first { $0.target == target.name && $0.draft == draftModel.name }
    }
}
