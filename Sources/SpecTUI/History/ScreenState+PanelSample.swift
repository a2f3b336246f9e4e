import SpecCore

/// The sample screen with the history graphs and the verifier comparison
/// full (300 steps each, a settings change half way) and a rejected decision
/// with its distributions (top 8 of p, q, the residual and q′), for the
/// frame benchmark and demos.
extension ScreenState {
    /// `sample(nodes:)` with both panels shown and populated, and the decision pane.
    /// - Complexity: O(nodes + steps).
    public static func sampleWithPanels(nodes: Int = 64, steps: Int = HistoryState.defaultCapacity) -> ScreenState {
        var state = sample(nodes: nodes)
        state.options.showHistory = true
        state.options.showComparison = true
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let words = [" the", " little", " fox", " girl", " old", " river", " and", " who"]
        for k in 1...steps {
            let depth = k <= steps / 2 ? 5 : 4
            let last = k == steps  // the step on screen: traversal goes one token further
            let accepted = last ? 2 : min(depth, next(depth + 1) + (next(3) == 0 ? 0 : 1))
            let tested = min(depth, accepted + 1)
            state.history.append(HistorySample(
                step: k, emitted: accepted + 1, seconds: 0.04 + Double(next(40)) / 1000, baselineTokensPerSecond: 12.7,
                acceptedLength: accepted, deepestTested: tested, treeDepth: depth, settingsChanged: k == steps / 2 + 1))
            if k == steps / 2 + 1 { state.comparison.markChange() }
            // Engine node ids 0… along a path; traversal keeps one more now and then.
            let tokenPath = Array(0..<accepted)
            let traversalPath = (last || next(4) == 0) && accepted < depth ? tokenPath + [accepted] : tokenPath
            state.comparison.record(VerifierComparison(verifier: .traversal, tokenPath: tokenPath, blockPath: nil,
                                                       traversalPath: traversalPath),
                                    step: k) { words[$0 % words.count] }
        }
        state.decision = sampleDecision(words)
        return state
    }

    /// A rejected first sibling under recursive rejection sampling, with 8
    /// entries in each of p, q, the residual and q′.
    static func sampleDecision(_ words: [String]) -> DecisionState? {
        func top(_ first: TokenID, _ weights: [Double]) -> TopEntries {
            let total = weights.reduce(0, +)
            return TopEntries(tokens: weights.indices.map { first + TokenID($0) }, probabilities: weights.map { $0 / total })
        }
        let decision = VerificationDecision(
            node: 0, token: 1, round: 0, targetProbability: 0.12, draftProbability: 0.46,
            acceptanceProbability: 0.26, uniform: 0.71, accepted: false, residualMass: 0.38,
            distributions: DecisionDistributions(
                target: top(0, [30, 12, 11, 9, 8, 6, 5, 4]), draft: top(1, [46, 20, 9, 7, 5, 4, 3, 2]),
                residual: top(0, [40, 18, 12, 9, 8, 6, 4, 3]), updatedDraft: top(2, [37, 17, 13, 9, 7, 6, 4, 3]),
                draftRenormalised: false))
        var state = DecisionState(node: 0, token: words[1], depth: 1, p: 0.12, q: 0.46, u: 0.71, verdict: .rejected)
        state.residualMass = 0.38
        state.acceptance = 0.26
        state.distributions = DistributionState.decision(decision) { words[Int($0) % words.count] }
        return state
    }
}
