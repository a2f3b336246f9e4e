import SpecCore

/// One prompt decoded with one configuration: decode tokens, wall seconds,
/// and (speculative runs) the decoder's statistics.
public struct PromptRun: Sendable, Equatable {
    public var prompt: String
    /// The prompt's task kind (`chat`, `maths`, …; empty when unknown).
    public var kind: String
    /// Decode tokens timed: the tokens after the first (which the prompt's prefill predicts).
    public var tokens: Int
    public var seconds: Double
    /// Empty for plain decoding.
    public var statistics: DecodingStatistics

    public init(prompt: String, kind: String = "", tokens: Int, seconds: Double, statistics: DecodingStatistics = DecodingStatistics()) {
        self.prompt = prompt
        self.kind = kind
        self.tokens = tokens
        self.seconds = seconds
        self.statistics = statistics
    }

    public var tokensPerSecond: Double { seconds <= 0 ? 0 : Double(tokens) / seconds }
}

extension Array where Element == PromptRun {
    /// All prompts together: tokens ÷ seconds.
    public var pooledTokensPerSecond: Double {
        let s = map(\.seconds).reduce(0, +)
        return s <= 0 ? 0 : Double(map(\.tokens).reduce(0, +)) / s
    }

    /// The statistics of every run added up.
    public var pooledStatistics: DecodingStatistics {
        reduce(into: DecodingStatistics()) { $0.add($1.statistics) }
    }
}
