/// A drafted branch the dynamic tree's rerank cut (`DynamicTreeBuilder.finish`):
/// drafted, never verified. Its path probability is why: it ranked below the
/// budget's last kept node.
public struct CutBranch: Sendable, Equatable, Codable {
    public var token: TokenID
    /// The kept tree node it hangs off, -1 for the context root.
    public var parent: Int
    /// Its level (1 for a child of the root).
    public var depth: Int
    /// q(token | parent's context).
    public var draftProbability: Double
    /// The product of q along its path: what the rerank compared.
    public var pathProbability: Double
    /// Cut candidates drafted below it.
    public var descendants: Int

    public init(token: TokenID, parent: Int, depth: Int, draftProbability: Double, pathProbability: Double,
                descendants: Int = 0) {
        self.token = token
        self.parent = parent
        self.depth = depth
        self.draftProbability = draftProbability
        self.pathProbability = pathProbability
        self.descendants = descendants
    }
}
