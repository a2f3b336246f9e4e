import CKernels
import Foundation
import SpecCore

/// A llama/qwen2 decoder with its own KV cache, evaluating chains and trees of
/// new tokens in one call.
///
/// The forward pass reads top to bottom like llama2.c's `forward`: embed,
/// then per layer attention RMSNorm, QKV, RoPE, tree-masked attention,
/// residual, FFN RMSNorm, SwiGLU, residual; final norm and output head. All
/// buffers are allocated once at init.
///
/// Batch invariance: every per-token quantity (norms, RoPE, attention, and
/// each output of the matrix kernels) is computed by the same code in the same
/// order whatever the batch holds, so a token's logits inside a tree batch are
/// bit-identical to evaluating its root-to-node path alone.
public final class Transformer: LanguageModel {
    public let weights: TransformerWeights
    public let config: TransformerConfig
    /// The weights' layers this model runs, in order: all of them for a
    /// target, a subset for a self-draft (which shares the target's weights).
    public let layerIndices: [Int]
    public let contextLength: Int
    /// Tokens one call evaluates unless told otherwise: the root and a 63-node draft tree.
    public static let defaultMaxBatch = 64
    /// Most tokens one `evaluate` call takes.
    public let maxBatch: Int
    public var vocabularySize: Int { config.vocabularySize }
    public var committedCount: Int { cache.committed }

    /// The output head cut to some tokens' rows (a trimmed draft vocabulary,
    /// `restrictOutput(to:)`); nil: every row. Other tokens' logits are −∞.
    public internal(set) var outputRows: OutputRowSubset? {
        didSet { if outputRows != nil { logitBuffer.update(repeating: -.infinity, count: maxBatch * config.vocabularySize) } }
    }

    let cache: KVCache
    /// The last evaluated batch, which `commit` selects a path from.
    private var pending: TokenBatch?

    // Run state, allocated once (shapes in tokens × floats).
    private let residual: UnsafeMutablePointer<Float>   // (maxBatch, dim)
    private let normed: Activations                     // (maxBatch, dim)
    private let attended: Activations                   // (maxBatch, dim) attention output, input of Wo
    private let hidden: Activations                     // (maxBatch, ffnDim) SwiGLU output, input of Wdown
    private let queries: UnsafeMutablePointer<Float>    // (maxBatch, dim)
    private let keys: UnsafeMutablePointer<Float>       // (maxBatch, kvDim)
    private let values: UnsafeMutablePointer<Float>     // (maxBatch, kvDim)
    private let projected: UnsafeMutablePointer<Float>  // (maxBatch, dim) Wo or Wdown output
    private let upProjected: UnsafeMutablePointer<Float> // (maxBatch, ffnDim)
    private let ropeCos: UnsafeMutablePointer<Float>    // (maxBatch, headDim / 2)
    private let ropeSin: UnsafeMutablePointer<Float>    // (maxBatch, headDim / 2)
    private let scores: UnsafeMutablePointer<Float>     // (scoreThreads, scoreStride)
    /// RoPE frequencies base^(-2i / headDim), i < headDim / 2 (pow once, not per token).
    private let ropeFrequencies: [Double]
    /// Floats of attention scratch per thread: (query heads per KV head, contextLength + 16).
    private let scoreStride: Int
    private let logitBuffer: UnsafeMutablePointer<Float> // (maxBatch, vocabularySize)
    /// The quantised forms each input of each run layer is written in (what its
    /// consumer matrices read), by position in `layerIndices`; and the head's input's.
    private let layerFormats: [LayerFormats]
    private let headFormats: ActivationFormats
    private static let scoreThreads = 64

    /// A model over `weights`, running `layers` (default: all) with a KV cache
    /// of `contextLength` tokens (default: the trained context, at most 4096).
    /// Memory: 8 · layers · context · kvDim bytes of cache, plus
    /// 4 · maxBatch · vocabulary bytes of logits.
    public init(weights: TransformerWeights, layers: [Int]? = nil, contextLength: Int? = nil,
                maxBatch: Int = Transformer.defaultMaxBatch) throws(ModelLoadError) {
        let c = weights.config
        let layers = layers ?? Array(0..<c.layerCount)
        guard !layers.isEmpty else { throw ModelLoadError("a model needs at least one layer") }
        for l in layers where l < 0 || l >= c.layerCount {
            throw ModelLoadError("layer \(l) is out of range: the model has layers 0…\(c.layerCount - 1)")
        }
        let context = contextLength ?? min(c.trainedContext, 4096)
        guard context >= 2 else { throw ModelLoadError("a context of \(context) tokens is too small") }
        guard maxBatch >= 1 else { throw ModelLoadError("the batch size must be at least 1") }
        self.weights = weights
        self.config = c
        self.layerIndices = layers
        self.contextLength = context
        self.maxBatch = maxBatch
        cache = KVCache(layerCount: layers.count, capacity: context, width: c.kvDim)
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        residual = buffer(maxBatch * c.dim)
        normed = Activations(capacity: maxBatch, width: c.dim)
        attended = Activations(capacity: maxBatch, width: c.dim)
        hidden = Activations(capacity: maxBatch, width: c.ffnDim)
        queries = buffer(maxBatch * c.dim)
        keys = buffer(maxBatch * c.kvDim)
        values = buffer(maxBatch * c.kvDim)
        projected = buffer(maxBatch * c.dim)
        upProjected = buffer(maxBatch * c.ffnDim)
        ropeCos = buffer(maxBatch * c.headDim / 2)
        ropeSin = buffer(maxBatch * c.headDim / 2)
        scoreStride = c.headCount / c.kvHeadCount * (context + 16)
        scores = buffer(Self.scoreThreads * scoreStride)
        logitBuffer = buffer(maxBatch * c.vocabularySize)
        ropeFrequencies = (0..<(c.headDim / 2)).map { i in pow(c.ropeBase, -Double(2 * i) / Double(c.headDim)) }
        layerFormats = layers.map { LayerFormats(weights.layers[$0]) }
        headFormats = ActivationFormats(reading: [weights.output])
    }

    /// The quantised forms a layer's four matrix inputs need.
    private struct LayerFormats {
        let attention, attended, ffn, hidden: ActivationFormats
        init(_ layer: TransformerWeights.Layer) {
            attention = ActivationFormats(reading: [layer.query, layer.key, layer.value])
            attended = ActivationFormats(reading: [layer.attentionOutput])
            ffn = ActivationFormats(reading: [layer.gate, layer.up])
            hidden = ActivationFormats(reading: [layer.down])
        }
    }

    deinit {
        for p in [residual, queries, keys, values, projected, upProjected, ropeCos, ropeSin, scores, logitBuffer] {
            p.deallocate()
        }
    }

    public func reset() {
        cache.committed = 0
        pending = nil
    }

    public func commit(path: [Int]) throws {
        guard let batch = pending else { throw ModelError.invalidPath("no tokens have been evaluated since the last commit") }
        for (k, node) in path.enumerated() {
            guard node >= 0, node < batch.count else {
                throw ModelError.invalidPath("index \(node) is outside the batch of \(batch.count)")
            }
            let expectedParent = k == 0 ? -1 : path[k - 1]
            guard batch.parents[node] == expectedParent else {
                throw ModelError.invalidPath("token \(node) is not the child of \(expectedParent)")
            }
        }
        cache.commit(batchOffsets: path)
        pending = nil
    }

    public func evaluate(_ batch: TokenBatch, logits rows: LogitRows) throws -> LogitsView {
        pending = nil
        return try extend(tokens: batch.tokens, parents: batch.parents, logits: rows)
    }

    public func extend(tokens: [TokenID], parents: [Int], logits rows: LogitRows) throws -> LogitsView {
        let n = tokens.count
        let c = config
        precondition(n > 0 && n <= maxBatch, "a batch holds 1…\(maxBatch) tokens")
        precondition(parents.count == n, "one parent per token")
        let earlier = pending?.count ?? 0
        for (i, parent) in parents.enumerated() {
            precondition(parent >= -1 && parent < earlier + i, "parents must come first")
        }
        let start = cache.committed + earlier
        guard start + n <= contextLength else {
            throw ModelError.contextOverflow(committed: cache.committed, batch: earlier + n, context: contextLength)
        }
        for t in tokens where t < 0 || Int(t) >= c.vocabularySize {
            throw ModelError.invalidToken(t, vocabulary: c.vocabularySize)
        }
        precondition(ComputePool.threads <= Self.scoreThreads)
        let tree = TokenBatch(tokens: (pending?.tokens ?? []) + tokens, parents: (pending?.parents ?? []) + parents)
        pending = tree

        // The keys each token attends to: the prefix, then its ancestors root first, then itself.
        let depths = tree.depths.suffix(n).map { $0 }
        var visible: [[Int32]] = []
        visible.reserveCapacity(n)
        for i in earlier..<(earlier + n) {
            visible.append(tree.path(to: i).map { Int32(cache.committed + $0) })
        }

        // token embeddings
        for (t, token) in tokens.enumerated() {
            weights.tokenEmbedding.dequantizeRow(Int(token), into: residual + t * c.dim)
        }
        // rotary angles: position committed + depth, frequency base^(-2i / headDim)
        let half = c.headDim / 2
        for t in 0..<n {
            let position = Double(cache.committed + depths[t])
            for i in 0..<half {
                let angle = position * ropeFrequencies[i]
                ropeCos[t * half + i] = Float(cos(angle))
                ropeSin[t * half + i] = Float(sin(angle))
            }
        }

        // The per-token steps between the matrix products (biases, RoPE, cache
        // writes, residual adds, RMSNorm, quantisation) run as token-parallel jobs:
        // each token's arithmetic is the same whichever thread runs it.
        // (Raw pointers only inside the jobs: a Swift array or class reference
        // there would be retained per token from both cores, contending for its count.)
        let dim = c.dim, kvDim = c.kvDim, residual = self.residual, projected = self.projected
        let queries = self.queries, keys = self.keys, values = self.values
        let normedRows = normed.floats, normedQ = normed.quantized, normedQK = normed.quantizedK
        let normedBytes = normed.rowBytes, eps = c.rmsEpsilon
        /// Row t of residual, RMS-normalised by `weight` into normed, quantised in `formats`.
        @inline(__always) func normRow(_ t: Int, _ weight: UnsafePointer<Float>, _ formats: ActivationFormats) {
            sk_rmsnorm(residual + t * dim, weight, normedRows + t * dim, Int64(dim), eps)
            if formats.contains(.block) { sk_quantize_act(normedRows + t * dim, normedQ + t * normedBytes, Int64(dim)) }
            if formats.contains(.k) { sk_quantize_act_k(normedRows + t * dim, normedQK! + t * normedBytes, Int64(dim)) }
        }
        // the first layer's attention rmsnorm
        weights.layers[layerIndices[0]].attentionNorm.withUnsafeBufferPointer { w in
            let formats = layerFormats[0].attention
            perToken(n) { t in normRow(t, w.baseAddress!, formats) }
        }
        for (cacheLayer, l) in layerIndices.enumerated() {
            let layer = weights.layers[l], formats = layerFormats[cacheLayer]
            // qkv matmuls (normed holds this layer's attention rmsnorm, quantised)
            MatrixProducts.run([(layer.query, queries), (layer.key, keys), (layer.value, values)],
                               input: normed, tokens: n)
            let keySlots = cache.key(layer: cacheLayer, slot: start), valueSlots = cache.value(layer: cacheLayer, slot: start)
            withOptionalPointer(layer.queryBias) { qb in withOptionalPointer(layer.keyBias) { kb in
                withOptionalPointer(layer.valueBias) { vb in
                    perToken(n) { t in
                        if let qb { addRow(qb, to: queries + t * dim, count: dim) }
                        if let kb { addRow(kb, to: keys + t * kvDim, count: kvDim) }
                        if let vb { addRow(vb, to: values + t * kvDim, count: kvDim) }
                        // RoPE relative positional encoding
                        for h in 0..<c.headCount { rotate(queries + t * dim + h * c.headDim, token: t) }
                        for h in 0..<c.kvHeadCount { rotate(keys + t * kvDim + h * c.headDim, token: t) }
                        // key and value into the cache
                        (keySlots + t * kvDim).update(from: keys + t * kvDim, count: kvDim)
                        (valueSlots + t * kvDim).update(from: values + t * kvDim, count: kvDim)
                    }
                }
            } }
            // multi-head attention over the prefix and each token's ancestors,
            // one job per (token, KV head): its query heads read the keys and values
            // once, and its output columns are quantised in the same job when they
            // are whole 32-blocks
            let groupWidth = c.headCount / c.kvHeadCount * c.headDim
            let quantizeInJob = groupWidth % 32 == 0 && (!formats.attended.contains(.k) || groupWidth % 256 == 0)
            visible.withUnsafeBufferPointer { visible in
                ComputePool.parallelFor(n * c.kvHeadCount) { begin, end, thread in
                    for item in begin..<end {
                        let t = item / c.kvHeadCount, g = item % c.kvHeadCount
                        attend(token: t, kvHead: g, layer: cacheLayer, prefix: cache.committed, ancestors: visible[t],
                               scratch: scores + thread * scoreStride)
                        if quantizeInJob {
                            attended.quantize(token: t, columns: (g * groupWidth)..<((g + 1) * groupWidth),
                                              formats: formats.attended)
                        }
                    }
                }
            }
            if !quantizeInJob { attended.quantize(tokens: n, formats: formats.attended) }
            MatrixProducts.run([(layer.attentionOutput, projected)], input: attended, tokens: n)
            // residual connection and ffn rmsnorm
            layer.ffnNorm.withUnsafeBufferPointer { w in
                perToken(n) { t in
                    addRow(projected + t * dim, to: residual + t * dim, count: dim)
                    normRow(t, w.baseAddress!, formats.ffn)
                }
            }
            // SwiGLU: silu(W1 x) * (W3 x), then W2
            // (one job: each thread takes whole 32-row blocks of both products, and
            // applies SwiGLU and the per-block 8-bit quantisation to its own blocks; the
            // K format, whose 256-element groups would split the rows unevenly (8960 =
            // 35 × 256: 17 and 18 groups, a 3% longer half), runs after it per token)
            let gateInput = normed.quantized(for: layer.gate), upInput = normed.quantized(for: layer.up)
            let hiddenInJob = formats.hidden.subtracting(.k)
            ComputePool.parallelFor(c.ffnDim, grain: 32) { begin, end, _ in
                layer.gate.multiply(rows: begin..<end, x: normed.floats, xq: gateInput, tokens: n,
                                    into: hidden.floats, ldy: c.ffnDim)
                layer.up.multiply(rows: begin..<end, x: normed.floats, xq: upInput, tokens: n,
                                  into: upProjected, ldy: c.ffnDim)
                for t in 0..<n {
                    let h = hidden.row(t) + begin
                    sk_swiglu(h, upProjected + t * c.ffnDim + begin, h, Int64(end - begin))
                    hidden.quantize(token: t, columns: begin..<end, formats: hiddenInJob)
                }
            }
            if formats.hidden.contains(.k) {
                let ffnDim = c.ffnDim
                perToken(n) { t in hidden.quantize(token: t, columns: 0..<ffnDim, formats: .k) }
            }
            MatrixProducts.run([(layer.down, projected)], input: hidden, tokens: n)
            // residual connection, and the next layer's attention rmsnorm
            let next = cacheLayer + 1 < layerIndices.count ? weights.layers[layerIndices[cacheLayer + 1]] : nil
            let nextFormats = cacheLayer + 1 < layerIndices.count ? layerFormats[cacheLayer + 1].attention : []
            withOptionalPointer(next?.attentionNorm) { w in
                perToken(n) { t in
                    addRow(projected + t * dim, to: residual + t * dim, count: dim)
                    if let w { normRow(t, w, nextFormats) }
                }
            }
        }

        // final rmsnorm and the output head, for the rows asked for
        let first = rows == .all ? 0 : n - 1
        let count = n - first
        for t in 0..<count {
            rmsNorm(residual + (first + t) * c.dim, weight: weights.outputNorm, into: normed.row(t), count: c.dim)
        }
        normed.quantize(tokens: count, formats: headFormats)
        if let outputRows {
            outputRows.write(input: normed, tokens: count, into: logitBuffer, vocabularySize: c.vocabularySize)
        } else {
            MatrixProducts.run([(weights.output, logitBuffer)], input: normed, tokens: count)
        }
        return LogitsView(base: UnsafePointer(logitBuffer), rows: count, columns: c.vocabularySize)
    }

    // MARK: - Steps of the forward pass

    /// `out = x / rms(x) * weight` (`sk_rmsnorm`: a fixed sixteen-lane order). Cost: O(count).
    @inline(__always)
    private func rmsNorm(_ x: UnsafePointer<Float>, weight: [Float], into out: UnsafeMutablePointer<Float>, count: Int) {
        sk_rmsnorm(x, weight, out, Int64(count), config.rmsEpsilon)
    }

    /// Runs `body(t)` for every token `t < n`: on the pool from
    /// `Self.parallelTokens` tokens, else inline (the same results either way).
    @inline(__always)
    private func perToken(_ n: Int, _ body: (Int) -> Void) {
        if n >= Self.parallelTokens {
            ComputePool.parallelFor(n) { begin, end, _ in
                for t in begin..<end { body(t) }
            }
        } else {
            for t in 0..<n { body(t) }
        }
    }

    /// Batches from this many tokens run their per-token steps on the pool.
    private static let parallelTokens = 4

    /// `x[i] += y[i]` for `i < count`. Cost: O(count).
    @inline(__always)
    private func addRow(_ y: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// `body` with the elements of `array`, or nil when there is none.
    @inline(__always)
    private func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }


    /// Rotates one head vector by batch token `t`'s angles, in the
    /// architecture's pair ordering. Cost: O(headDim).
    @inline(__always)
    private func rotate(_ v: UnsafeMutablePointer<Float>, token t: Int) {
        let half = config.headDim / 2
        let cosines = ropeCos + t * half, sines = ropeSin + t * half
        for i in 0..<half {
            let (a, b) = config.ropeNeoX ? (i, i + half) : (2 * i, 2 * i + 1)
            let x0 = v[a], x1 = v[b]
            v[a] = x0 * cosines[i] - x1 * sines[i]
            v[b] = x0 * sines[i] + x1 * cosines[i]
        }
    }

    /// Softmax attention of batch token `t`'s query heads on KV head `g` over
    /// the prefix slots and `ancestors` (cache slots, root first, ending with its
    /// own), written to `attended` (`sk_attend`: a fixed order of operations per
    /// query, whatever the batch). Cost: O(heads per group · (prefix + depth) · headDim).
    private func attend(token t: Int, kvHead g: Int, layer: Int, prefix: Int, ancestors: [Int32],
                        scratch: UnsafeMutablePointer<Float>) {
        let c = config
        let hd = c.headDim, group = c.headCount / c.kvHeadCount
        let q = queries + t * c.dim + g * group * hd
        let out = attended.row(t) + g * group * hd
        ancestors.withUnsafeBufferPointer { ancestors in
            sk_attend(q, Int64(group), cache.key(layer: layer, slot: 0) + g * hd, cache.value(layer: layer, slot: 0) + g * hd,
                      Int64(c.kvDim), Int64(prefix), ancestors.baseAddress, Int64(ancestors.count), Int64(hd),
                      1 / Float(hd).squareRoot(), scratch, out)
        }
    }
}
