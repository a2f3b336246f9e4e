/// One accept/reject test of a drafted token, as the verifier made it: what
/// the UI shows step by step and a trace records.
public struct VerificationDecision: Sendable, Equatable, Codable {
    /// The node tested.
    public var node: Int
    /// Its token.
    public var token: TokenID
    /// Which sibling attempt at its parent this is (0 for the first child tried).
    public var round: Int
    /// p(x) as used: the target's probability, or the residual's after earlier
    /// siblings were rejected.
    public var targetProbability: Double
    /// q(x) as used: the draft's probability, renormalised without the earlier
    /// siblings under recursive rejection sampling.
    public var draftProbability: Double
    /// min(1, p(x)/q(x)); 1 or 0 under the greedy rule; 0 when q(x) = 0.
    public var acceptanceProbability: Double
    /// The uniform draw u (accepted iff u < acceptanceProbability); nil when
    /// none was drawn (greedy, or a token with q(x) = 0, which is skipped).
    public var uniform: Double?
    public var accepted: Bool
    /// After a rejection, the mass of max(0, p − q) before renormalising (the
    /// chance that this round rejects); nil after an acceptance or a skip.
    public var residualMass: Double?

    public init(node: Int, token: TokenID, round: Int, targetProbability: Double, draftProbability: Double,
                acceptanceProbability: Double, uniform: Double?, accepted: Bool, residualMass: Double?) {
        self.node = node
        self.token = token
        self.round = round
        self.targetProbability = targetProbability
        self.draftProbability = draftProbability
        self.acceptanceProbability = acceptanceProbability
        self.uniform = uniform
        self.accepted = accepted
        self.residualMass = residualMass
    }
}
