/// The draft tree of the current step: nodes in creation order (parents
/// before children) and, in decision mode, the node under test.
public struct TreeState: Sendable, Equatable {
    /// The step number (1-based; 0 before the first step).
    public var step: Int
    public var nodes: [TreeNodeState]
    /// Index of the node whose verification decision is being shown, if any.
    public var nodeUnderTest: Int?
    /// The context's last token (raw text), drawn as the root the first level
    /// hangs from; nil draws the first level as roots.
    public var root: String?

    public init(step: Int = 0, nodes: [TreeNodeState] = [], nodeUnderTest: Int? = nil) {
        self.step = step
        self.nodes = nodes
        self.nodeUnderTest = nodeUnderTest
    }

    /// Appends a node below `parent` (nil: first level), computing its depth,
    /// and returns its index.
    /// - Complexity: amortised O(1).
    @discardableResult
    public mutating func add(_ token: String, parent: Int? = nil, q: Double?, p: Double? = nil,
                             state: NodeState = .pending, onAcceptedPath: Bool = false) -> Int {
        let depth = parent.flatMap { $0 >= 0 && $0 < nodes.count ? nodes[$0].depth + 1 : nil } ?? 1
        nodes.append(TreeNodeState(token: token, parent: parent, depth: depth, q: q, p: p,
                                   state: state, onAcceptedPath: onAcceptedPath))
        return nodes.count - 1
    }

    /// The parent of node `i` if it is a valid earlier node; anything else counts as first level.
    @inlinable
    public func validParent(of i: Int) -> Int? {
        guard let p = nodes[i].parent, p >= 0, p < i else { return nil }
        return p
    }
}
