import ArgumentParser
import CKernels
import COpenBLAS
import Foundation
import SpecModels

/// `spectree info MODEL`: what a GGUF file holds and how spectree will run it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a GGUF model's architecture, sizes, tensor types and tokenizer."
    )

    @Argument(help: "A GGUF model file or a catalog name (default: the default model).")
    var model: String?

    func run() throws {
        let path = try model.map { try ModelCatalog.resolve($0) } ?? DefaultModel.locate()
        let file = try GGUFFile(path: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("file         \(path)")
        print("size         \(String(format: "%.1f", Double(size) / 1_048_576)) MiB, GGUF v\(file.version), \(file.tensors.count) tensors, \(file.metadata.count) metadata keys")
        print("name         \(ModelName.display(file))\(file.string("general.name").map { " (general.name \"\($0)\")" } ?? "")")

        let config = try TransformerConfig(file: file)
        print("architecture \(config.architecture.rawValue): \(config.layerCount) layers, width \(config.dim), FFN \(config.ffnDim)")
        print("attention    \(config.headCount) heads of \(config.headDim), \(config.kvHeadCount) KV heads, RoPE base \(config.ropeBase)\(config.ropeNeoX ? " (NeoX order)" : "")")
        print("context      \(config.trainedContext) tokens trained; vocabulary \(config.vocabularySize)")
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        print("parameters   \(String(format: "%.1f", Double(parameters) / 1e6)) M, output head \(file.tensor(named: "output.weight") == nil ? "tied to the embeddings" : "separate")")

        var counts: [String: Int] = [:]
        for t in file.tensors { counts[t.type?.name ?? "type \(t.rawType)", default: 0] += 1 }
        let types = counts.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        print("tensor types \(types)")
        let unsupported = file.tensors.filter { !($0.type?.isSupported ?? false) }
        if !unsupported.isEmpty {
            print("unsupported  \(unsupported.count) tensors, e.g. \(unsupported[0].name) (\(unsupported[0].type?.name ?? "?"))")
        }

        let vocabulary = try TokenizerVocabulary(file: file)
        let special = [("BOS", vocabulary.bosID), ("EOS", vocabulary.eosID)].compactMap { label, id in
            id.map { "\(label) \($0) \(vocabulary.tokens.indices.contains(Int($0)) ? vocabulary.tokens[Int($0)] : "?")" }
        }
        print("tokenizer    \(vocabulary.model), pre-tokenizer \(vocabulary.pre ?? "default"), \(vocabulary.tokens.count) tokens, \(vocabulary.merges?.count ?? 0) merges; \(special.joined(separator: ", "))")
        print("kernels      \(String(cString: sk_cpu_description()))")
        print("openblas     \(String(cString: openblas_get_config())) (core \(String(cString: openblas_get_corename())))")
    }
}
