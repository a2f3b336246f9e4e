import Foundation

/// Writes a depth-pruned copy of a model: a subset of its layers, renumbered
/// consecutively, with the embeddings, final norm and output head kept — the
/// depth-pruned drafts that *Decoding Speculative Decoding* studies. The result
/// is an ordinary GGUF file that loads like any model.
public enum ModelPruner {
    /// Writes `layers` of `file` to `path`. Tensor data is copied byte for
    /// byte (no requantisation). The bytes go to a temporary file beside
    /// `path` that is renamed into place when complete (`GGUFWriter.write`),
    /// so a failure leaves no half-written file at `path`.
    /// Cost: O(size of the kept tensors).
    /// - Throws: `ModelLoadError` when `path` is the input file itself, by any
    ///   spelling or link (device and inode compared): the pruned copy would
    ///   replace the user's model.
    public static func write(_ file: GGUFFile, layers: LayerSelection, to path: String) throws {
        guard !file.isSameFile(as: path) else {
            throw ModelLoadError("\(path) is the model being pruned (\(file.path)): writing there would replace it; "
                                 + "give another output path with -o")
        }
        let config = try TransformerConfig(file: file)
        let arch = config.architecture.rawValue
        var writer = GGUFWriter(alignment: file.alignment)
        for key in file.metadataKeys where key != "general.alignment" {
            writer.set(key, file.metadata[key]!)
        }
        writer.set("\(arch).block_count", .uint32(UInt32(layers.layers.count)))
        let baseName = file.string("general.name") ?? "model"
        writer.set("general.name", .string("\(baseName) (layers \(layers))"))

        let renumber = Dictionary(uniqueKeysWithValues: layers.layers.enumerated().map { ($1, $0) })
        for tensor in file.tensors {
            var name = tensor.name
            if name.hasPrefix("blk.") {
                let parts = name.split(separator: ".", maxSplits: 2)
                guard parts.count == 3, let index = Int(parts[1]) else { continue }
                guard let newIndex = renumber[index] else { continue }
                name = "blk.\(newIndex).\(parts[2])"
            }
            guard let type = tensor.type else { throw ModelLoadError("\(file.path): tensor \(tensor.name) has unknown type \(tensor.rawType)") }
            try writer.addTensor(name: name, type: type, shape: tensor.shape, data: Array(file.data(for: tensor)))
        }
        try writer.write(to: path)
    }
}
