/// One node of the current step's draft tree, as the tree view shows it.
public struct TreeNodeState: Sendable, Equatable {
    /// The token's text, raw (the view makes whitespace visible).
    public var token: String
    /// Index of the parent in `TreeState.nodes` (always smaller than this
    /// node's index), or nil for a first-level node (whose parent is the
    /// committed prefix).
    public var parent: Int?
    /// 1 for first-level nodes, parent's depth + 1 below.
    public var depth: Int
    /// Draft probability q(x) of this token, nil when unknown (a bonus token).
    public var q: Double?
    /// Target probability p(x), nil until verified.
    public var p: Double?
    public var state: NodeState
    /// Whether the node is on the path the step commits (its tokens are emitted).
    public var onAcceptedPath: Bool
    /// The decision made at this node (or, for a resampled or bonus node, its
    /// draw), shown when the node is clicked; nil until verified.
    public var decision: DecisionState?
    /// For a branch a dynamic tree cut (`state == .cut`): its path probability,
    /// the product of q along its path, which ranked it below the budget.
    public var pathProbability: Double?
    /// For a cut branch: the cut candidates drafted below it (not shown as nodes).
    public var cutBelow = 0
    /// The lookup guessed this token: it took no draft call of its own (`≈`).
    public var guessed = false

    public init(token: String, parent: Int?, depth: Int, q: Double?, p: Double? = nil,
                state: NodeState = .pending, onAcceptedPath: Bool = false) {
        self.token = token
        self.parent = parent
        self.depth = depth
        self.q = q
        self.p = p
        self.state = state
        self.onAcceptedPath = onAcceptedPath
    }
}
