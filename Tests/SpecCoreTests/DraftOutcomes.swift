import SpecCore

/// Every tree a drafting method can produce in a `TinyWorld`, with its exact
/// probability, laid out exactly as `DraftTreeBuilder` lays it out (level by
/// level, frontier order, siblings in sampling order).
enum DraftOutcomes {
    /// - Parameters:
    ///   - pMin: a frontier node whose largest q is below it grows no children (`DraftTreeBuilder.pMin`).
    ///   - dropsLowDrawn: the unsound variant: draw the children, then drop each one whose own q is below `pMin`.
    static func all(_ shape: DraftShape, world: TinyWorld, context: [TokenID] = [], pMin: Double = 0,
                    dropsLowDrawn: Bool = false) -> [(tree: DraftTree, probability: Double)] {
        switch shape {
        case .dynamic:
            // No randomness: the one tree the builder makes from q.
            return [(world.dynamicDraft(shape, context: context).tree, 1)]
        case let .rsdS(width, depth):
            return beamSearch(width: width, depth: depth, world: world, context: context)
        case .chain, .specInfer, .rsdC:
            var results: [(tree: DraftTree, probability: Double)] = []
            let branching = shape.branching
            let withReplacement = !shape.method.drawsWithoutReplacement

            func expandLevel(_ tree: DraftTree, _ probability: Double, frontier: [Int], level: Int) {
                if level == branching.count || frontier.isEmpty {
                    results.append((tree, probability))
                    return
                }
                expandNode(tree, probability, frontier: frontier, index: 0, added: [], level: level)
            }
            func expandNode(_ tree: DraftTree, _ probability: Double, frontier: [Int], index: Int, added: [Int], level: Int) {
                if index == frontier.count {
                    expandLevel(tree, probability, frontier: added, level: level + 1)
                    return
                }
                let parent = frontier[index]
                let q = world.draft(context + tree.tokens(to: parent))
                if !dropsLowDrawn, pMin > 0, (q.max() ?? 0) < pMin {
                    expandNode(tree, probability, frontier: frontier, index: index + 1, added: added, level: level)
                    return
                }
                let outcomes = withReplacement
                    ? orderedWithReplacement(q, count: branching[level])
                    : orderedWithoutReplacement(q, count: branching[level])
                for (children, weight) in outcomes {
                    var t = tree
                    var newNodes = added
                    for c in children where !(dropsLowDrawn && q[c] < pMin) {
                        newNodes.append(t.append(token: TokenID(c), parent: parent, draftProbability: q[c]))
                    }
                    expandNode(t, probability * weight, frontier: frontier, index: index + 1, added: newNodes, level: level)
                }
            }
            expandLevel(DraftTree(), 1, frontier: [-1], level: 0)
            return results
        }
    }

    /// Every ordered `count`-tuple of i.i.d. draws from q, with its probability.
    static func orderedWithReplacement(_ q: [Double], count: Int) -> [([Int], Double)] {
        var results: [([Int], Double)] = [([], 1)]
        for _ in 0..<count {
            results = results.flatMap { tuple, weight in
                q.indices.filter { q[$0] > 0 }.map { (tuple + [$0], weight * q[$0]) }
            }
        }
        return results
    }

    /// Every ordered sample without replacement of min(count, #{q > 0}) tokens
    /// (sequential sampling: each next token ∝ q over the tokens not yet drawn).
    static func orderedWithoutReplacement(_ q: [Double], count: Int) -> [([Int], Double)] {
        let k = min(count, q.filter { $0 > 0 }.count)
        var results: [([Int], Double)] = [([], 1)]
        for _ in 0..<k {
            results = results.flatMap { tuple, weight in
                let rest = q.indices.filter { q[$0] > 0 && !tuple.contains($0) }
                let mass = rest.reduce(0) { $0 + q[$1] }
                return rest.map { (tuple + [$0], weight * q[$0] / mass) }
            }
        }
        return results
    }

    /// Stochastic beam search, exactly: its kept sequences at level ℓ are the
    /// top `width` length-ℓ prefixes ranked by the largest Gumbel-perturbed
    /// log-probability among their length-L completions (Kool et al. 2019), so
    /// the tree is a function of the Plackett–Luce ranking of all length-L
    /// sequences under q: level ℓ holds the first `width` distinct length-ℓ
    /// prefixes in ranking order. Enumerates ranking prefixes until every
    /// level is decided.
    static func beamSearch(width: Int, depth: Int, world: TinyWorld, context: [TokenID]) -> [(tree: DraftTree, probability: Double)] {
        var sequences: [([TokenID], Double)] = [([], 1)]
        for _ in 0..<depth {
            sequences = sequences.flatMap { s, w in
                let q = world.draft(context + s)
                return q.indices.filter { q[$0] > 0 }.map { (s + [TokenID($0)], w * q[$0]) }
            }
        }
        let needed = (1...depth).map { level in
            min(width, Set(sequences.map { Array($0.0.prefix(level)) }).count)
        }
        func keptPrefixes(_ drawn: [Int], level: Int) -> [[TokenID]] {
            var seen: [[TokenID]] = []
            for s in drawn {
                let prefix = Array(sequences[s].0.prefix(level))
                if !seen.contains(prefix) { seen.append(prefix) }
                if seen.count == width { break }
            }
            return seen
        }
        var results: [(tree: DraftTree, probability: Double)] = []
        func rank(_ drawn: [Int], _ probability: Double) {
            if (1...depth).allSatisfy({ keptPrefixes(drawn, level: $0).count >= needed[$0 - 1] }) {
                results.append((tree(drawn), probability))
                return
            }
            let rest = sequences.indices.filter { !drawn.contains($0) }
            let mass = rest.reduce(0) { $0 + sequences[$1].1 }
            for s in rest { rank(drawn + [s], probability * sequences[s].1 / mass) }
        }
        func tree(_ drawn: [Int]) -> DraftTree {
            var tree = DraftTree()
            var previous: [([TokenID], Int)] = [([], -1)]  // kept prefixes of the last level with their nodes
            for level in 1...depth {
                let kept = keptPrefixes(drawn, level: level)
                var current: [([TokenID], Int)] = []
                for (parentPrefix, parentNode) in previous {
                    for prefix in kept where Array(prefix.dropLast()) == parentPrefix {
                        let q = world.draft(context + parentPrefix)
                        let node = tree.append(token: prefix.last!, parent: parentNode, draftProbability: q[Int(prefix.last!)])
                        current.append((prefix, node))
                    }
                }
                previous = current
            }
            return tree
        }
        rank([], 1)
        return results
    }
}
