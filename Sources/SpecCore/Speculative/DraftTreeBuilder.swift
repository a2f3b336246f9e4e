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
    /// Adaptive draft length (llama.cpp's `--draft-p-min`): a frontier node
    /// whose draft confidence (the probability of its most likely next token)
    /// is below `pMin` gets no children. 0 never stops. Not applied to rsd-s,
    /// whose beams compete across nodes.
    public let pMin: Double
    /// Nodes that p-min stopped, with their confidence (-1 is the root).
    public private(set) var stopped: [(node: Int, confidence: Double)] = []

    /// - Parameter pMin: 0…1, see `pMin`.
    /// - Throws: `SettingsError` when the shape is invalid (see `DraftShape.validate`) or p-min is outside 0…1.
    public init(shape: DraftShape, pMin: Double = 0) throws(SettingsError) {
        try shape.validate()
        guard shape.method != .dynamic else {
            throw SettingsError("\(shape.label): a dynamic tree is grown by DynamicTreeBuilder, not DraftTreeBuilder")
        }
        try Self.checkPMin(pMin)
        self.shape = shape
        self.pMin = pMin
    }

    /// The one range check of p-min (the decoder's and this builder's).
    /// - Throws: `SettingsError` outside 0…1.
    public static func checkPMin(_ value: Double) throws(SettingsError) {
        guard value >= 0, value <= 1 else { throw SettingsError("p-min must be within 0…1, got \(value)") }
    }

    /// Whether p-min lets `node` grow children, recording it in `stopped` when not.
    ///
    /// Why this keeps every verifier exactly lossless: the decision is a
    /// function of the draft's distribution at the node (a function of the
    /// path above it), taken before any child is drawn; once a node grows
    /// children they are drawn from q as always. Conditioned on the emitted
    /// prefix, a position either holds draft tokens drawn from q and verified
    /// (emitting p), or none, and the verifier samples it from p. (Dropping a
    /// drawn token because *its own* q is low would bias it: the enumeration
    /// tests show that variant failing.)
    private mutating func grows(_ node: Int, confidence: ((Int) -> Double)?,
                                draft: (_ node: Int) -> UnsafeBufferPointer<Float>) -> Bool {
        guard pMin > 0 else { return true }
        let c = confidence?(node) ?? Double(draft(node).max() ?? 0)
        if c < pMin {
            stopped.append((node, c))
            return false
        }
        return true
    }

    /// Whether every level has been drawn (or a level came out empty).
    public var isComplete: Bool { frontier.isEmpty }

    /// Draws the children of every frontier node and appends them as the
    /// next level; returns the new nodes' indices.
    ///
    /// Per method: `chain` one child from q (inverse CDF); `specInfer` bℓ
    /// i.i.d. children; `rsdC` bℓ children without replacement by
    /// Gumbel-Top-k; `rsdS` one step of stochastic beam search.
    /// - Parameters:
    ///   - draft: the draft's processed q at a frontier node (-1 = the root),
    ///     a row of vocabulary size summing to 1.
    ///   - confidence: the draft's probability of its most likely next token at
    ///     a node, for p-min; nil: the largest entry of `draft(node)` (at
    ///     temperature 0 the decoder passes the untruncated softmax's, since its q
    ///     is cut to the top tokens).
    /// - Complexity: O(|frontier| · V) plus small sorts.
    @discardableResult
    public mutating func drawLevel(
        random: inout RandomSource, confidence: ((Int) -> Double)? = nil,
        draft: (_ node: Int) -> UnsafeBufferPointer<Float>
    ) -> Range<Int> {
        precondition(!isComplete, "the tree is complete")
        let start = tree.count
        let level = levelsDrawn
        switch shape {
        case .chain, .specInfer:
            let count = shape.branching[level]
            for parent in frontier where grows(parent, confidence: confidence, draft: draft) {
                for child in ChildSampler.withReplacement(from: draft(parent), count: count, random: &random) {
                    tree.append(token: child.token, parent: parent, draftProbability: child.probability)
                }
            }
        case .rsdC:
            let count = shape.branching[level]
            for parent in frontier where grows(parent, confidence: confidence, draft: draft) {
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
        case .dynamic:
            preconditionFailure("refused by init")
        }
        levelsDrawn += 1
        let end = tree.count
        frontier = levelsDrawn < shape.depth ? Array(start..<end) : []
        return start..<end
    }
}
