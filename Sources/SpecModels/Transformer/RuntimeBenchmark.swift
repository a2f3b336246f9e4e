import CKernels
import SpecCore

/// The measurements behind `spectree bench runtime`: plain decode speed, the
/// cost of evaluating N tree tokens in one call, and how close decoding comes
/// to the memory-bandwidth limit (weights read per token against a streaming
/// read measured in the same run). Wall-clock timings: run on a quiet machine.
public enum RuntimeBenchmark {
    /// Bytes of weights one decode step of `model` reads: every matrix of its
    /// layers and the output head (as stored, or packed: the same size), plus one
    /// embedding row. Norm vectors and biases (a few KB) and the KV cache are not counted.
    public static func weightBytesPerToken(_ model: Transformer) -> Int {
        let w = model.weights
        var bytes = w.output.rows * w.output.rowBytes + w.tokenEmbedding.rowBytes
        for l in model.layerIndices {
            let layer = w.layers[l]
            for m in [layer.query, layer.key, layer.value, layer.attentionOutput, layer.gate, layer.up, layer.down] {
                bytes += m.rows * m.rowBytes
            }
        }
        return bytes
    }

    /// Memory read bandwidth in bytes per second: the best of `passes` streaming
    /// reads of a `byteCount` buffer (default 256 MiB, far larger than the caches),
    /// split across the compute pool's threads as the kernels split a matrix.
    /// Cost: about (passes + 1) · byteCount of memory traffic, a fraction of a second.
    public static func memoryBandwidth(byteCount: Int = 256 << 20, passes: Int = 5) -> Double {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1, count: byteCount)   // fault every page in
        let chunk = 1 << 20, chunks = byteCount / chunk
        let sink = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)
        defer { sink.deallocate() }
        sink.initialize(repeating: 0, count: 64)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000_000)
        for _ in 0..<passes {
            let start = clock.now
            ComputePool.parallelFor(chunks) { begin, end, thread in
                sink[thread] &+= sk_stream_read(buffer + begin * chunk, Int64((end - begin) * chunk))
            }
            best = min(best, clock.now - start)
        }
        return Double(chunks * chunk) / best.seconds
    }

    /// Plain greedy decoding of `model` after `prompt`: the best tokens/s of `runs`
    /// runs of `tokens` tokens (the first token after the prompt is not timed).
    public static func decodeRate(_ model: Transformer, prompt: [TokenID], tokens: Int, runs: Int = 3) throws -> Double {
        precondition(tokens >= 2 && runs >= 1)
        var best = 0.0
        let clock = ContinuousClock()
        for _ in 0..<runs {
            model.reset()
            var decoder = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 0)
            _ = try decoder.next()
            let start = clock.now
            for _ in 1..<tokens { _ = try decoder.next() }
            best = max(best, Double(tokens - 1) / (clock.now - start).seconds)
        }
        return best
    }

    /// The median and the fastest seconds of one `evaluate` call of `n` tree tokens (a binary tree:
    /// the parent of i is (i - 1) / 2) with all logits, on a 64-token prefix, over
    /// repeated calls for about `seconds` (at least 5 calls).
    public static func treeCallTimes(_ model: Transformer, n: Int, seconds: Double) throws -> (median: Double, best: Double) {
        model.reset()
        _ = try model.prefill((0..<64).map { TokenID(1000 + $0) })
        let batch = TokenBatch(tokens: (0..<n).map { TokenID(2000 + $0) },
                               parents: (0..<n).map { $0 == 0 ? -1 : ($0 - 1) / 2 })
        let clock = ContinuousClock()
        var times: [Double] = []
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        _ = try model.evaluate(batch, logits: .all)   // warm-up
        while times.count < 5 || clock.now < deadline {
            let start = clock.now
            _ = try model.evaluate(batch, logits: .all)
            times.append((clock.now - start).seconds)
        }
        let sorted = times.sorted()
        return (sorted[sorted.count / 2], sorted[0])
    }
}
