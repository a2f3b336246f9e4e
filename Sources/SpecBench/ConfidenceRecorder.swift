import Foundation
import SpecCore

/// A draft model wrapped to record the draft's confidence (the probability of
/// its most likely next token) at every row of logits it returns: what p-min
/// reads. `tune` runs its calibration chain through it, without p-min, to
/// replay that chain at every p-min (`PMinChainModel`).
///
/// The confidence is the one the decoder computes: at temperature 0 the
/// untruncated softmax's top probability (1 / Σ exp(l − max l)); at
/// temperature T > 0 (no top-k or top-p) that of softmax(l / T), q's largest entry.
/// Cost: O(V) per row (about 0.1 ms for 151936 entries at temperature 0,
/// more otherwise), timed in `recordingSeconds` so that the caller can take
/// it out of the step's draft time; `confidenceSeconds` is what the decoder
/// itself pays for a confidence: the same softmax pass at temperature 0, a
/// scan for q's largest entry otherwise (q is already computed there).
public final class ConfidenceRecorder: LanguageModel {
    public let model: any LanguageModel
    /// The temperature the confidence is taken at (0 reads as 1, as the decoder does for p-min).
    public let temperature: Double
    /// Confidences of the rows returned since `clear()`, in order.
    public private(set) var confidences: [Double] = []
    /// Seconds this recorder spent since `clear()` (to take out of the step's time).
    public private(set) var recordingSeconds = 0.0
    /// Seconds the decoder would spend on the same confidences since `clear()` (what p-min costs).
    public private(set) var confidenceSeconds = 0.0
    /// Rows computed since `clear()`.
    public private(set) var rows = 0
    private var scaled: [Float] = []  // (V): logits ÷ T
    private var scratch: [Float] = []  // (V): exponentials
    private var sink: Float = 0

    public init(_ model: any LanguageModel, temperature: Double) {
        self.model = model
        self.temperature = temperature
    }

    public var vocabularySize: Int { model.vocabularySize }
    public var contextLength: Int { model.contextLength }
    public var committedCount: Int { model.committedCount }
    public var maxBatch: Int { model.maxBatch }

    /// Forgets what was recorded (call at each step's start).
    public func clear() {
        confidences.removeAll(keepingCapacity: true)
        recordingSeconds = 0
        confidenceSeconds = 0
        rows = 0
    }

    public func evaluate(_ batch: TokenBatch, logits: LogitRows) throws -> LogitsView {
        record(try model.evaluate(batch, logits: logits))
    }

    public func extend(tokens: [TokenID], parents: [Int], logits: LogitRows) throws -> LogitsView {
        record(try model.extend(tokens: tokens, parents: parents, logits: logits))
    }

    public func commit(path: [Int]) throws { try model.commit(path: path) }

    public func reset() { model.reset() }

    private func record(_ logits: LogitsView) -> LogitsView {
        let start = ContinuousClock.now
        var scan = 0.0
        for r in 0..<logits.rows {
            confidences.append(Self.topProbability(logits[row: r], temperature: temperature, scaled: &scaled, scratch: &scratch))
            if temperature > 0 && temperature != 1 {
                // The decoder's cost at this temperature: one scan of a V-entry row for its largest entry.
                let scanStart = ContinuousClock.now
                let top = scratch.withUnsafeBufferPointer { $0[0..<logits.columns].max() ?? 0 }
                scan += (ContinuousClock.now - scanStart).seconds
                sink = max(sink, top)  // keeps the scan from being optimised away
            }
        }
        rows += logits.rows
        let total = (ContinuousClock.now - start).seconds
        recordingSeconds += total
        confidenceSeconds += temperature > 0 && temperature != 1 ? scan : total
        return logits
    }

    /// The top probability of softmax(`logits` / T) (T = 1 when `temperature` ≤ 0). O(V).
    public static func topProbability(_ logits: UnsafeBufferPointer<Float>, temperature: Double,
                                      scaled: inout [Float], scratch: inout [Float]) -> Double {
        if scratch.count < logits.count { scratch = [Float](repeating: 0, count: logits.count) }
        let t = temperature > 0 ? Float(temperature) : 1
        return scratch.withUnsafeMutableBufferPointer { y in
            let out = UnsafeMutableBufferPointer(rebasing: y[0..<logits.count])
            if t == 1 { return 1 / Sampler.exponentialSum(logits, into: out) }
            if scaled.count < logits.count { scaled = [Float](repeating: 0, count: logits.count) }
            for i in 0..<logits.count { scaled[i] = logits[i] / t }
            return scaled.withUnsafeBufferPointer { 1 / Sampler.exponentialSum(UnsafeBufferPointer(rebasing: $0[0..<logits.count]), into: out) }
        }
    }
}
