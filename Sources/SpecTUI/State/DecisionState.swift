import SpecCore

/// One verification decision, shown in verify-one-decision mode: the token,
/// p(x) against q(x), the uniform draw u, the verdict and the residual mass.
///
/// The rule: accept x when u < min(1, p(x) / q(x)); on rejection the next
/// candidate is judged against the residual norm(max(0, p − q)), whose
/// unnormalised mass is `residualMass`.
public struct DecisionState: Sendable, Equatable {
    /// The node in `TreeState.nodes` under test.
    public var node: Int
    /// The token's raw text.
    public var token: String
    public var depth: Int
    public var p: Double
    public var q: Double
    /// The uniform draw, nil until drawn.
    public var u: Double?
    public var verdict: DecisionVerdict
    /// Σ max(0, p − q) over the vocabulary, if known.
    public var residualMass: Double?
    /// The acceptance probability the verifier used, when it is not min(1, p/q)
    /// (1 or 0 under the greedy rule); nil: computed from p and q.
    public var acceptance: Double?
    /// Block verification's running probability ratio p_i, or traversal
    /// verification's sequence-level acceptance of the path to the node when
    /// reached; nil for token-by-token verification.
    public var pathWeight: Double?
    /// The top entries of p, q and the residual at this decision, if recorded.
    public var distributions: DistributionState?
    /// Set when this is the step's final draw rather than a test: how the token came.
    public var draw: FinalDraw.Source?

    public init(node: Int, token: String, depth: Int, p: Double, q: Double, u: Double? = nil,
                verdict: DecisionVerdict = .undecided, residualMass: Double? = nil, acceptance: Double? = nil,
                pathWeight: Double? = nil) {
        self.acceptance = acceptance
        self.pathWeight = pathWeight
        self.node = node
        self.token = token
        self.depth = depth
        self.p = p
        self.q = q
        self.u = u
        self.verdict = verdict
        self.residualMass = residualMass
    }

    /// The probability of accepting: `acceptance` if given, else min(1, p/q),
    /// 1 when q is 0 (never drafted: nothing to reject).
    public var acceptanceProbability: Double {
        if let acceptance { return acceptance }
        return q > 0 ? min(1, max(0, p) / q) : 1
    }
}
