/// What a verifier saw at one decision, compactly: the top entries of the
/// target and draft distributions the test used and, after a rejection, of
/// the residual the next sibling (or the resample) is judged against. The
/// screen draws them side by side; traces keep them (all optional, so traces
/// written before they existed still replay).
///
/// Token by token (`TreeVerifier`): `target` is pi and `draft` qi, the
/// distributions of round i (after the earlier siblings' rejections); after a
/// rejection `residual` is p(i+1) = norm(max(0, pi − qi)) and, under
/// recursive rejection sampling, `updatedDraft` is q(i+1) = qi without the
/// rejected token, renormalised (why a later sibling's q differs from the
/// tree's). Block and traversal verification: `target` and `draft` are the
/// rows at the node's parent, `residual` is the residual their final draw
/// would use if the walk stops at this node (norm(max(0, w·p − q)) at its children).
public struct DecisionDistributions: Sendable, Equatable, Codable {
    /// The target's distribution as the test used it (greedy: p, whose first entry is the argmax).
    public var target: TopEntries
    /// The draft's as used; nil when the rule reads no draft (greedy).
    public var draft: TopEntries?
    /// After a rejection: the residual that is judged against next.
    public var residual: TopEntries?
    /// Recursive rejection sampling after a rejection: q renormalised without the rejected token.
    public var updatedDraft: TopEntries?
    /// Whether `draft` is already renormalised without earlier siblings (round > 0 under RSD).
    public var draftRenormalised: Bool

    public init(target: TopEntries, draft: TopEntries? = nil, residual: TopEntries? = nil,
                updatedDraft: TopEntries? = nil, draftRenormalised: Bool = false) {
        self.target = target
        self.draft = draft
        self.residual = residual
        self.updatedDraft = updatedDraft
        self.draftRenormalised = draftRenormalised
    }
}

/// The draw that ends a step, as a decision of its own: which token, from
/// which distribution (the target at an accepted leaf, the residual after
/// every child was rejected, or the target's argmax at temperature 0).
public struct FinalDraw: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Equatable, Codable {
        /// p at the last accepted node (a bonus token).
        case target
        /// The last residual, after every child of the last accepted node was rejected.
        case residual
        /// argmax p (temperature 0).
        case argmax
    }

    /// The node below which the token is drawn (-1: the context root).
    public var parent: Int
    public var token: TokenID
    public var kind: EmittedTokenKind
    public var source: Source
    /// The top entries of the distribution drawn from.
    public var distribution: TopEntries

    public init(parent: Int, token: TokenID, kind: EmittedTokenKind, source: Source, distribution: TopEntries) {
        self.parent = parent
        self.token = token
        self.kind = kind
        self.source = source
        self.distribution = distribution
    }
}
