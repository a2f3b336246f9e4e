import SpecCore

/// The draft shape to use for a catalog target and draft when the user gives
/// no shape options: the fastest measured on the reference machine (2 cores,
/// AVX-512) by `spectree bench pair` and `tune` on the code prompts, greedy.
/// See the README ("The default pair") for the figures behind each entry.
public enum PairDefaults {
    /// (target, draft, shape), by catalog name.
    public static let table: [(target: String, draft: String, shape: DraftShape)] = [
        (ModelCatalog.qwenCoder15B.name, ModelCatalog.qwenCoder05B.name, .chain(depth: 4)),
    ]

    /// The measured default for a target file and a draft source, if the pair is in the table.
    /// - Parameters:
    ///   - targetPath: the target's file (a catalog file is known by its name in the cache).
    ///   - draft: the draft as the user wrote it: a catalog name or a path.
    public static func shape(targetPath: String, draft: String) -> DraftShape? {
        guard let target = ModelCatalog.model(atPath: targetPath),
              let draftModel = ModelCatalog.model(named: draft) ?? ModelCatalog.model(atPath: draft) else { return nil }
        return table.first { $0.target == target.name && $0.draft == draftModel.name }?.shape
    }
}
