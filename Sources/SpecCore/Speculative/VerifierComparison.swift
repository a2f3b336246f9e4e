/// One step's drafted tree judged by every verifier that can judge it, each
/// from the same state of the random stream (so the same uniforms where the
/// algorithms draw alike): how many draft tokens each accepts and where the
/// chosen verifier's accepted path parts from token-level verification's.
/// What the side-by-side view and the verifier axis of `bench methods` read.
public struct VerifierComparison: Sendable, Equatable, Codable {
    /// The verifier that decided the step (its result is the one emitted).
    public var verifier: Verifier
    /// Accepted nodes, root side first, by token-level verification.
    public var tokenPath: [Int]
    /// By block verification; nil when the tree is not a chain.
    public var blockPath: [Int]?
    /// By traversal verification.
    public var traversalPath: [Int]

    public init(verifier: Verifier, tokenPath: [Int], blockPath: [Int]?, traversalPath: [Int]) {
        self.verifier = verifier
        self.tokenPath = tokenPath
        self.blockPath = blockPath
        self.traversalPath = traversalPath
    }

    /// The accepted path of `verifier` (nil: block on a tree).
    public func path(_ verifier: Verifier) -> [Int]? {
        switch verifier {
        case .token: tokenPath
        case .block: blockPath
        case .traversal: traversalPath
        }
    }

    /// Draft tokens accepted by `verifier` (nil: block on a tree).
    public func accepted(_ verifier: Verifier) -> Int? { path(verifier)?.count }

    /// The last node token-level verification and `other` both accept (-1:
    /// they part at the root); nil when `other` cannot judge the tree.
    public func partingNode(_ other: Verifier) -> Int? {
        guard let path = path(other) else { return nil }
        return zip(tokenPath, path).prefix { $0 == $1 }.last?.0 ?? -1
    }
}
