import ArgumentParser
import Foundation
import SpecModels

/// `spectree prune`: writes a depth-pruned draft GGUF from a model.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Write a depth-pruned copy of a model (a subset of its layers) as a draft GGUF."
    )

    @Option(name: .long, help: "The model to prune (default: the default model).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Layers to keep: a count (the first K) or a list such as 0-5,29.")
    var layers: String

    @Option(name: [.customShort("o"), .long], help: "Where to write the pruned GGUF.")
    var output: String

    func run() throws {
        let path = try model ?? DefaultModel.locate()
        let file = try GGUFFile(path: path)
        let config = try TransformerConfig(file: file)
        let selection = try LayerSelection(parsing: layers, layerCount: config.layerCount)
        try ModelPruner.write(file, layers: selection, to: output)
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("wrote \(output): layers \(selection) of \(config.layerCount), \(String(format: "%.1f", Double(size) / 1_048_576)) MiB")
    }
}
