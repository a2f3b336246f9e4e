/// What one verification of a draft tree yields: the accepted path and
/// exactly one token sampled by the target after it.
public struct VerificationResult: Sendable, Equatable {
    /// Accepted nodes, root side first; each is a child of the previous one.
    public var acceptedPath: [Int]
    /// Their tokens.
    public var acceptedTokens: [TokenID]
    /// The token sampled by the target after the path.
    public var finalToken: TokenID
    /// `.resampled` when the last accepted node's children were all rejected,
    /// `.bonus` when it has none.
    public var finalKind: EmittedTokenKind
    /// Every test made, in order.
    public var decisions: [VerificationDecision]
    /// The final token's draw and the top of its distribution, when the verifier records distributions.
    public var finalDraw: FinalDraw?

    public init(acceptedPath: [Int], acceptedTokens: [TokenID], finalToken: TokenID,
                finalKind: EmittedTokenKind, decisions: [VerificationDecision], finalDraw: FinalDraw? = nil) {
        self.finalDraw = finalDraw
        self.acceptedPath = acceptedPath
        self.acceptedTokens = acceptedTokens
        self.finalToken = finalToken
        self.finalKind = finalKind
        self.decisions = decisions
    }

    /// The tokens to emit: the accepted ones, then the final one (1 … depth + 1 tokens).
    public var emittedTokens: [TokenID] { acceptedTokens + [finalToken] }

    /// The batch indices to commit to the target's KV cache: the root, then
    /// the accepted nodes (`DraftTree.batchPath(accepting:)`). The final token
    /// is not in the batch; it is evaluated at the next step.
    public var batchPath: [Int] { DraftTree.batchPath(accepting: acceptedPath) }
}
