/// One child drawn at a node: its token, q(token) and, for draws that use
/// Gumbel noise, its perturbed score.
public struct SampledChild: Sendable, Equatable {
    public var token: TokenID
    /// q(token | node's context), as given.
    public var probability: Double
    /// `offset + log q(token) + Gumbel` for Gumbel-Top-k; nil for i.i.d. draws.
    public var score: Double?

    public init(token: TokenID, probability: Double, score: Double?) {
        self.token = token
        self.probability = probability
        self.score = score
    }
}
