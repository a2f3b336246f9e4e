/// The blueprint of a decoder-only transformer, read from GGUF metadata.
public struct TransformerConfig: Sendable, Equatable {
    /// The architectures spectree runs.
    public enum Architecture: String, Sendable, CaseIterable {
        /// RMSNorm, RoPE on adjacent pairs (GGML "normal"), GQA, SwiGLU.
        case llama
        /// As llama, plus QKV bias and NeoX-ordered RoPE (first half with second half).
        case qwen2
    }

    public var architecture: Architecture
    public var layerCount: Int
    /// Width of the residual stream.
    public var dim: Int
    public var ffnDim: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int { dim / headCount }
    public var kvDim: Int { kvHeadCount * headDim }
    public var vocabularySize: Int
    /// Context length the model was trained with.
    public var trainedContext: Int
    public var rmsEpsilon: Float
    public var ropeBase: Double
    /// NeoX rotary ordering (qwen2) instead of adjacent pairs (llama).
    public var ropeNeoX: Bool { architecture == .qwen2 }

    /// Reads and checks the blueprint of `file`.
    /// - Throws: `ModelLoadError` naming the file and the missing or impossible value.
    public init(file: GGUFFile) throws(ModelLoadError) {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        guard let arch = file.string("general.architecture") else {
            throw ModelLoadError("\(name): no general.architecture in its metadata")
        }
        guard let architecture = Architecture(rawValue: arch) else {
            throw ModelLoadError("\(name): unsupported architecture '\(arch)' (spectree runs \(Architecture.allCases.map(\.rawValue).joined(separator: " and ")))")
        }
        func int(_ key: String) throws(ModelLoadError) -> Int {
            guard let v = file.int("\(arch).\(key)"), v > 0 else {
                throw ModelLoadError("\(name): missing or invalid \(arch).\(key)")
            }
            return v
        }
        self.architecture = architecture
        layerCount = try int("block_count")
        dim = try int("embedding_length")
        ffnDim = try int("feed_forward_length")
        headCount = try int("attention.head_count")
        kvHeadCount = file.int("\(arch).attention.head_count_kv") ?? headCount
        trainedContext = file.int("\(arch).context_length") ?? 2048
        guard trainedContext >= 2 else {
            throw ModelLoadError("\(name): invalid \(arch).context_length \(trainedContext): a model's context holds at least 2 tokens")
        }
        rmsEpsilon = Float(file.double("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5)
        ropeBase = file.double("\(arch).rope.freq_base") ?? 10_000
        vocabularySize = file.int("\(arch).vocab_size") ?? file.strings("tokenizer.ggml.tokens")?.count ?? 0
        if let embedding = file.tensor(named: "token_embd.weight"), embedding.shape.count == 2 {
            vocabularySize = embedding.shape[1]
        }
        guard dim % headCount == 0, kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw ModelLoadError("\(name): \(headCount) heads and \(kvHeadCount) KV heads do not divide a width of \(dim)")
        }
        guard headDim % 2 == 0 else { throw ModelLoadError("\(name): head size \(headDim) is odd; RoPE needs pairs") }
        if let ropeDims = file.int("\(arch).rope.dimension_count"), ropeDims != headDim {
            throw ModelLoadError("\(name): partial RoPE (\(ropeDims) of \(headDim) dimensions) is not supported")
        }
        guard vocabularySize > 0 else { throw ModelLoadError("\(name): no vocabulary size") }
    }

    /// A blueprint given value by value (synthetic models in tests).
    public init(architecture: Architecture, layerCount: Int, dim: Int, ffnDim: Int, headCount: Int,
                kvHeadCount: Int, vocabularySize: Int, trainedContext: Int = 2048,
                rmsEpsilon: Float = 1e-5, ropeBase: Double = 10_000) {
        self.architecture = architecture
        self.layerCount = layerCount
        self.dim = dim
        self.ffnDim = ffnDim
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.vocabularySize = vocabularySize
        self.trainedContext = trainedContext
        self.rmsEpsilon = rmsEpsilon
        self.ropeBase = ropeBase
    }
}
