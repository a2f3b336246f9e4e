import SpecCore
import SpecModels

/// Plain autoregressive decoding of the target on a prompt, timed: the
/// denominator of a session's measured speedup, measured again for each
/// prompt (both decodings then run on the same text).
///
/// - Complexity: one prefill of the prompt plus `tokens - 1` one-token model
///   calls; the target's cache is reset before (a fresh context, whatever the
///   previous prompt left in it) and after.
public struct BaselineMeasurement: Sendable {
    /// Plain tokens decoded (0 or 1: no measurement).
    public var tokens: Int

    public init(tokens: Int) { self.tokens = max(0, tokens) }

    /// Tokens per second of plain decoding (model calls after the first
    /// token over their time), or nil when `tokens` (or the room left in the
    /// context after the prompt) is below 2.
    /// - Throws: a model error.
    public func measure(_ target: Transformer, prompt: [TokenID], sampling: SamplingParameters, seed: UInt64) throws -> Double? {
        target.reset()
        defer { target.reset() }
        let count = min(tokens, target.contextLength - prompt.count - 1)
        guard count >= 2 else { return nil }
        var plain = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: sampling, seed: seed)
        _ = try plain.next()  // sampled from the prefill: no model call
        let clock = ContinuousClock()
        let begin = clock.now
        for _ in 1..<count { _ = try plain.next() }
        let seconds = (clock.now - begin).seconds
        return seconds > 0 ? Double(count - 1) / seconds : 0
    }
}
