import Foundation

/// Speculative decoding, one step at a time: draft a tree, verify it with one
/// target call, emit the accepted prefix plus one target-sampled token.
///
/// A plain synchronous value over two `LanguageModel`s (or an n-gram drafter):
/// no threads, no terminal. Each `step` reports what it does as `DecodingEvent`s
/// in order; the engine streams them, tests read them directly.
///
/// Both models keep, besides their KV caches, a short backlog of emitted
/// tokens they have not evaluated yet (at least the last emitted token). A
/// step evaluates `backlog + tree` in one call per model and tree level, so
/// the target makes exactly one call per step.
///
/// Given stop tokens (a tokenizer's end-of-generation set), a step whose
/// accepted block holds one emits the block up to and including the first of
/// them and drops the rest, and the decoder is finished: plain decoding stops
/// at the same token, so greedy output still equals plain greedy output.
public final class SpeculativeDecoder {
    public let target: any LanguageModel
    public let draft: DraftSource
    /// Applied at the next step boundary.
    public var shape: DraftShape
    public var sampling: SamplingParameters
    /// Which verifier judges the tree; applied at the next step boundary. A
    /// step throws `SettingsError` when it cannot judge the shape in force
    /// (block verification of a tree), before touching any model.
    public var verifier: Verifier
    /// When set, every step also judges its tree with the other verifiers,
    /// from the same state of the random stream, and reports each one's
    /// accepted path in `StepSummary.comparison` (one more O(V) pass or so per
    /// tested node and verifier; the emitted text is the chosen verifier's).
    public var comparesVerifiers = false
    /// Adaptive draft length: a node whose draft confidence is below `pMin`
    /// grows no children (`DraftTreeBuilder.pMin`; 0 = off). Applied at the
    /// next step boundary; set it through `setPMin` to have it checked.
    public private(set) var pMin: Double = 0
    /// Lookup-assisted drafting of chains (nil = off): an n-gram lookup in
    /// the text guesses the draft model's next tokens, and each draft call
    /// evaluates its newest token together with that guess, so a chain of L
    /// tokens takes as few as one draft call when the draft draws what the
    /// text predicted (`draftChainWithLookup`). The drawn tokens, and so the
    /// output distribution, are exactly those of plain chain drafting; only
    /// the draft's time changes. Used by the chain method with a draft model;
    /// other methods and the n-gram draft ignore it. Applied at the next step.
    public var draftLookup: NGramDrafter?
    /// Whether the chosen verifier records the top entries of p, q and the
    /// residual at each decision and the final draw (`DecisionDistributions`,
    /// `FinalDraw`, the `finalDraw` event): a few O(V) selections per step.
    /// The comparison with the other verifiers never records them. Off by
    /// default: only the live screen (`DecodingSession`) shows them, so
    /// `generate` and the benches do not pay for them.
    public var recordsDistributions = false
    /// Prompt and emitted tokens.
    public private(set) var history: [TokenID]
    public private(set) var statistics = DecodingStatistics()
    public private(set) var stepIndex = 0
    /// Tokens that end the generation (empty: it never ends by itself).
    public let stopTokens: Set<TokenID>
    /// True once a step emitted a stop token; `step` then emits nothing.
    public private(set) var isFinished = false

    private var random: RandomSource
    private var tokenVerifier: TreeVerifier
    private var blockVerifier: BlockVerifier
    private var traversalVerifier: TraversalVerifier
    private var targetBacklog: [TokenID]
    private var draftBacklog: [TokenID]
    /// Processed distributions by batch row (root = 0, node i = i + 1). Shape (rows, V).
    private var targetRows: [Float]
    private var draftRows: [Float]
    /// Draft confidence by batch row, for p-min at temperature 0.
    private var draftConfidence: [Double] = []
    /// Exponentials of one logits row, scratch for `topProbability` (V floats once used).
    private var confidenceScratch: [Float] = []
    private let vocabularySize: Int

    /// Prefills `prompt` into both models (all but its last token, which opens the first step).
    /// - Throws: `SettingsError` for an impossible shape, sampling or
    ///   verifier for the shape, or a vocabulary mismatch; model errors from the prefill.
    public init(target: any LanguageModel, draft: DraftSource, shape: DraftShape, sampling: SamplingParameters,
                verifier: Verifier = .token, prompt: [TokenID], seed: UInt64, stopTokens: Set<TokenID> = [],
                pMin: Double = 0, draftLookup: NGramDrafter? = nil) throws {
        precondition(!prompt.isEmpty, "the prompt has no tokens")
        try DraftTreeBuilder.checkPMin(pMin)
        self.pMin = pMin
        self.draftLookup = draftLookup
        try sampling.validate()
        try shape.validate(vocabularySize: target.vocabularySize)
        try verifier.validate(shape)
        if case let .model(model) = draft, model.vocabularySize != target.vocabularySize {
            throw SettingsError("the draft's vocabulary has \(model.vocabularySize) tokens, the target's \(target.vocabularySize)")
        }
        self.target = target
        self.draft = draft
        self.shape = shape
        self.sampling = sampling
        self.stopTokens = stopTokens
        self.verifier = verifier
        history = prompt
        random = RandomSource(seed: seed)
        vocabularySize = target.vocabularySize
        tokenVerifier = TreeVerifier(vocabularySize: vocabularySize)
        blockVerifier = BlockVerifier(vocabularySize: vocabularySize)
        traversalVerifier = TraversalVerifier(vocabularySize: vocabularySize)
        targetRows = []
        draftRows = []
        let context = Array(prompt.dropLast())
        if !context.isEmpty {
            _ = try target.prefill(context)
            if case let .model(model) = draft { _ = try model.prefill(context) }
        }
        targetBacklog = [prompt.last!]
        draftBacklog = [prompt.last!]
    }

    /// Sets p-min (0…1) for the next step.
    /// - Throws: `SettingsError` outside 0…1.
    public func setPMin(_ value: Double) throws(SettingsError) {
        try DraftTreeBuilder.checkPMin(value)
        pMin = value
    }

    /// Runs one step and returns the tokens it emitted: at least one, the
    /// last a stop token if the block held one; none (and no model call) once
    /// the decoder is finished.
    /// - Parameter onEvent: called synchronously with each event, in order.
    /// - Throws: `ModelError.contextOverflow` when the tree no longer fits;
    ///   `SettingsError` when the verifier cannot judge the shape; the
    ///   decoder is unchanged then.
    @discardableResult
    public func step(onEvent: (DecodingEvent) -> Void = { _ in }) throws -> [TokenID] {
        guard !isFinished else { return [] }
        let clock = ContinuousClock()
        let stepStart = clock.now
        let shape = self.shape
        let verifier = self.verifier
        try verifier.validate(shape)
        let greedy = sampling.isGreedy
        onEvent(.stepStarted(step: stepIndex, prefixLength: history.count, settings: describe(shape)))

        // Draft the tree.
        var tree = DraftTree()
        var draftPending: [Int] = []  // tree node → its index in the draft model's pending tree, -1 if not evaluated
        var draftSeconds = 0.0
        let rule: VerificationRule
        switch draft {
        case let .model(model):
            rule = shape.method.verificationRule(greedy: greedy)
            if shape.method == .dynamic {
                (tree, draftPending, draftSeconds) = try draftDynamic(model, shape: shape, onEvent: onEvent)
            } else if shape.method == .chain, let lookup = draftLookup {
                (tree, draftPending, draftSeconds) = try draftChainWithLookup(model, lookup: lookup, shape: shape,
                                                                              onEvent: onEvent)
            } else {
                let evaluated: Int
                (tree, evaluated, draftSeconds) = try draftWithModel(model, shape: shape, onEvent: onEvent)
                draftPending = (0..<tree.count).map { $0 < evaluated ? $0 : -1 }
            }
        case let .ngram(drafter):
            rule = greedy ? .greedy : .deterministic
            let begin = clock.now
            tree = ngramTree(drafter, shape: shape)
            draftSeconds = (clock.now - begin).seconds
            if !tree.isEmpty { onEvent(.levelDrafted(step: stepIndex, level: 1, nodes: records(tree, 0..<tree.count), seconds: draftSeconds)) }
        }

        // Verify: the target evaluates backlog + tree in one call.
        let verifyStart = clock.now
        let backlog = targetBacklog.count
        let batch = TokenBatch(
            tokens: targetBacklog + tree.nodes.map(\.token),
            parents: Array(-1..<(backlog - 1)) + tree.nodes.map { $0.parent < 0 ? backlog - 1 : $0.parent + backlog })
        let logits = try target.evaluate(batch, logits: .all)
        let verifySeconds = (clock.now - verifyStart).seconds
        onEvent(.treeVerified(step: stepIndex, batchSize: batch.count, seconds: verifySeconds))

        // Target distributions: rows from the last backlog token on.
        let rows = tree.count + 1
        process(logits, firstRow: backlog - 1, rows: rows, into: &targetRows, parameters: sampling)
        let randomBefore = random
        var comparison: VerifierComparison?
        let result = targetRows.withUnsafeBufferPointer { t in
            draftRows.withUnsafeBufferPointer { d in
                let targetDistributions = NodeDistributions(rows: UnsafeBufferPointer(rebasing: t[0..<(rows * vocabularySize)]), vocabularySize: vocabularySize)
                let draftDistributions = rule == .greedy || rule == .deterministic ? nil
                    : NodeDistributions(rows: UnsafeBufferPointer(rebasing: d[0..<(rows * vocabularySize)]), vocabularySize: vocabularySize)
                if comparesVerifiers {
                    comparison = compare(tree, rule: rule, target: targetDistributions, draft: draftDistributions,
                                         random: randomBefore)
                }
                tokenVerifier.recordsDistributions = recordsDistributions
                blockVerifier.recordsDistributions = recordsDistributions
                traversalVerifier.recordsDistributions = recordsDistributions
                switch verifier {
                case .token:
                    return tokenVerifier.verify(tree, rule: rule, target: targetDistributions, draft: draftDistributions,
                                                random: &random)
                case .block:
                    return blockVerifier.verify(tree, rule: rule, target: targetDistributions, draft: draftDistributions,
                                                random: &random)
                case .traversal:
                    return traversalVerifier.verify(tree, rule: rule, target: targetDistributions,
                                                    draft: draftDistributions, random: &random)
                }
            }
        }
        for decision in result.decisions { onEvent(.decision(step: stepIndex, decision)) }
        if let draw = result.finalDraw { onEvent(.finalDraw(step: stepIndex, draw)) }

        // Commit: the target keeps backlog + accepted path; the draft keeps what it evaluated of it.
        try target.commit(path: Array(0..<backlog) + result.acceptedPath.map { $0 + backlog })
        targetBacklog = [result.finalToken]
        if case let .model(model) = draft {
            let draftBacklogCount = draftBacklog.count
            // The evaluated nodes are closed under ancestors, so they are a prefix of the accepted path.
            let evaluated = result.acceptedPath.prefix { draftPending[$0] >= 0 }
            try model.commit(path: Array(0..<draftBacklogCount) + evaluated.map { draftPending[$0] + draftBacklogCount })
            draftBacklog = result.acceptedPath.dropFirst(evaluated.count).map { tree[$0].token } + [result.finalToken]
        } else {
            draftBacklog = [result.finalToken]
        }

        // The generation ends at the first stop token: the rest of the block is dropped.
        var emitted = result.emittedTokens
        if let stop = emitted.firstIndex(where: stopTokens.contains) {
            emitted.removeSubrange((stop + 1)...)
            isFinished = true
        }
        for (k, token) in emitted.enumerated() {
            onEvent(.tokenEmitted(step: stepIndex, token: token, kind: k < result.acceptedTokens.count ? .accepted : result.finalKind))
        }
        history += emitted
        let total = (clock.now - stepStart).seconds
        let deepest = result.decisions.map { tree[$0.node].depth }.max() ?? 0
        let summary = StepSummary(
            step: stepIndex, treeSize: tree.count, treeDepth: tree.depth, acceptedPath: result.acceptedPath,
            emitted: emitted, deepestTested: deepest, draftSeconds: draftSeconds, verifySeconds: verifySeconds,
            otherSeconds: max(0, total - draftSeconds - verifySeconds), comparison: comparison)
        statistics.record(summary)
        onEvent(.stepFinished(summary))
        stepIndex += 1
        return emitted
    }

    /// Judges `tree` with every verifier that can, each from `random` as it
    /// stood before the step's verification.
    private func compare(_ tree: DraftTree, rule: VerificationRule, target: NodeDistributions,
                         draft: NodeDistributions?, random: RandomSource) -> VerifierComparison {
        tokenVerifier.recordsDistributions = false
        blockVerifier.recordsDistributions = false
        traversalVerifier.recordsDistributions = false
        var stream = random
        let token = tokenVerifier.verify(tree, rule: rule, target: target, draft: draft, random: &stream)
        var block: VerificationResult?
        if tree.isChain {
            stream = random
            block = blockVerifier.verify(tree, rule: rule, target: target, draft: draft, random: &stream)
        }
        stream = random
        let traversal = traversalVerifier.verify(tree, rule: rule, target: target, draft: draft, random: &stream)
        return VerifierComparison(verifier: verifier, tokenPath: token.acceptedPath, blockPath: block?.acceptedPath,
                                  traversalPath: traversal.acceptedPath)
    }

    // MARK: - Drafting

    /// Grows the tree level by level, one draft-model call per level (the
    /// last level's nodes are never evaluated: no level hangs off them).
    private func draftWithModel(_ model: any LanguageModel, shape: DraftShape,
                                onEvent: (DecodingEvent) -> Void) throws -> (DraftTree, Int, Double) {
        let clock = ContinuousClock()
        let begin = clock.now
        let pMin = shape.method == .rsdS ? 0 : self.pMin
        var builder = try DraftTreeBuilder(shape: shape, pMin: pMin)
        let backlog = draftBacklog.count
        // q at the root: the last backlog token's logits.
        let rootLogits = try model.evaluate(TokenBatch(chain: draftBacklog), logits: .last)
        ensureCapacity(&draftRows, rows: shape.maxNodeCount + 1)
        process(rootLogits, firstRow: 0, rows: 1, into: &draftRows, parameters: draftParameters(for: shape, level: 0))
        // At temperature 0 q is cut to the top tokens: p-min reads the untruncated softmax's top probability.
        let confidenceFromLogits = pMin > 0 && sampling.isGreedy
        if confidenceFromLogits { draftConfidence = [topProbability(rootLogits[row: 0])] }
        var evaluated = 0
        var levelStart = clock.now
        while !builder.isComplete {
            let level = builder.levelsDrawn + 1
            let new = drawLevel(&builder, confidenceFromLogits: confidenceFromLogits)
            if !builder.isComplete && !new.isEmpty {
                // The draft model evaluates the new level so the next one can hang off it.
                let tree = builder.tree
                let logits = try model.extend(
                    tokens: new.map { tree[$0].token },
                    parents: new.map { tree[$0].parent < 0 ? backlog - 1 : tree[$0].parent + backlog },
                    logits: .all)
                processRows(logits, into: &draftRows, atRow: new.lowerBound + 1,
                            parameters: draftParameters(for: shape, level: builder.levelsDrawn))
                if confidenceFromLogits {
                    for r in 0..<logits.rows { draftConfidence.append(topProbability(logits[row: r])) }
                }
                evaluated = new.upperBound
            }
            let now = clock.now
            onEvent(.levelDrafted(step: stepIndex, level: level, nodes: records(builder.tree, new), seconds: (now - levelStart).seconds))
            levelStart = now
        }
        return (builder.tree, evaluated, (clock.now - begin).seconds)
    }

    /// Drafts a chain as `draftWithModel` does, but with an n-gram lookup
    /// guessing the draft's next tokens: every draft call evaluates the newest
    /// drawn token followed by the lookup's continuation of the text so far
    /// (the call's extra rows are the guess's q), so whenever the draft then
    /// draws the guessed token its q is already there and the next level
    /// needs no call. On text the draft copies (code it repeats from the
    /// prompt) a chain of L tokens takes one call of 1 + (L − 1) tokens
    /// instead of L calls of one.
    ///
    /// Why the chain's distribution is unchanged: each token is still drawn
    /// from q at its own prefix (a guessed row is used only when the drawn
    /// token equals the guess, so its prefix is the drawn one), with the same
    /// rule and random stream; the guess decides only which q rows are
    /// computed ahead. Verifiers and p-min see exactly what they would see
    /// without it. Guessed tokens past a mismatch stay in the draft's pending
    /// tree and are dropped at the commit.
    ///
    /// Returns the chain, each node's index in the draft's pending tree
    /// beyond the backlog (-1 if not evaluated) and the draft seconds. Cost
    /// per call: one draft evaluation of 1 + guess tokens, an O(history ·
    /// maxN) lookup, and O(V) per q row used.
    private func draftChainWithLookup(_ model: any LanguageModel, lookup: NGramDrafter, shape: DraftShape,
                                      onEvent: (DecodingEvent) -> Void) throws -> (DraftTree, [Int], Double) {
        let clock = ContinuousClock()
        let begin = clock.now
        var builder = try DraftTreeBuilder(shape: shape, pMin: pMin)
        let backlog = draftBacklog.count
        let confidenceFromLogits = pMin > 0 && sampling.isGreedy
        ensureCapacity(&draftRows, rows: shape.maxNodeCount + 1)
        if confidenceFromLogits {  // one row per tree row, reusing last step's storage
            draftConfidence.removeAll(keepingCapacity: true)
            draftConfidence.append(contentsOf: repeatElement(0, count: shape.maxNodeCount + 1))
        }

        /// The lookup's guess of the `wanted` tokens after `drafted`, cut so that the call of
        /// `callTokens` + guess fits a batch and leaves the context room plain chain drafting needs.
        func guessing(_ drafted: [TokenID], wanted: Int, callTokens: Int, pendingSoFar: Int) -> [TokenID] {
            let room = min(model.maxBatch - callTokens,
                           model.contextLength - model.committedCount - pendingSoFar - callTokens - shape.depth)
            let depth = min(wanted, room)
            guard depth > 0 else { return [] }
            // The text so far is the history and the chain drawn: appended in place for
            // the lookup and taken off again (no copy of the history per call).
            history.append(contentsOf: drafted)
            defer { history.removeLast(drafted.count) }
            return lookup.draft(history: history, depth: depth)
        }

        // The latest call's guess: its tokens, their rows in `logits`, their pending indices.
        var guess = guessing([], wanted: shape.depth - 1, callTokens: backlog, pendingSoFar: 0)
        var logits = try model.evaluate(TokenBatch(chain: draftBacklog + guess), logits: guess.isEmpty ? .last : .all)
        var guessRow = guess.isEmpty ? 0 : backlog  // row of guess[0]'s q; the root's is the one before it
        var guessPending = 0  // pending index (beyond the backlog) of guess[0]
        var nextPending = guess.count  // the next call's first pending index
        var used = 0  // guessed tokens drawn so far in this call's guess
        var pending: [Int] = []  // node → pending index beyond the backlog, -1 if not evaluated
        var drafted: [TokenID] = []
        var guessed = Set<Int>()  // nodes whose token the guess had right

        /// Writes q after the chain so far (tree row `row`) from a row of the latest call's logits.
        func take(_ logitsRow: Int, asRow row: Int) {
            let parameters = draftParameters(for: shape, level: row)
            draftRows.withUnsafeMutableBufferPointer { out in
                Sampler.probabilities(
                    from: logits[row: logitsRow], parameters: parameters,
                    into: UnsafeMutableBufferPointer(rebasing: out[(row * vocabularySize)..<((row + 1) * vocabularySize)]))
            }
            if confidenceFromLogits { draftConfidence[row] = topProbability(logits[row: logitsRow]) }
        }
        take(guess.isEmpty ? 0 : backlog - 1, asRow: 0)

        var levelStart = clock.now
        while !builder.isComplete {
            let level = builder.levelsDrawn + 1
            let new = drawLevel(&builder, confidenceFromLogits: confidenceFromLogits)
            if let node = new.first {
                let token = builder.tree[node].token
                drafted.append(token)
                if used < guess.count, guess[used] == token {
                    // The guess was right: this node's KV and q are already computed.
                    guessed.insert(node)
                    pending.append(guessPending + used)
                    used += 1
                    if !builder.isComplete { take(guessRow + used - 1, asRow: node + 1) }
                } else if !builder.isComplete {
                    // One call: the drawn token, then a fresh guess of what follows it.
                    guess = guessing(drafted, wanted: shape.depth - builder.levelsDrawn - 1, callTokens: 1,
                                     pendingSoFar: backlog + nextPending)
                    let parent = node == 0 ? backlog - 1 : pending[node - 1] + backlog
                    let first = nextPending + backlog
                    logits = try model.extend(tokens: [token] + guess,
                                              parents: [parent] + guess.indices.map { first + $0 },
                                              logits: .all)
                    pending.append(nextPending)
                    guessPending = nextPending + 1
                    guessRow = 1
                    nextPending += 1 + guess.count
                    used = 0
                    take(0, asRow: node + 1)
                } else {
                    pending.append(-1)
                }
            }
            let now = clock.now
            let nodes = records(builder.tree, new).map { r in
                var r = r
                if guessed.contains(r.index) { r.guessed = true }
                return r
            }
            onEvent(.levelDrafted(step: stepIndex, level: level, nodes: nodes, seconds: (now - levelStart).seconds))
            levelStart = now
        }
        return (builder.tree, pending, (clock.now - begin).seconds)
    }

    /// Draws the builder's next level from the q rows in `draftRows` (row
    /// node + 1 for node, row 0 for the root); p-min reads `draftConfidence`
    /// when `confidenceFromLogits` (temperature 0, where q is cut to the top tokens).
    private func drawLevel(_ builder: inout DraftTreeBuilder, confidenceFromLogits: Bool) -> Range<Int> {
        let vocabularySize = self.vocabularySize
        let confidence = draftConfidence
        return draftRows.withUnsafeBufferPointer { q in
            builder.drawLevel(random: &random, confidence: confidenceFromLogits ? { confidence[$0 + 1] } : nil) { node in
                UnsafeBufferPointer(rebasing: q[((node + 1) * vocabularySize)..<((node + 2) * vocabularySize)])
            }
        }
    }

    /// Grows a dynamic tree (`DynamicTreeBuilder`): one draft-model call per
    /// level on that level's expanded candidates only (at most k), then the
    /// rerank. Cut candidates stay in the draft's pending tree but never reach
    /// the target. Sends one `levelDrafted` per level with its kept nodes
    /// (indices into the reranked tree) and its draft seconds, then
    /// `branchesCut`. Returns the tree, each node's index in the draft's
    /// pending tree (-1 if not evaluated) and the draft seconds.
    ///
    /// Path probabilities use the draft's q processed with the session's
    /// sampling parameters at T > 0 (the q every other method draws from) and,
    /// greedily, the untruncated softmax at temperature 1.
    private func draftDynamic(_ model: any LanguageModel, shape: DraftShape,
                              onEvent: (DecodingEvent) -> Void) throws -> (DraftTree, [Int], Double) {
        let clock = ContinuousClock()
        let begin = clock.now
        var builder = try DynamicTreeBuilder(shape: shape)
        let parameters = sampling.isGreedy ? SamplingParameters(temperature: 1, topK: 0, topP: 1) : sampling
        let backlog = draftBacklog.count
        // Rows of q by frontier position: row j is q at builder.frontier[j] (the root first).
        let rootLogits = try model.evaluate(TokenBatch(chain: draftBacklog), logits: .last)
        process(rootLogits, firstRow: 0, rows: 1, into: &draftRows, parameters: parameters)
        var pendingOfCandidate: [Int] = []  // candidate → pending index beyond the backlog, -1 if not evaluated
        var evaluatedCount = 0
        var levelSeconds: [Double] = []
        var levelStart = clock.now
        while !builder.isComplete {
            let frontier = builder.frontier
            let new = draftRows.withUnsafeBufferPointer { q in
                builder.expandLevel { node in
                    let row = frontier.firstIndex(of: node)!
                    return UnsafeBufferPointer(rebasing: q[(row * vocabularySize)..<((row + 1) * vocabularySize)])
                }
            }
            pendingOfCandidate += [Int](repeating: -1, count: new.count)
            let next = builder.frontier
            if !next.isEmpty {
                // The draft evaluates the candidates the next level hangs off, and only those.
                let candidates = builder.candidates
                let logits = try model.extend(
                    tokens: next.map { candidates[$0].token },
                    parents: next.map { candidates[$0].parent < 0 ? backlog - 1 : pendingOfCandidate[candidates[$0].parent] + backlog },
                    logits: .all)
                for (j, c) in next.enumerated() { pendingOfCandidate[c] = evaluatedCount + j }
                evaluatedCount += next.count
                processRows(logits, into: &draftRows, atRow: 0, parameters: parameters)
            }
            let now = clock.now
            levelSeconds.append((now - levelStart).seconds)
            levelStart = now
        }
        let drafted = builder.finish()
        let tree = drafted.tree
        for (level, seconds) in levelSeconds.enumerated() {
            let nodes = (0..<tree.count).filter { tree[$0].depth == level + 1 }
            onEvent(.levelDrafted(step: stepIndex, level: level + 1, nodes: nodes.map(record(tree)), seconds: seconds))
        }
        if !drafted.cut.isEmpty { onEvent(.branchesCut(step: stepIndex, branches: drafted.cut)) }
        let pending = drafted.candidateOfNode.map { pendingOfCandidate[$0] }
        return (tree, pending, (clock.now - begin).seconds)
    }

    /// Distinct continuations of the text's latest matches: up to the first
    /// level's branching (a dynamic tree's k), each `depth` long at most, and
    /// no more nodes than the shape holds.
    private func ngramTree(_ drafter: NGramDrafter, shape: DraftShape) -> DraftTree {
        let width = shape.method == .rsdS ? shape.maxNodeCount / max(1, shape.depth) : shape.branching.first ?? 1
        var tree = DraftTree()
        for continuation in drafter.continuations(history: history, depth: shape.depth, limit: max(1, width)) {
            var parent = -1
            // At most the shape's nodes (a dynamic tree's budget B can be below k·D).
            for token in continuation where tree.count < shape.maxNodeCount {
                parent = tree.append(token: token, parent: parent, draftProbability: 1)
            }
        }
        return tree
    }

    /// How q is processed at nodes of tree level `level` (0 = the root).
    /// At temperature 0 the target is verified greedily, which is exact
    /// whatever the tree; the draft then proposes its most likely tokens: q at
    /// temperature 1 restricted to as many top tokens as the level has
    /// children per node (the beam width for rsd-s), so sampling without
    /// replacement takes exactly the draft's top tokens.
    private func draftParameters(for shape: DraftShape, level: Int) -> SamplingParameters {
        guard sampling.isGreedy else { return sampling }
        let children: Int
        if case let .rsdS(width, _) = shape { children = width } else { children = shape.branching[min(level, shape.branching.count - 1)] }
        return SamplingParameters(temperature: 1, topK: max(1, children), topP: 1)
    }

    // MARK: - Helpers

    /// The largest probability of softmax(logits) at temperature 1: 1 / Σ exp(l − max),
    /// through the sampler's vectorised softmax passes (`scratch` takes the
    /// exponentials). Cost: O(V).
    private func topProbability(_ logits: UnsafeBufferPointer<Float>) -> Double {
        if confidenceScratch.count < logits.count { confidenceScratch = [Float](repeating: 0, count: logits.count) }
        return confidenceScratch.withUnsafeMutableBufferPointer { y in
            1 / Sampler.exponentialSum(logits, into: UnsafeMutableBufferPointer(rebasing: y[0..<logits.count]))
        }
    }

    private func process(_ logits: LogitsView, firstRow: Int, rows: Int, into buffer: inout [Float],
                         parameters: SamplingParameters) {
        ensureCapacity(&buffer, rows: rows)
        buffer.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                Sampler.probabilities(
                    from: logits[row: firstRow + r], parameters: parameters,
                    into: UnsafeMutableBufferPointer(rebasing: out[(r * vocabularySize)..<((r + 1) * vocabularySize)]))
            }
        }
    }

    private func processRows(_ logits: LogitsView, into buffer: inout [Float], atRow start: Int,
                             parameters: SamplingParameters) {
        ensureCapacity(&buffer, rows: start + logits.rows)
        buffer.withUnsafeMutableBufferPointer { out in
            for r in 0..<logits.rows {
                let row = start + r
                Sampler.probabilities(
                    from: logits[row: r], parameters: parameters,
                    into: UnsafeMutableBufferPointer(rebasing: out[(row * vocabularySize)..<((row + 1) * vocabularySize)]))
            }
        }
    }

    private func ensureCapacity(_ buffer: inout [Float], rows: Int) {
        if buffer.count < rows * vocabularySize {
            buffer += [Float](repeating: 0, count: rows * vocabularySize - buffer.count)
        }
    }

    private func records(_ tree: DraftTree, _ range: Range<Int>) -> [DraftNodeRecord] {
        range.map(record(tree))
    }

    private func record(_ tree: DraftTree) -> (Int) -> DraftNodeRecord {
        { DraftNodeRecord(index: $0, token: tree[$0].token, parent: tree[$0].parent, depth: tree[$0].depth,
                          draftProbability: tree[$0].draftProbability) }
    }

    private func describe(_ shape: DraftShape) -> String {
        "\(shape.label) T=\(sampling.temperature)" + (verifier == .token ? "" : " \(verifier.rawValue)")
            + (pMin > 0 && shape.method != .rsdS && shape.method != .dynamic ? " p-min=\(pMin)" : "")
    }
}
