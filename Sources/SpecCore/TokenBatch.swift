/// New tokens for a language model to evaluate in one call, on top of the
/// prefix already committed to its KV cache.
///
/// Each token attends to the committed prefix, to its ancestors in the batch
/// (the chain of `parents`), and to itself; nothing else. A chain is the case
/// `parents[i] == i - 1`. Token `i` sits at position `committed + depth(i)`,
/// where a root (parent `-1`) has depth 0.
public struct TokenBatch: Sendable, Equatable {
    /// The token ids, in an order where every parent comes before its children.
    public var tokens: [TokenID]
    /// The index of each token's parent in this batch, or -1 for a root.
    public var parents: [Int]

    /// A batch of tokens with their tree structure.
    /// - Precondition: `parents.count == tokens.count` and `parents[i] < i`.
    public init(tokens: [TokenID], parents: [Int]) {
        precondition(tokens.count == parents.count, "one parent per token")
        for (i, p) in parents.enumerated() { precondition(p >= -1 && p < i, "parents must come first") }
        self.tokens = tokens
        self.parents = parents
    }

    /// A chain: each token attends to all earlier ones.
    public init(chain tokens: [TokenID]) {
        self.tokens = tokens
        self.parents = tokens.indices.map { $0 - 1 }
    }

    public var count: Int { tokens.count }

    /// The depth of each token (0 for roots). Cost: O(count).
    public var depths: [Int] {
        var d = [Int](repeating: 0, count: tokens.count)
        for i in tokens.indices where parents[i] >= 0 { d[i] = d[parents[i]] + 1 }
        return d
    }

    /// The indices on the path from a root to `node`, root first. Cost: O(depth).
    public func path(to node: Int) -> [Int] {
        var path: [Int] = []
        var i = node
        while i >= 0 { path.append(i); i = parents[i] }
        return path.reversed()
    }
}
