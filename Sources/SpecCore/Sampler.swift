import CKernels
import Foundation

/// Turns logits into processed probabilities and draws tokens from them.
///
/// All work is done into caller-owned buffers so that the decode loop
/// allocates nothing per token.
public enum Sampler {
    /// The index of the largest logit; the lowest index wins a tie.
    /// Cost: O(vocabulary): a vectorised maximum, then a scan to its first
    /// occurrence.
    public static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int {
        guard let base = logits.baseAddress else { return 0 }
        let best = sk_max_f32(base, Int64(logits.count))
        return logits.firstIndex { $0 == best } ?? 0
    }

    /// Σ exp(l − max l) over `logits` at temperature 1, the exponentials written
    /// into `scratch` (same count): the softmax's normaliser, so 1 / it is the
    /// top probability. Cost: O(V), vectorised (CKernels).
    public static func exponentialSum(_ logits: UnsafeBufferPointer<Float>, into scratch: UnsafeMutableBufferPointer<Float>) -> Double {
        precondition(logits.count == scratch.count && !logits.isEmpty)
        let n = Int64(logits.count)
        let top = sk_max_f32(logits.baseAddress!, n)
        return sk_exp_sum_f32(logits.baseAddress!, scratch.baseAddress!, n, top, 1)
    }

    /// Writes the processed distribution of `logits` into `probabilities`
    /// (same count): softmax at the temperature, then top-k and top-p
    /// truncation, renormalised. At temperature 0, or with top-k 1, it is
    /// one-hot on the argmax. Cost: O(V) without truncation (about 0.15 ms for
    /// 151936 entries, in CKernels' `sk_exp_sum_f32`); O(V log V) with top-p or a top-k over 64.
    public static func probabilities(
        from logits: UnsafeBufferPointer<Float>,
        parameters: SamplingParameters,
        into probabilities: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(logits.count == probabilities.count)
        let n = logits.count
        if parameters.isGreedy || parameters.topK == 1 {
            // Top-1 keeps the argmax alone, whatever the temperature.
            probabilities.update(repeating: 0)
            probabilities[argmax(logits)] = 1
            return
        }
        let inverseT = Float(1 / parameters.temperature)
        let maxLogit = sk_max_f32(logits.baseAddress!, Int64(n))
        let sum = sk_exp_sum_f32(logits.baseAddress!, probabilities.baseAddress!, Int64(n), maxLogit, inverseT)
        sk_scale_f32(probabilities.baseAddress!, Int64(n), Float(1 / sum))
        let keepsAll = (parameters.topK == 0 || parameters.topK >= n) && parameters.topP >= 1
        if keepsAll { return }

        // Rank the candidates by probability (ties: lower id first) and keep a prefix.
        // A small top-k is selected in one pass; otherwise everything is sorted.
        let limit = parameters.topK == 0 ? n : min(parameters.topK, n)
        var order = limit <= 64 ? TopEntries.topIndices(UnsafeBufferPointer(probabilities), count: limit) : Array(0..<n)
        if limit > 64 {
            order.sort { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        }
        var keep = limit
        if parameters.topP < 1 {
            var mass: Double = 0
            for (rank, i) in order.prefix(keep).enumerated() {
                mass += Double(probabilities[i])
                if mass >= parameters.topP { keep = rank + 1; break }
            }
        }
        var kept: Double = 0
        for i in order.prefix(keep) { kept += Double(probabilities[i]) }
        let renormalise = Float(1 / kept)
        var values = [Float](repeating: 0, count: keep)
        for (r, i) in order.prefix(keep).enumerated() { values[r] = probabilities[i] * renormalise }
        probabilities.update(repeating: 0)
        for (r, i) in order.prefix(keep).enumerated() { probabilities[i] = values[r] }
    }

    /// The token whose cumulative probability first exceeds `u` (inverse CDF);
    /// the last token with non-zero probability if rounding leaves `u` above the total.
    /// Cost: O(vocabulary).
    public static func draw(from probabilities: UnsafeBufferPointer<Float>, uniform u: Double) -> Int {
        var cumulative: Double = 0
        var last = 0
        for i in probabilities.indices where probabilities[i] > 0 {
            cumulative += Double(probabilities[i])
            last = i
            if u < cumulative { return i }
        }
        return last
    }
}
