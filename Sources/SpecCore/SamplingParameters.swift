/// How logits become a distribution to sample from: temperature, then top-k,
/// then top-p. The same processing is applied to the target's `p` and the
/// draft's `q`; losslessness is with respect to the processed `p`.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// 0 means greedy (argmax); otherwise logits are divided by it.
    public var temperature: Double
    /// Keep only the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose mass reaches `topP`; 1 keeps all.
    public var topP: Double

    public init(temperature: Double = 0.8, topK: Int = 0, topP: Double = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Greedy decoding: always the most likely token.
    public static let greedy = SamplingParameters(temperature: 0)

    public var isGreedy: Bool { temperature == 0 }

    /// Checks the values, with a message for the user when one is impossible.
    public func validate() throws(SettingsError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw SettingsError("temperature must be a finite number ≥ 0, got \(temperature)")
        }
        guard topK >= 0 else { throw SettingsError("top-k must be ≥ 0 (0 keeps every token), got \(topK)") }
        guard topP > 0, topP <= 1 else { throw SettingsError("top-p must be in (0, 1], got \(topP)") }
    }
}
