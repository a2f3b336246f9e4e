import CKernels

/// The weights of a transformer, viewed in place in a memory-mapped GGUF file.
///
/// Matrices stay in the file's quantised format, viewed in place; on AVX-512
/// machines every quantised one is packed for the kernels instead
/// (`WeightMatrix.withPackedCopy`: an owned copy as large as the matrix, whose
/// mapped pages are then released, so memory holds one copy). Norm vectors and
/// biases, which are tiny, are dequantised into owned float arrays. Several
/// `Transformer`s (a target and its self-drafts) can share one instance.
public final class TransformerWeights: @unchecked Sendable {
    /// One transformer block.
    public struct Layer: Sendable {
        public let attentionNorm: [Float]  // (dim)
        public let query: WeightMatrix     // (dim, dim)
        public let key: WeightMatrix       // (kvDim, dim)
        public let value: WeightMatrix     // (kvDim, dim)
        public let queryBias: [Float]?     // (dim), qwen2
        public let keyBias: [Float]?       // (kvDim), qwen2
        public let valueBias: [Float]?     // (kvDim), qwen2
        public let attentionOutput: WeightMatrix  // (dim, dim)
        public let ffnNorm: [Float]        // (dim)
        public let gate: WeightMatrix      // (ffnDim, dim)
        public let up: WeightMatrix        // (ffnDim, dim)
        public let down: WeightMatrix      // (dim, ffnDim)
    }

    public let config: TransformerConfig
    /// The file the matrices point into; kept alive as long as the weights.
    public let file: GGUFFile
    public let tokenEmbedding: WeightMatrix  // (vocabularySize, dim)
    public let layers: [Layer]
    public let outputNorm: [Float]           // (dim)
    /// The output head; the token embedding itself when the model ties them.
    public let output: WeightMatrix          // (vocabularySize, dim)
    /// The type the matrices were requantised to at load (`init(file:requantizing:)`), if any.
    public let requantization: GGMLType?

    /// Loads and checks every tensor the architecture needs.
    /// - Parameter requantizing: a quantisable type (Q4_0): every matrix the
    ///   products read whose type takes more bits per weight is requantised to it
    ///   (`WeightMatrix.requantized(to:)`), making a cheaper draft of the same model;
    ///   the embedding too when it doubles as the output head. Costs about a second
    ///   for Qwen2.5-Coder-0.5B, and memory for the requantised copy beside the packed one.
    /// - Throws: `ModelLoadError` naming the tensor that is missing, misshapen or of an
    ///   unsupported type, or a type that cannot be requantised to.
    public init(file: GGUFFile, requantizing: GGMLType? = nil) throws(ModelLoadError) {
        if let requantizing, !requantizing.isQuantizable {
            throw ModelLoadError("spectree cannot requantise weights to \(requantizing.name) (it can to: \(GGMLType.allCases.filter(\.isQuantizable).map(\.name).joined(separator: ", ")))")
        }
        requantization = requantizing
        let config = try TransformerConfig(file: file)
        self.config = config
        self.file = file
        let fileName = file.path.split(separator: "/").last.map(String.init) ?? file.path

        func info(_ name: String, _ shape: [Int]) throws(ModelLoadError) -> GGUFTensorInfo {
            guard let t = file.tensor(named: name) else {
                throw ModelLoadError("\(fileName): tensor \(name) is missing")
            }
            guard t.shape == shape else {
                throw ModelLoadError("\(fileName): tensor \(name) has shape \(t.shape), expected \(shape)")
            }
            return t
        }
        func matrix(_ name: String, rows: Int, columns: Int, pack: Bool = true) throws(ModelLoadError) -> WeightMatrix {
            let t = try info(name, [columns, rows])
            guard let type = t.type else { throw ModelLoadError("\(fileName): tensor \(name) has unknown type \(t.rawType)") }
            let m: WeightMatrix
            do {
                m = try WeightMatrix(type: type, rows: rows, columns: columns,
                                     data: file.data(for: t).baseAddress!, name: name)
            } catch {
                throw ModelLoadError("\(fileName): \(error)")  // the matrix names the tensor, not the file
            }
            let smaller = requantizing.flatMap { $0.bitsPerWeight < type.bitsPerWeight ? $0 : nil }
            let stored = pack ? (smaller.map(m.requantized(to:)) ?? m) : m
            return pack ? stored.withPackedCopy() : stored
        }
        func vector(_ name: String, _ count: Int) throws(ModelLoadError) -> [Float] {
            let t = try info(name, [count])
            guard let type = t.type, type.isSupported, type.blockElements == 1 else {
                throw ModelLoadError("\(fileName): vector \(name) must be F32, F16 or BF16, not \(t.type?.name ?? "type \(t.rawType)")")
            }
            let data = file.data(for: t)
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                sk_dequantize(Int32(type.rawValue), data.baseAddress!, buffer.baseAddress!, Int64(count))
                initialized = count
            }
        }
        func optionalVector(_ name: String, _ count: Int) throws(ModelLoadError) -> [Float]? {
            file.tensor(named: name) == nil ? nil : try vector(name, count)
        }

        let c = config
        // Matrices get packed copies for the products (the mapped pages released); the
        // embedding only when it doubles as the output head.
        let tied = file.tensor(named: "output.weight") == nil
        tokenEmbedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: c.dim, pack: tied)
        var layers: [Layer] = []
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            layers.append(Layer(
                attentionNorm: try vector(p + "attn_norm.weight", c.dim),
                query: try matrix(p + "attn_q.weight", rows: c.dim, columns: c.dim),
                key: try matrix(p + "attn_k.weight", rows: c.kvDim, columns: c.dim),
                value: try matrix(p + "attn_v.weight", rows: c.kvDim, columns: c.dim),
                queryBias: try optionalVector(p + "attn_q.bias", c.dim),
                keyBias: try optionalVector(p + "attn_k.bias", c.kvDim),
                valueBias: try optionalVector(p + "attn_v.bias", c.kvDim),
                attentionOutput: try matrix(p + "attn_output.weight", rows: c.dim, columns: c.dim),
                ffnNorm: try vector(p + "ffn_norm.weight", c.dim),
                gate: try matrix(p + "ffn_gate.weight", rows: c.ffnDim, columns: c.dim),
                up: try matrix(p + "ffn_up.weight", rows: c.ffnDim, columns: c.dim),
                down: try matrix(p + "ffn_down.weight", rows: c.dim, columns: c.ffnDim)
            ))
        }
        self.layers = layers
        outputNorm = try vector("output_norm.weight", c.dim)
        output = tied
            ? tokenEmbedding
            : try matrix("output.weight", rows: c.vocabularySize, columns: c.dim)
    }

    /// Opens `path` and loads its weights.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }
}
