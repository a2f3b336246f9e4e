/// A made-up but realistic screen state, for the frame benchmark, demos and
/// tests: a draft tree of `nodes` nodes (an accepted path ending in a
/// resampled token, rejected siblings, unreached pending subtrees), some
/// hundreds of tokens of text, latency and acceptance figures.
extension ScreenState {
    /// Builds the sample deterministically (same arguments, same state).
    /// - Complexity: O(nodes + textTokens).
    public static func sample(nodes: Int = 64, textTokens: Int = 400, step: Int = 41) -> ScreenState {
        let words = [" the", " little", " fox", " girl", " old", " river", " and", " who", " lived", " near",
                     " every", " morning", ",", ".", " a", " time", " there", " was", "\n", " 狐", " 🦊", " ran"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        // A tree built level by level with up to four children per node.
        var tree = TreeState(step: step)
        var frontier: [Int?] = [nil]
        var pathNode: Int? = nil
        var depth = 0
        while tree.nodes.count < nodes, !frontier.isEmpty {
            depth += 1
            var nextFrontier: [Int?] = []
            for parent in frontier {
                let children = parent == nil ? 1 : 4 - min(3, depth / 2)
                for k in 0..<children where tree.nodes.count < nodes {
                    let onPath = parent == pathNode && k == 0 && depth <= 4
                    let parentReached = parent == nil || tree.nodes[parent!].onAcceptedPath
                    let state: NodeState = onPath ? (depth == 4 ? .resampled : .accepted)
                        : parentReached ? .rejected : .pending
                    let q = 0.05 + Double(next(90)) / 100
                    let i = tree.add(words[next(words.count)], parent: parent, q: q,
                                     p: state == .pending ? nil : 0.02 + Double(next(95)) / 100,
                                     state: state, onAcceptedPath: onPath)
                    if onPath { pathNode = i }
                    nextFrontier.append(i)
                }
            }
            frontier = nextFrontier
        }
        var text = TextState()
        text.append("Once upon a time,", .prompt, step: 0)
        for t in 0..<textTokens {
            let provenance: Provenance = t % 7 == 6 ? .resampled : t % 11 == 10 ? .bonus : .draftAccepted
            text.append(words[next(words.count)], provenance, step: 1 + t / 3)
        }
        let latency = LatencyState(
            steps: (0..<40).map { _ in StepLatency(draftMs: 8 + Double(next(60)) / 10, verifyMs: 28 + Double(next(120)) / 10, otherMs: 2 + Double(next(20)) / 10) },
            tokensPerSecond: 23.4, baselineTokensPerSecond: 12.7, measuredSpeedup: 1.84, predictedSpeedup: 2.1)
        let acceptance = AcceptanceState(rateByDepth: [0.82, 0.66, 0.51, 0.40, 0.28], blockEfficiency: 2.9,
                                         acceptedLengthHistogram: [3, 9, 14, 8, 4, 1], predictedSpeedup: 2.1)
        return ScreenState(
            header: HeaderState(target: "SmolLM2-135M (target)", draft: "self-draft 8/30 layers", method: "RSD-S W=4 L=5",
                                temperature: 0.8, mode: .running, theme: "default"),
            tree: tree, text: text, latency: latency, acceptance: acceptance)
    }
}
