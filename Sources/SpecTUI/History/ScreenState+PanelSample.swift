import SpecCore

/// The sample screen with the history graphs and the verifier comparison
/// full (300 steps each, a settings change half way), for the frame
/// benchmark and demos.
extension ScreenState {
    /// `sample(nodes:)` with both panels shown and populated.
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
        return state
    }
}
