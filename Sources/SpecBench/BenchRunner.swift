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
/// configuration decodes the same number of tokens. `paired` interleaves
/// plain and speculative runs prompt by prompt, for speedups that hold on a
/// machine whose load changes.
public final class BenchRunner {
    /// A prompt ready to run.
    public struct EncodedPrompt: Sendable {
        public var name: String
        public var kind: String
        public var tokens: [TokenID]

        public init(name: String, kind: String, tokens: [TokenID]) {
            self.name = name
            self.kind = kind
            self.tokens = tokens
        }
    }

    public let target: Transformer
    public let prompts: [EncodedPrompt]
    /// Tokens to generate per prompt (≥ 2).
    public let tokens: Int
    /// Polled between prompt runs; when true the current configuration is abandoned.
    public var shouldStop: () -> Bool = { false }
    /// p-min of the speculative runs (`SpeculativeDecoder.pMin`; 0 = off).
    public var pMin = 0.0
    /// Lookup-assisted chain drafting of the speculative runs (`SpeculativeDecoder.draftLookup`; nil = off).
    public var draftLookup: NGramDrafter?
    /// Called after each prompt run with a short description of it.
    public var onPromptRun: (String) -> Void = { _ in }

    /// Encodes `prompts` in the model's ChatML template with `system`.
    /// - Throws: `BenchError` when `tokens` < 2 or a prompt plus its tokens would not fit the context.
    public init(target: Transformer, tokenizer: Tokenizer, prompts: PromptSet, system: String?, tokens: Int) throws(BenchError) {
        guard tokens >= 2 else { throw BenchError("a run needs at least 2 tokens to time a decode step, got \(tokens)") }
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

    /// Prompts already encoded (a live session's own prompt, in its own format).
    /// - Throws: `BenchError` when `tokens` < 2, a prompt is empty, or a prompt plus its tokens would not fit the context.
    public init(target: Transformer, encodedPrompts: [EncodedPrompt], tokens: Int) throws(BenchError) {
        guard tokens >= 2 else { throw BenchError("a run needs at least 2 tokens to time a decode step, got \(tokens)") }
        self.target = target
        self.tokens = tokens
        prompts = encodedPrompts
        for p in prompts where p.tokens.isEmpty { throw BenchError("prompt '\(p.name)' has no tokens") }
        for p in prompts where p.tokens.count + tokens + target.maxBatch > target.contextLength {
            throw BenchError("prompt '\(p.name)' (\(p.tokens.count) tokens) plus \(tokens) tokens does not fit the context of \(target.contextLength) tokens")
        }
    }

    /// Plain autoregressive decoding of every prompt; nil when stopped.
    public func plain(sampling: SamplingParameters, seed: UInt64) throws -> [PromptRun]? {
        var runs: [PromptRun] = []
        for prompt in prompts {
            guard let run = try plain(prompt, sampling: sampling, seed: seed) else { return nil }
            runs.append(run)
        }
        return runs
    }

    /// Plain autoregressive decoding of one prompt; nil when stopped.
    public func plain(_ prompt: EncodedPrompt, sampling: SamplingParameters, seed: UInt64) throws -> PromptRun? {
        if shouldStop() { return nil }
        return try plainRun(prompt, sampling: sampling, seed: seed)
    }

    /// Speculative decoding of one prompt with `draft` and `shape`; nil when stopped.
    public func speculative(_ prompt: EncodedPrompt, draft: DraftSource, shape: DraftShape, sampling: SamplingParameters,
                            seed: UInt64, label: String) throws -> PromptRun? {
        try check(shape)
        if shouldStop() { return nil }
        return try speculativeRun(prompt, draft: draft, shape: shape, sampling: sampling, seed: seed, label: label, onEvent: nil)
    }

    /// Speculative decoding of every prompt with `draft` and `shape`; nil when stopped.
    /// - Parameter onEvent: every decoder event of every prompt, in order (called inside the timed loop: keep it cheap).
    public func speculative(draft: DraftSource, shape: DraftShape, sampling: SamplingParameters, seed: UInt64,
                            label: String, onEvent: ((DecodingEvent) -> Void)? = nil) throws -> [PromptRun]? {
        try check(shape)
        var runs: [PromptRun] = []
        for prompt in prompts {
            if shouldStop() { return nil }
            runs.append(try speculativeRun(prompt, draft: draft, shape: shape, sampling: sampling, seed: seed, label: label, onEvent: onEvent))
        }
        return runs
    }

    /// Plain and speculative decoding, paired: each prompt is decoded plainly
    /// and then speculatively, one right after the other, so that a change in
    /// the machine's load (other processes) hits both alike and every
    /// speedup compares runs made seconds apart. Nil when stopped.
    /// - Parameters:
    ///   - verifier: judges the speculative runs' trees.
    ///   - compares: also judge every tree with the other verifiers (`PromptRun.comparison`).
    public func paired(draft: DraftSource, shape: DraftShape, sampling: SamplingParameters, seed: UInt64,
                       label: String, verifier: Verifier = .token,
                       compares: Bool = false) throws -> (plain: [PromptRun], speculative: [PromptRun])? {
        try check(shape)
        var plain: [PromptRun] = [], speculative: [PromptRun] = []
        for prompt in prompts {
            if shouldStop() { return nil }
            plain.append(try plainRun(prompt, sampling: sampling, seed: seed))
            if shouldStop() { return nil }
            speculative.append(try speculativeRun(prompt, draft: draft, shape: shape, sampling: sampling, seed: seed, label: label,
                                                  verifier: verifier, compares: compares, onEvent: nil))
        }
        return (plain, speculative)
    }

    private func check(_ shape: DraftShape) throws(BenchError) {
        guard shape.maxNodeCount + 1 <= target.maxBatch else {
            throw BenchError("\(shape.label) has \(shape.maxNodeCount) tree tokens; one target call verifies at most \(target.maxBatch - 1)")
        }
    }

    private func plainRun(_ prompt: EncodedPrompt, sampling: SamplingParameters, seed: UInt64) throws -> PromptRun {
        target.reset()
        var decoder = try AutoregressiveDecoder(model: target, prompt: prompt.tokens, sampling: sampling, seed: seed)
        _ = try decoder.next()  // the prompt's own prediction: not a decode step
        let start = ContinuousClock.now
        for _ in 1..<tokens { _ = try decoder.next() }
        let run = PromptRun(prompt: prompt.name, kind: prompt.kind, tokens: tokens - 1, seconds: (ContinuousClock.now - start).seconds)
        onPromptRun("plain \(prompt.name)")
        return run
    }

    private func speculativeRun(_ prompt: EncodedPrompt, draft: DraftSource, shape: DraftShape, sampling: SamplingParameters,
                                seed: UInt64, label: String, verifier: Verifier = .token, compares: Bool = false,
                                onEvent: ((DecodingEvent) -> Void)?) throws -> PromptRun {
        target.reset()
        if case let .model(model) = draft { model.reset() }
        let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: shape, sampling: sampling,
                                             verifier: verifier, prompt: prompt.tokens, seed: seed, pMin: pMin,
                                             draftLookup: draftLookup)
        decoder.comparesVerifiers = compares
        var emitted = 0
        var comparison: VerifierComparisonTotals?
        let start = ContinuousClock.now
        if compares {
            var totals = VerifierComparisonTotals()
            while emitted < tokens {
                emitted += try decoder.step { event in
                    onEvent?(event)
                    if case let .stepFinished(summary) = event, let c = summary.comparison { totals.record(c) }
                }.count
            }
            comparison = totals
        } else if let onEvent {
            while emitted < tokens { emitted += try decoder.step(onEvent: onEvent).count }
        } else {
            while emitted < tokens { emitted += try decoder.step().count }
        }
        let run = PromptRun(prompt: prompt.name, kind: prompt.kind, tokens: emitted - 1, seconds: (ContinuousClock.now - start).seconds,
                            statistics: decoder.statistics, comparison: comparison)
        onPromptRun("\(label) \(prompt.name)")
        return run
    }
}
