import Foundation

/// A tree of draft tokens hanging off the context: what the draft proposes and
/// the target verifies in one call.
///
/// Nodes are stored in an order where every parent comes before its children
/// (levels are appended one after another), so node indices double as a
/// topological order. A node's `parent` is `-1` when it hangs off the context
/// root, the last emitted token, which is not itself a node.
///
/// **Batch mapping.** The decoder evaluates `[root token] + nodes` in one
/// target call, so node `i` is batch index `i + 1` and the root is batch
/// index 0 (`batchIndex(ofNode:)`, `node(ofBatchIndex:)`, `batch(root:)`). The
/// same mapping is used for the rows of `NodeDistributions`.
public struct DraftTree: Sendable, Equatable {
    /// One drafted token.
    public struct Node: Sendable, Equatable {
        /// The drafted token.
        public var token: TokenID
        /// The index of the parent node, or -1 for a child of the context root.
        public var parent: Int
        /// 1 for a child of the root, 2 for a grandchild, … (its tree level).
        public var depth: Int
        /// q(token | parent's context): the draft probability it was drawn with.
        public var draftProbability: Double
        /// Its position among its siblings in sampling order, from 0.
        public var siblingRank: Int
        /// Stochastic beam search's conditioned Gumbel score G, or Gumbel-Top-k's
        /// perturbed log-probability; nil for methods that draw no Gumbel noise.
        public var score: Double?
        /// log q of the whole path from the root to this node (φ in Kool et al.).
        public var logProbability: Double

        public init(token: TokenID, parent: Int, depth: Int, draftProbability: Double,
                    siblingRank: Int, score: Double?, logProbability: Double) {
            self.token = token
            self.parent = parent
            self.depth = depth
            self.draftProbability = draftProbability
            self.siblingRank = siblingRank
            self.score = score
            self.logProbability = logProbability
        }
    }

    /// The nodes, parents before children.
    public private(set) var nodes: [Node] = []
    /// The children of each node in sampling order; entry 0 is the root's,
    /// entry `i + 1` node `i`'s.
    private var childLists: [[Int]] = [[]]

    /// An empty tree: just the context root.
    public init() {}

    /// Number of nodes, the root excluded.
    public var count: Int { nodes.count }

    public var isEmpty: Bool { nodes.isEmpty }

    /// The deepest level present (0 for an empty tree).
    public var depth: Int { nodes.last?.depth ?? 0 }

    public subscript(node: Int) -> Node { nodes[node] }

    /// Appends a child of `parent` (-1 for the root) as its next sibling in
    /// sampling order and returns the new node's index. Cost: O(1) amortised.
    /// - Precondition: `parent` is -1 or an existing node.
    @discardableResult
    public mutating func append(token: TokenID, parent: Int, draftProbability: Double, score: Double? = nil) -> Int {
        precondition(parent >= -1 && parent < nodes.count, "parent \(parent) is not in the tree")
        let parentDepth = parent < 0 ? 0 : nodes[parent].depth
        let parentLog = parent < 0 ? 0 : nodes[parent].logProbability
        let index = nodes.count
        nodes.append(Node(
            token: token, parent: parent, depth: parentDepth + 1, draftProbability: draftProbability,
            siblingRank: childLists[parent + 1].count, score: score,
            logProbability: parentLog + log(draftProbability)))
        childLists[parent + 1].append(index)
        childLists.append([])
        return index
    }

    /// The children of `node` (-1 for the root) in sampling order. Cost: O(1).
    public func children(of node: Int) -> [Int] {
        precondition(node >= -1 && node < nodes.count, "node \(node) is not in the tree")
        return childLists[node + 1]
    }

    /// The nodes from the root's child down to `node`, root side first
    /// (empty for -1). Cost: O(depth).
    public func path(to node: Int) -> [Int] {
        precondition(node >= -1 && node < nodes.count, "node \(node) is not in the tree")
        var path: [Int] = []
        var i = node
        while i >= 0 { path.append(i); i = nodes[i].parent }
        return path.reversed()
    }

    /// The tokens on the path to `node`, root side first. Cost: O(depth).
    public func tokens(to node: Int) -> [TokenID] {
        path(to: node).map { nodes[$0].token }
    }

    /// The nodes of each level: entry 0 holds depth 1. Cost: O(count).
    public var levels: [[Int]] {
        var levels = [[Int]](repeating: [], count: depth)
        for (i, node) in nodes.enumerated() { levels[node.depth - 1].append(i) }
        return levels
    }

    /// Whether every node has at most one child (a draft chain).
    public var isChain: Bool { childLists.allSatisfy { $0.count <= 1 } }

    /// The batch index of `node` in `batch(root:)`: `node + 1`; the root (-1) is 0.
    @inlinable
    public static func batchIndex(ofNode node: Int) -> Int { node + 1 }

    /// The node at batch index `index`: `index - 1`; the root (0) is -1.
    @inlinable
    public static func node(ofBatchIndex index: Int) -> Int { index - 1 }

    /// The batch the target evaluates: `root` (the last emitted token) at
    /// index 0, then every node at `batchIndex(ofNode:)`. Cost: O(count).
    public func batch(root: TokenID) -> TokenBatch {
        TokenBatch(
            tokens: [root] + nodes.map(\.token),
            parents: [-1] + nodes.map { Self.batchIndex(ofNode: $0.parent) })
    }

    /// The batch indices to commit after accepting `path` (nodes, root side
    /// first): the root, then each node. Cost: O(path).
    public static func batchPath(accepting path: [Int]) -> [Int] {
        [0] + path.map { batchIndex(ofNode: $0) }
    }
}
