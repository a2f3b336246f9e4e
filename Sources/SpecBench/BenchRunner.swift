import Foundation
import SpecCore
import SpecModels

/// Runs plain and speculative decoding of one target over a prompt set and
/// times it: the measuring loop every bench command shares.
///
/// Timing convention (as `spectree bench speculative`): the prompt's prefill
/// and the first token (which the prefill predicts) are not timed; a
/// speculative run counts its emitted tokens after the first against the wall
/// time of all its steps. Generation does not stop at end-of-text, so every
/// configuration decodes the same number of tokens.
public final class BenchRunner {
    /// A prompt ready to run.
    public struct EncodedPrompt: Sendable {
        public var name: String
        public var kind: String
        public var tokens: [TokenID]
    }

    public let target: Transformer
    public let prompts: [EncodedPrompt]
    /// Tokens to generate per prompt (≥ 2).
    public let tokens: Int
    /// Polled between prompt runs; when true the current configuration is abandoned.
    public var shouldStop: () -> Bool = { false }
    /// Called after each prompt run with a short description of it.
    public var onPromptRun: (String) -> Void = { _ in }

    /// Encodes `prompts` in the model's ChatML template with `system`.
    /// - Throws: `BenchError` when `tokens` < 2 or a prompt plus its tokens would not fit the context.
    public init(target: Transformer, tokenizer: Tokenizer, prompts: PromptSet, system: String?, tokens: Int) throws(BenchError) {
        guard tokens >= 2 else { throw BenchError("--tokens must be at least 2, got \(tokens)") }
        self.target = target
        self.tokens = tokens
        self.prompts = prompts.prompts.map { p in
            EncodedPrompt(name: p.name, kind: p.kind, tokens: tokenizer.encode(p.chatML(system: system), addSpecial: true, parseSpecial: true))
        }
        // Room for the prompt, the tokens and the widest tree a step may verify.
        for p in self.prompts where p.tokens.count + tokens + target.maxBatch > target.contextLength {
            throw BenchError("prompt '\(p.name)' (\(p.tokens.count) tokens) plus \(tokens) tokens does not fit the context of \(target.contextLength) tokens: use fewer --tokens or a larger --context")
        }
    }

    /// Plain autoregressive decoding of every prompt; nil when stopped.
    public func plain(sampling: SamplingParameters, seed: UInt64) throws -> [PromptRun]? {
        var runs: [PromptRun] = []
        for prompt in prompts {
            if shouldStop() { return nil }
            target.reset()
            var decoder = try AutoregressiveDecoder(model: target, prompt: prompt.tokens, sampling: sampling, seed: seed)
            _ = try decoder.next()  // the prompt's own prediction: not a decode step
            let start = ContinuousClock.now
            for _ in 1..<tokens { _ = try decoder.next() }
            runs.append(PromptRun(prompt: prompt.name, tokens: tokens - 1, seconds: (ContinuousClock.now - start).benchSeconds))
            onPromptRun("plain \(prompt.name)")
        }
        return runs
    }

    /// Speculative decoding of every prompt with `draft` and `shape`; nil when stopped.
    /// - Parameter onEvent: every decoder event of every prompt, in order (called inside the timed loop: keep it cheap).
    public func speculative(draft: DraftSource, shape: DraftShape, sampling: SamplingParameters, seed: UInt64,
                            label: String, onEvent: ((DecodingEvent) -> Void)? = nil) throws -> [PromptRun]? {
        guard shape.maxNodeCount + 1 <= target.maxBatch else {
            throw BenchError("\(shape.tableLabel) has \(shape.maxNodeCount) tree tokens; one target call verifies at most \(target.maxBatch - 1)")
        }
        var runs: [PromptRun] = []
        for prompt in prompts {
            if shouldStop() { return nil }
            target.reset()
            if case let .model(model) = draft { model.reset() }
            let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: shape, sampling: sampling,
                                                 prompt: prompt.tokens, seed: seed)
            var emitted = 0
            let start = ContinuousClock.now
            if let onEvent {
                while emitted < tokens { emitted += try decoder.step(onEvent: onEvent).count }
            } else {
                while emitted < tokens { emitted += try decoder.step().count }
            }
            runs.append(PromptRun(prompt: prompt.name, tokens: emitted - 1, seconds: (ContinuousClock.now - start).benchSeconds,
                                  statistics: decoder.statistics))
            onPromptRun("\(label) \(prompt.name)")
        }
        return runs
    }
}

extension Duration {
    /// The duration in seconds.
    var benchSeconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
