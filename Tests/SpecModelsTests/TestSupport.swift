import Foundation
import SpecCore
import SpecModels
import Testing

/// Shared fixtures for the model tests.
enum TestSupport {
    /// `Tests/SpecModelsTests/Fixtures/<name>`.
    static func fixture(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// The default model's weights, loaded once. The model is fetched by
    /// `make test`; without it these tests fail with a message saying so.
    static let defaultWeights: TransformerWeights? = {
        ComputePool.start(threads: 2)
        return try? TransformerWeights(path: DefaultModel.path)
    }()

    static func requireDefaultWeights() throws -> TransformerWeights {
        try #require(defaultWeights, "the default model is missing at \(DefaultModel.path): run `make test` (or `spectree models fetch smollm2-135m`) to fetch it")
    }

    /// A fresh transformer (own KV cache) over the default model's weights.
    static func defaultModel(context: Int = 1024) throws -> Transformer {
        try Transformer(weights: requireDefaultWeights(), contextLength: context)
    }

    /// A temporary file path that is removed at the end of the process.
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// Copies of logits rows, so that they survive the model's next call.
    static func rows(_ view: LogitsView) -> [[Float]] {
        (0..<view.rows).map { Array(view[row: $0]) }
    }
}
