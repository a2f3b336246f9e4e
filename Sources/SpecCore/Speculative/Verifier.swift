/// Which verifier judges the drafted tree: the choice a user makes with
/// `--verifier` and the decoder applies at the next step.
///
/// All three are exactly lossless; they differ in how much of the same draft
/// they accept (block ≥ token on chains, Sun et al. 2025 Theorem 2; traversal
/// reduces to block on chains and is reported above token-level on trees).
public enum Verifier: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Token by token from the root (`TreeVerifier`): chain, multi-round,
    /// recursive rejection sampling.
    case token
    /// Block verification of a drafted chain (`BlockVerifier`).
    case block
    /// Traversal verification of a drafted tree, leaves towards the root (`TraversalVerifier`).
    case traversal

    /// Checks that this verifier can judge trees of `shape`, with a message
    /// saying what to use instead when it cannot.
    /// - Throws: `SettingsError` for block verification of a shape that drafts a tree.
    public func validate(_ shape: DraftShape) throws(SettingsError) {
        if self == .block && !shape.draftsChain {
            throw SettingsError(
                "block verification judges one drafted chain, but \(shape.label) drafts a tree; "
                    + "use --verifier traversal (its generalisation to trees) or token, or a chain shape")
        }
    }
}

extension DraftShape {
    /// Whether every tree of this shape is a chain (one child per node).
    public var draftsChain: Bool { branching.allSatisfy { $0 == 1 } }
}

/// A verifier of draft trees with the contract every one keeps: the accepted
/// path plus exactly one token sampled by the target (`VerificationResult`),
/// every test it made recorded as a `VerificationDecision`.
public protocol DraftVerifier {
    /// Verifies `tree`; see `TreeVerifier.verify` for the meaning of the arguments.
    mutating func verify<R: VerificationRandomness>(
        _ tree: DraftTree, rule: VerificationRule, target: NodeDistributions, draft: NodeDistributions?,
        random: inout R
    ) -> VerificationResult
}

extension TreeVerifier: DraftVerifier {}
