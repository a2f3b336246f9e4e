/// Everything a decoder does, in order: what the terminal UI draws and what a
/// trace records. `Sendable` so it can cross from the decoder's queue to the UI.
public enum DecodingEvent: Sendable, Equatable, Codable {
    /// A step begins on top of `prefixLength` committed-or-emitted tokens.
    case stepStarted(step: Int, prefixLength: Int, settings: String)
    /// The draft added one level of the tree: nodes `nodes` (indices into the
    /// step's tree) with their tokens, parents and q; `seconds` of draft work.
    case levelDrafted(step: Int, level: Int, nodes: [DraftNodeRecord], seconds: Double)
    /// A dynamic tree's rerank cut these drafted branches (`CutBranch`, parents
    /// are indices into the step's tree): drafted, never verified. Sent after
    /// the kept levels' `levelDrafted`; traces before it existed lack it.
    case branchesCut(step: Int, branches: [CutBranch])
    /// The target evaluated the whole tree in one call.
    case treeVerified(step: Int, batchSize: Int, seconds: Double)
    /// One accept/reject test of a drafted node.
    case decision(step: Int, VerificationDecision)
    /// The draw of the step's final token (resampled or bonus): which token,
    /// from which distribution, with that distribution's top entries. Sent
    /// after the decisions when the verifier records distributions; traces
    /// written before it existed simply lack it.
    case finalDraw(step: Int, FinalDraw)
    /// A token joins the text: accepted from the draft, resampled after a
    /// rejection, or the bonus token after an accepted leaf.
    case tokenEmitted(step: Int, token: TokenID, kind: EmittedTokenKind)
    /// The step is over: its accepted path and timings.
    case stepFinished(StepSummary)
}

/// A drafted node as events carry it.
public struct DraftNodeRecord: Sendable, Equatable, Codable {
    public var index: Int
    public var token: TokenID
    public var parent: Int
    public var depth: Int
    public var draftProbability: Double
    /// True when the node's token was the lookup's guess, so its draft row
    /// came with an earlier call and it took no draft call of its own
    /// (`SpeculativeDecoder.draftLookup`); nil otherwise (and in older traces).
    public var guessed: Bool?

    public init(index: Int, token: TokenID, parent: Int, depth: Int, draftProbability: Double, guessed: Bool? = nil) {
        self.index = index
        self.token = token
        self.parent = parent
        self.depth = depth
        self.draftProbability = draftProbability
        self.guessed = guessed
    }
}

/// What one speculative step did and how long each part took.
public struct StepSummary: Sendable, Equatable, Codable {
    public var step: Int
    /// Nodes in the draft tree (tokens the target verified, besides the root).
    public var treeSize: Int
    /// Deepest level of the tree.
    public var treeDepth: Int
    /// Tree nodes accepted, root-first.
    public var acceptedPath: [Int]
    /// Emitted tokens: the accepted ones plus the final (resampled or bonus) one.
    public var emitted: [TokenID]
    /// Deepest level at which a decision was made (0 if the tree was empty).
    public var deepestTested: Int
    public var draftSeconds: Double
    public var verifySeconds: Double
    /// Everything else: sampling, verification, cache commits, bookkeeping.
    public var otherSeconds: Double
    /// The same tree judged by every verifier, when the decoder compares them
    /// (`SpeculativeDecoder.comparesVerifiers`).
    public var comparison: VerifierComparison?

    public init(step: Int, treeSize: Int, treeDepth: Int, acceptedPath: [Int], emitted: [TokenID],
                deepestTested: Int, draftSeconds: Double, verifySeconds: Double, otherSeconds: Double,
                comparison: VerifierComparison? = nil) {
        self.step = step
        self.treeSize = treeSize
        self.treeDepth = treeDepth
        self.acceptedPath = acceptedPath
        self.emitted = emitted
        self.deepestTested = deepestTested
        self.draftSeconds = draftSeconds
        self.verifySeconds = verifySeconds
        self.otherSeconds = otherSeconds
        self.comparison = comparison
    }

    public var totalSeconds: Double { draftSeconds + verifySeconds + otherSeconds }
}
