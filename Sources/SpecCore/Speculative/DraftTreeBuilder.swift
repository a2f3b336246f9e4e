/// Grows a `DraftTree` one level at a time for a `DraftShape`, so that the
/// decoder can evaluate the draft model on each new level in between.
///
/// The loop: while `!isComplete`, get the draft's processed q at every node
/// of `frontier` (-1 is the context root), then call `drawLevel`. The decoder
/// keeps those q rows: the verifier needs q at every node that has children.
///
/// ```
/// var builder = try DraftTreeBuilder(shape: .rsdC(branching: [3, 2]))
/// while !builder.isComplete {
///     // evaluate the draft on builder.frontier …
///     builder.drawLevel(random: &random) { node in q(at: node) }
/// }
/// ```
public struct DraftTreeBuilder: Sendable {
    public let shape: DraftShape
    /// The tree so far.
    public private(set) var tree = DraftTree()
    /// The nodes the next level hangs off (whose q `drawLevel` reads): the
    /// root (-1) at first, then the last level's nodes (for stochastic beam
    /// search, the kept beams); empty when the tree is complete.
    public private(set) var frontier: [Int] = [-1]
    /// Levels drawn so far.
    public private(set) var levelsDrawn = 0

    /// - Throws: `SettingsError` when the shape is invalid (see `DraftShape.validate`).
    public init(shape: DraftShape) throws(SettingsError) {
        try shape.validate()
        self.shape = shape
    }

    /// Whether every level has been drawn (or a level came out empty).
    public var isComplete: Bool { frontier.isEmpty }

    /// Draws the children of every frontier node and appends them as the
    /// next level; returns the new nodes' indices.
    ///
    /// Per method: `chain` one child from q (inverse CDF); `specInfer` bℓ
    /// i.i.d. children; `rsdC` bℓ children without replacement by
    /// Gumbel-Top-k; `rsdS` one step of stochastic beam search.
    /// - Parameter draft: the draft's processed q at a frontier node (-1 = the root),
    ///   a row of vocabulary size summing to 1.
    /// - Complexity: O(|frontier| · V) plus small sorts.
    @discardableResult
    public mutating func drawLevel(
        random: inout RandomSource, draft: (_ node: Int) -> UnsafeBufferPointer<Float>
    ) -> Range<Int> {
        precondition(!isComplete, "the tree is complete")
        let start = tree.count
        let level = levelsDrawn
        switch shape {
        case .chain, .specInfer:
            let count = shape.branching[level]
            for parent in frontier {
                for child in ChildSampler.withReplacement(from: draft(parent), count: count, random: &random) {
                    tree.append(token: child.token, parent: parent, draftProbability: child.probability)
                }
            }
        case .rsdC:
            let count = shape.branching[level]
            for parent in frontier {
                for child in ChildSampler.withoutReplacement(from: draft(parent), count: count, random: &random) {
                    tree.append(token: child.token, parent: parent, draftProbability: child.probability, score: child.score)
                }
            }
        case let .rsdS(width, _):
            let beams = frontier.map { node in
                node < 0 ? StochasticBeamSearch.Beam.root
                    : StochasticBeamSearch.Beam(node: node, logProbability: tree[node].logProbability, score: tree[node].score ?? 0)
            }
            let kept = StochasticBeamSearch.nextLevel(beams: beams, width: width, random: &random, draft: draft)
            for candidate in kept {
                tree.append(token: candidate.child.token, parent: beams[candidate.beam].node,
                             draftProbability: candidate.child.probability, score: candidate.score)
            }
        }
        levelsDrawn += 1
        let end = tree.count
        frontier = levelsDrawn < shape.depth ? Array(start..<end) : []
        return start..<end
    }
}
