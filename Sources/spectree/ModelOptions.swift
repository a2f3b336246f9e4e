import ArgumentParser
import Foundation
import SpecModels

/// Options every command that runs a model shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A GGUF model file or a catalog name (spectree models), e.g. qwen2.5-coder-1.5b (default: smollm2-135m).")
    var model: String?

    @Option(name: .long, help: "Compute threads (default: one per core).")
    var threads: Int?

    @Option(name: .long, help: "KV cache size in tokens (default: the model's context, at most 4096).")
    var context: Int?

    /// The model file: the path given, a catalog name's verified cache file, or the default model's.
    func resolvedPath() throws -> String {
        if let model { return try ModelCatalog.resolve(model) }
        return try DefaultModel.locate()
    }

    /// Starts the compute pool and opens the model, its weights and its tokenizer.
    func load() throws -> LoadedModel {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        ComputePool.start(threads: threads)
        let path = try resolvedPath()
        let file = try GGUFFile(path: path)
        let weights = try TransformerWeights(file: file)
        let tokenizer = try Tokenizer(file: file)
        guard tokenizer.vocabularySize == weights.config.vocabularySize else {
            throw ModelLoadError("\(path): the tokenizer has \(tokenizer.vocabularySize) tokens but the output head has \(weights.config.vocabularySize) rows")
        }
        if let context, context < 2 { throw ValidationError("--context must be at least 2") }
        let model = try Transformer(weights: weights, contextLength: context)
        return LoadedModel(path: path, file: file, weights: weights, tokenizer: tokenizer, model: model)
    }
}

/// A model ready to run: file, weights, tokenizer and a transformer with its cache.
struct LoadedModel {
    let path: String
    let file: GGUFFile
    let weights: TransformerWeights
    let tokenizer: Tokenizer
    let model: Transformer

    /// The name a person recognises, e.g. "Qwen2.5-Coder-1.5B-Instruct Q4_K_M".
    var name: String { ModelName.display(file) }
}
