import Foundation

/// Where spectree finds its default model, SmolLM2-135M-Instruct Q4_1, which
/// `make demo`, `make test` and `scripts/fetch-model.sh` put in place.
public enum DefaultModel {
    public static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    public static let sha256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

    /// `$SPECTREE_MODELS`, or `~/.cache/spectree/models`.
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["SPECTREE_MODELS"], !dir.isEmpty { return dir }
        return NSHomeDirectory() + "/.cache/spectree/models"
    }

    public static var path: String { directory + "/" + fileName }

    /// The default model's path if the file is there; otherwise an error
    /// telling the user how to fetch it.
    public static func locate() throws(ModelLoadError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelLoadError("""
                the default model is not at \(path).
                Fetch it with `make model` (or scripts/fetch-model.sh), or give a GGUF file with --model PATH.
                """)
        }
        return path
    }
}
