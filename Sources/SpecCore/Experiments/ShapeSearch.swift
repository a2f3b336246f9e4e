/// Finds the draft tree with the best predicted tokens/s within a target
/// budget (tree nodes per target call), by enumerating shapes and scoring
/// each with `TreeThroughputModel`. Pure: no model is run.
///
/// Candidates, each with at most `budget` nodes and `maxDepth` levels:
/// - `chain`: depth 1 … maxDepth.
/// - `rsdC`: every non-increasing branching vector (b1 ≥ … ≥ bL ≥ 1, b1 ≥ 2;
///   all ones is the chain): wider near the root, where acceptance is likeliest.
/// - `rsdS`: every W ≥ 2, L ≥ 2 with W·L ≤ budget (L = 1 is rsd-c with b1 = W).
/// `specInfer` is not searched: its siblings are drawn with replacement and can
/// repeat, so a without-replacement rank profile overstates it; rsd-c with the
/// same branching is what the RSD paper finds at least as good.
public enum ShapeSearch {
    /// The candidate shapes of `methods`, in a fixed order.
    /// - Throws: `SettingsError` when the budget or depth is below 1 or no method is searchable.
    /// - Complexity: the number of non-increasing vectors with ≤ budget nodes (hundreds for budget 64, depth 8).
    public static func candidates(methods: [DraftMethod], budget: Int, maxDepth: Int) throws(SettingsError) -> [DraftShape] {
        guard budget >= 1 else { throw SettingsError("budget must be ≥ 1 tree token, got \(budget): no tree fits") }
        guard maxDepth >= 1 else { throw SettingsError("the maximum depth must be ≥ 1, got \(maxDepth)") }
        let searchable = methods.filter { $0 != .specInfer }
        guard !searchable.isEmpty else {
            throw SettingsError("no searchable method: the search covers chain, rsd-c and rsd-s (specinfer's repeated siblings need their own profile)")
        }
        var shapes: [DraftShape] = []
        if searchable.contains(.chain) {
            shapes += (1...min(maxDepth, budget)).map { DraftShape.chain(depth: $0) }
        }
        if searchable.contains(.rsdC) {
            var current: [Int] = []
            func extend(product: Int, nodes: Int, limit: Int) {
                if !current.isEmpty, current[0] >= 2 { shapes.append(.rsdC(branching: current)) }
                guard current.count < maxDepth else { return }
                var b = limit
                while b >= 1 {
                    if nodes + product * b <= budget {
                        current.append(b)
                        extend(product: product * b, nodes: nodes + product * b, limit: b)
                        current.removeLast()
                    }
                    b -= 1
                }
            }
            extend(product: 1, nodes: 0, limit: budget)
        }
        if searchable.contains(.rsdS), budget >= 4, maxDepth >= 2 {
            for depth in 2...min(maxDepth, budget / 2) {
                for width in 2...(budget / depth) { shapes.append(.rsdS(width: width, depth: depth)) }
            }
        }
        return shapes
    }

    /// Every candidate with its prediction, best predicted tokens/s first
    /// (ties: fewer nodes first, then the candidates' order).
    public static func rank(_ shapes: [DraftShape], profile: AcceptanceProfile, cost: StepCostModel) -> [ShapePrediction] {
        let predictions = shapes.map { TreeThroughputModel.predict($0, profile: profile, cost: cost) }
        return predictions.indices.sorted { i, j in
            let a = predictions[i], b = predictions[j]
            if a.tokensPerSecond != b.tokensPerSecond { return a.tokensPerSecond > b.tokensPerSecond }
            if a.shape.maxNodeCount != b.shape.maxNodeCount { return a.shape.maxNodeCount < b.shape.maxNodeCount }
            return i < j
        }.map { predictions[$0] }
    }

    /// `candidates` then `rank`: the best shape is the first.
    public static func search(methods: [DraftMethod], budget: Int, maxDepth: Int,
                              profile: AcceptanceProfile, cost: StepCostModel) throws(SettingsError) -> [ShapePrediction] {
        rank(try candidates(methods: methods, budget: budget, maxDepth: maxDepth), profile: profile, cost: cost)
    }
}
