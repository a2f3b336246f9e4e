import ArgumentParser
import Foundation
import SpecCore
import SpecModels

/// Options every command that runs a model shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A GGUF model file or a catalog name (spectree models), e.g. qwen2.5-coder-1.5b (default: smollm2-135m).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Compute threads (default: one per core).")
    var threads: Int?

    @Option(name: .long, parsing: .unconditional, help: "KV cache size in tokens (default: the model's context, at most 4096).")
    var context: Int?

    /// The model file: the path given, a catalog name's verified cache file, or the default model's.
    func resolvedPath() throws -> String {
        if let model { return try ModelCatalog.resolve(model) }
        return try DefaultModel.locate()
    }

    /// Starts the compute pool and opens the model, its weights and its tokenizer.
    /// - Parameter check: called with the model's setting ranges as soon as its
    ///   header is read, before the weights load, so that impossible settings
    ///   fail at once.
    func load(checking check: (SettingRanges) throws -> Void = { _ in }) throws -> LoadedModel {
        let threads = self.threads ?? min(ProcessInfo.processInfo.activeProcessorCount, SettingRanges.threads.upperBound)
        do { try SettingRanges.checkThreads(threads) } catch { throw ValidationError(error.description) }
        ComputePool.start(threads: threads)
        let path = try resolvedPath()
        let file = try GGUFFile(path: path)
        let config = try TransformerConfig(file: file)
        let contextLength: Int
        do { contextLength = try SettingRanges.contextLength(requested: context, config: config) } catch {
            throw ValidationError("--context: \(error.description)")
        }
        try check(SettingRanges(config: config, contextLength: contextLength))
        let weights = try TransformerWeights(file: file)
        do {  // before the cache is allocated
            try SettingRanges.checkMemory(context: contextLength, config: weights.config, model: path)
        } catch {
            throw ValidationError("--context: \(error.description)")
        }
        let tokenizer = try Tokenizer(file: file)
        guard tokenizer.vocabularySize == weights.config.vocabularySize else {
            throw ModelLoadError("\(path): the tokenizer has \(tokenizer.vocabularySize) tokens but the output head has \(weights.config.vocabularySize) rows")
        }
        let model = try Transformer(weights: weights, contextLength: contextLength, maxBatch: SettingRanges.defaultMaxBatch)
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

    /// The ranges every setting is checked against, from this model.
    var ranges: SettingRanges { SettingRanges(model: model) }
}
