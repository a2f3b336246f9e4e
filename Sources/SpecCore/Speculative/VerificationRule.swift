/// Which acceptance scheme `TreeVerifier` runs over a draft tree.
public enum VerificationRule: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Temperature 0: accept the first child equal to argmax p; the final token
    /// is argmax p. Emits exactly what plain greedy decoding emits.
    case greedy
    /// Leviathan/Chen speculative sampling over a chain: accept x with
    /// min(1, p(x)/q(x)); on rejection sample norm(max(0, p − q)).
    /// - Precondition: every node has at most one child.
    case chain
    /// SpecInfer's multi-round rejection for children drawn i.i.d. (with
    /// replacement): on each rejection p ← norm(max(0, p − q)), q unchanged.
    case multiRound
    /// RSD's recursive rejection sampling for children drawn without
    /// replacement: on each rejection p ← norm(max(0, p − q)) and
    /// q ← q·[x ≠ rejected] / (1 − q(rejected)).
    case recursive
    /// Siblings that are deterministic proposals rather than draws (the n-gram
    /// drafter's distinct continuations): proposal xi is treated as a draw from
    /// qi = one-hot(xi), so it is accepted with probability pi(xi) and on
    /// rejection p(i+1) = pi without xi, renormalised. Needs no draft rows.
    case deterministic
}
