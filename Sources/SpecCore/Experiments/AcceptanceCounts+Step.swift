extension AcceptanceCounts {
    /// How sibling ranks are read off one step's verification.
    public enum RankOrder: Sendable {
        /// The order siblings were tried in (the decisions' `round`): right
        /// for rejection sampling, where trying the first b of a
        /// without-replacement sample is the same as drawing b.
        case tryOrder
        /// The siblings' order by draft probability, highest first: right for
        /// greedy verification of a top-k draft, where a narrower tree keeps
        /// exactly the most likely siblings. Greedy acceptance means "this
        /// token is the target's argmax", so when the rank-r* sibling is
        /// accepted the more likely siblings count as rejected (even if never
        /// tried) and the less likely ones as untested; when none is
        /// accepted every sibling counts as rejected.
        case draftProbability
    }

    /// Records one step's decisions. `nodes` are the step's drafted nodes
    /// (from `DecodingEvent.levelDrafted`), `decisions` its verification
    /// decisions in order.
    /// - Complexity: O(nodes + decisions · log siblings).
    public mutating func recordStep(nodes: [DraftNodeRecord], decisions: [VerificationDecision], order: RankOrder) {
        var depthOf: [Int: Int] = [:]
        var parentOf: [Int: Int] = [:]
        var children: [Int: [DraftNodeRecord]] = [:]
        for node in nodes {
            depthOf[node.index] = node.depth
            parentOf[node.index] = node.parent
            children[node.parent, default: []].append(node)
        }
        switch order {
        case .tryOrder:
            for decision in decisions {
                guard let depth = depthOf[decision.node] else { continue }
                record(depth: depth, rank: decision.round, accepted: decision.accepted)
            }
        case .draftProbability:
            // Parents whose children were tested, in order; the accepted child of each, if any.
            var tested: [Int] = []
            var acceptedChild: [Int: Int] = [:]
            for decision in decisions {
                guard let parent = parentOf[decision.node] else { continue }
                if !tested.contains(parent) { tested.append(parent) }
                if decision.accepted { acceptedChild[parent] = decision.node }
            }
            for parent in tested {
                let siblings = (children[parent] ?? []).enumerated()
                    .sorted { $0.element.draftProbability != $1.element.draftProbability
                        ? $0.element.draftProbability > $1.element.draftProbability : $0.offset < $1.offset }
                    .map(\.element)
                guard let depth = siblings.first?.depth else { continue }
                if let accepted = acceptedChild[parent], let r = siblings.firstIndex(where: { $0.index == accepted }) {
                    for rank in 0..<r { record(depth: depth, rank: rank, accepted: false) }
                    record(depth: depth, rank: r, accepted: true)
                } else {
                    for rank in siblings.indices { record(depth: depth, rank: rank, accepted: false) }
                }
            }
        }
    }
}
