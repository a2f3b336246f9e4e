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
    /// The probability the test accepts with: min(1, p(x)/q(x)) token by
    /// token; 1 or 0 under the greedy rule; 0 when q(x) = 0. Block
    /// verification: h_i (p_γ at the last position); traversal verification:
    /// the node's sequence-level acceptance after its subtree was rejected.
    public var acceptanceProbability: Double
    /// The uniform draw u (accepted iff u < acceptanceProbability); nil when
    /// none was drawn (greedy, a token with q(x) = 0, which is skipped, or, for
    /// block and traversal verification, an acceptance probability of 0 or 1).
    public var uniform: Double?
    public var accepted: Bool
    /// Token by token: after a rejection, the mass of max(0, p − q) before
    /// renormalising (the chance that this round rejects); nil after an
    /// acceptance or a skip. Block and traversal verification: the residual
    /// weight Σ max(0, w·p − q) at the node's children (what the residual keeps
    /// if the test accepts here); nil at a leaf.
    public var residualMass: Double?
    /// Block verification: the running probability ratio
    /// p_i = min(1, p_(i−1)·p(x_i)/q(x_i)); traversal verification: the
    /// sequence-level acceptance of the path to this node when it was reached.
    /// Nil for token-by-token verification.
    public var pathWeight: Double?
    /// The top entries of the distributions the test used (nil in traces
    /// written before they were recorded, or when the verifier records none).
    public var distributions: DecisionDistributions?

    public init(node: Int, token: TokenID, round: Int, targetProbability: Double, draftProbability: Double,
                acceptanceProbability: Double, uniform: Double?, accepted: Bool, residualMass: Double?,
                pathWeight: Double? = nil, distributions: DecisionDistributions? = nil) {
        self.distributions = distributions
        self.node = node
        self.token = token
        self.round = round
        self.targetProbability = targetProbability
        self.draftProbability = draftProbability
        self.acceptanceProbability = acceptanceProbability
        self.uniform = uniform
        self.accepted = accepted
        self.residualMass = residualMass
        self.pathWeight = pathWeight
    }
}
