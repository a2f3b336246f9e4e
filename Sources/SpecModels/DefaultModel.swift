import Foundation

/// Where spectree finds its default model, SmolLM2-135M-Instruct Q4_1 (the
/// catalog's `smollm2-135m`), which `make demo-small`, `make test` and
/// `spectree models fetch smollm2-135m` put in place.
public enum DefaultModel {
    public static let fileName = ModelCatalog.smolLM2.fileName
    public static let sha256 = ModelCatalog.smolLM2.sha256

    /// `$SPECTREE_MODELS`, or `~/.cache/spectree/models`.
    public static var directory: String { ModelCatalog.directory }

    public static var path: String { directory + "/" + fileName }

    /// The default model's path once it is there and verified; otherwise an
    /// error telling the user how to fetch it.
    public static func locate() throws(ModelLoadError) -> String {
        try ModelCatalog.verifiedPath(of: ModelCatalog.smolLM2)
    }
}
