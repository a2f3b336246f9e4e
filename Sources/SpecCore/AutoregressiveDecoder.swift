/// Plain autoregressive decoding: one target call per token. The baseline
/// every speculative method is measured against, and `spectree generate`'s
/// default.
///
/// A synchronous value: each `next()` evaluates one token and returns the next
/// one, so callers (the CLI, benchmarks, tests) decide how to stream.
/// Given stop tokens, the generation ends at the first one returned.
public struct AutoregressiveDecoder {
    public let model: any LanguageModel
    public let sampling: SamplingParameters
    /// Tokens that end the generation (empty: it never ends by itself).
    public let stopTokens: Set<TokenID>
    /// True once `next()` returned a stop token.
    public private(set) var isFinished = false
    private var random: RandomSource
    private var probabilities: [Float]
    /// The last token returned, which the model has not evaluated yet.
    private var unevaluated: TokenID?
    /// The token sampled from the latest logits, returned by the next `next()`.
    private var sampled: TokenID = 0

    /// Prefills `prompt` into `model` (which must be empty or hold a prefix to continue).
    public init(model: any LanguageModel, prompt: [TokenID], sampling: SamplingParameters, seed: UInt64,
                stopTokens: Set<TokenID> = []) throws {
        try sampling.validate()
        self.model = model
        self.sampling = sampling
        self.stopTokens = stopTokens
        random = RandomSource(seed: seed)
        probabilities = [Float](repeating: 0, count: model.vocabularySize)
        let logits = try model.prefill(prompt)
        sampled = sample(logits[row: 0])
    }

    /// Returns the next token. Cost: one model call of one token (the
    /// previous token's evaluation), none for the first token after the prompt.
    /// Once finished it returns the stop token again, with no model call.
    public mutating func next() throws -> TokenID {
        if isFinished { return sampled }
        if let token = unevaluated {
            let logits = try model.evaluate(TokenBatch(chain: [token]), logits: .last)
            try model.commit(path: [0])
            sampled = sample(logits[row: 0])
        }
        unevaluated = sampled
        if stopTokens.contains(sampled) { isFinished = true }
        return sampled
    }

    private mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> TokenID {
        if sampling.isGreedy { return TokenID(Sampler.argmax(logits)) }
        probabilities.withUnsafeMutableBufferPointer { p in
            Sampler.probabilities(from: logits, parameters: sampling, into: p)
        }
        let u = random.uniform()
        return probabilities.withUnsafeBufferPointer { TokenID(Sampler.draw(from: $0, uniform: u)) }
    }
}
