/// The shape of a draft tree for one drafting method: how deep and how wide.
///
/// `maxNodeCount` is the most nodes (the root excluded) the tree can have,
/// which is what the target verifies per call beyond the root token; a tree
/// can come out smaller when q has fewer non-zero tokens than asked for.
public enum DraftShape: Sendable, Equatable, Hashable {
    /// One child per node, `depth` levels.
    case chain(depth: Int)
    /// `branching[ℓ]` children drawn i.i.d. (with replacement) at every node of level ℓ.
    case specInfer(branching: [Int])
    /// `branching[ℓ]` children drawn without replacement (Gumbel-Top-k) at every node of level ℓ.
    case rsdC(branching: [Int])
    /// Stochastic beam search keeping `width` sequences per level, `depth` levels.
    case rsdS(width: Int, depth: Int)
    /// EAGLE-2's dynamic tree (`DynamicTreeBuilder`): up to `depth` levels,
    /// each expanding the `width` newest nodes of highest path probability by
    /// their top-`width` draft tokens, then reranked to the `budget` nodes of
    /// highest path probability.
    case dynamic(budget: Int, width: Int, depth: Int)

    /// The width `largest(.dynamic, …)` gives a dynamic tree (capped at the budget).
    public static let defaultDynamicWidth = 4

    public var method: DraftMethod {
        switch self {
        case .chain: .chain
        case .specInfer: .specInfer
        case .rsdC: .rsdC
        case .rsdS: .rsdS
        case .dynamic: .dynamic
        }
    }

    /// Number of levels L.
    public var depth: Int {
        switch self {
        case let .chain(depth), let .rsdS(_, depth), let .dynamic(_, _, depth): depth
        case let .specInfer(branching), let .rsdC(branching): branching.count
        }
    }

    /// The branching vector (b1 … bL): ones for a chain; for stochastic beam
    /// search, `width` at the first level and then up to `width` per beam; for a
    /// dynamic tree, the most children a node can have (`width`) at every level.
    public var branching: [Int] {
        switch self {
        case let .chain(depth): [Int](repeating: 1, count: max(depth, 0))
        case let .specInfer(branching), let .rsdC(branching): branching
        case let .rsdS(width, depth), let .dynamic(_, width, depth): [Int](repeating: width, count: max(depth, 0))
        }
    }

    /// Most nodes the tree can hold, root excluded: L for a chain,
    /// b1 + b1·b2 + … + b1⋯bL for branching shapes, W·L for beam search,
    /// min(B, k + (D − 1)·k²) for a dynamic tree (the budget, unless the
    /// construction cannot draft that many).
    public var maxNodeCount: Int {
        switch self {
        case let .chain(depth): return depth
        case let .rsdS(width, depth): return width * depth
        case let .specInfer(branching), let .rsdC(branching): return Self.nodeCount(branching)
        case let .dynamic(budget, width, depth): return min(budget, Self.dynamicCandidateCount(width: width, depth: depth))
        }
    }

    /// Candidates a dynamic construction drafts at most: k at the first level,
    /// k² at each later one (k expanded nodes × k children); saturates instead of overflowing.
    static func dynamicCandidateCount(width: Int, depth: Int) -> Int {
        guard width >= 1, depth >= 1 else { return 0 }
        let (square, o1) = width.multipliedReportingOverflow(by: width)
        let (later, o2) = square.multipliedReportingOverflow(by: depth - 1)
        let (total, o3) = later.addingReportingOverflow(width)
        return o1 || o2 || o3 ? .max : total
    }

    /// Checks the shape, with a message that says what is wrong.
    /// - Parameter vocabularySize: when given, without-replacement methods may
    ///   not ask for more distinct siblings (or beams) than there are tokens.
    public func validate(vocabularySize: Int? = nil) throws(SettingsError) {
        let name = method.rawValue
        guard depth >= 1 else { throw SettingsError("\(name): depth must be ≥ 1, got \(depth)") }
        switch self {
        case .chain:
            break
        case let .specInfer(branching), let .rsdC(branching):
            for (level, b) in branching.enumerated() where b < 1 {
                throw SettingsError("\(name): branching at level \(level + 1) must be ≥ 1, got \(b)")
            }
            if method.drawsWithoutReplacement, let v = vocabularySize, let b = branching.first(where: { $0 > v }) {
                throw SettingsError("\(name): branching \(b) exceeds the vocabulary of \(v) tokens; siblings are distinct tokens")
            }
        case let .dynamic(budget, width, _):
            guard budget >= 1 else { throw SettingsError("\(name): budget must be ≥ 1 node, got \(budget)") }
            guard width >= 1 else { throw SettingsError("\(name): width must be ≥ 1, got \(width)") }
            if let v = vocabularySize, width > v {
                throw SettingsError("\(name): width \(width) exceeds the vocabulary of \(v) tokens; a node's top-k are distinct tokens")
            }
        case let .rsdS(width, _):
            guard width >= 1 else { throw SettingsError("\(name): width must be ≥ 1, got \(width)") }
            if let v = vocabularySize, width > v {
                throw SettingsError("\(name): width \(width) exceeds the vocabulary of \(v) tokens; the first level could never fill")
            }
        }
    }

    /// The largest shape of `method`'s kind whose tree has at most `budget`
    /// nodes (the target compute budget per call, root excluded).
    ///
    /// The rule per method:
    /// - `chain`: depth = budget (`depth` is ignored: for a chain the budget *is* the depth).
    /// - `rsdS`: L = min(depth, budget) levels, width W = ⌊budget / L⌋ (so W·L ≤ budget),
    ///   capped at the vocabulary size when given.
    /// - `specInfer`, `rsdC`: L = min(depth, budget) levels and, among
    ///   non-increasing branching vectors (wider near the root, where acceptance
    ///   is likeliest), the one with the most nodes ≤ budget; ties go to the
    ///   lexicographically largest (widest root). `rsdC` caps each bℓ at the
    ///   vocabulary size when given. E.g. budget 10, depth 3 → (2, 2, 1).
    /// - `dynamic`: the budget itself, over `depth` levels, with top-k width
    ///   `defaultDynamicWidth` capped at the budget and the vocabulary.
    /// - Throws: `SettingsError` when the budget or depth is below 1.
    /// - Complexity: a search over non-increasing vectors, tiny for budgets ≤ a few hundred.
    public static func largest(
        _ method: DraftMethod, budget: Int, depth: Int, vocabularySize: Int? = nil
    ) throws(SettingsError) -> DraftShape {
        guard budget >= 1 else { throw SettingsError("\(method.rawValue): budget must be ≥ 1 node, got \(budget)") }
        if method == .chain { return .chain(depth: budget) }
        guard depth >= 1 else { throw SettingsError("\(method.rawValue): depth must be ≥ 1, got \(depth)") }
        if method == .dynamic {
            return .dynamic(budget: budget, width: max(1, min(defaultDynamicWidth, budget, vocabularySize ?? budget)), depth: depth)
        }
        let levels = min(depth, budget)
        if method == .rsdS { return .rsdS(width: min(budget / levels, vocabularySize ?? budget), depth: levels) }
        let cap = (method == .rsdC ? vocabularySize : nil) ?? budget
        let branching = bestBranching(levels: levels, budget: budget, cap: cap)
        return method == .rsdC ? .rsdC(branching: branching) : .specInfer(branching: branching)
    }

    /// b1 + b1·b2 + … + b1⋯bL.
    static func nodeCount(_ branching: [Int]) -> Int {
        var product = 1, total = 0
        for b in branching {
            product *= b
            total += product
        }
        return total
    }

    /// Depth-first search over non-increasing vectors of `levels` entries in
    /// 1…cap, largest first, keeping the first one with the most nodes ≤ budget.
    private static func bestBranching(levels: Int, budget: Int, cap: Int) -> [Int] {
        var best = [Int](repeating: 1, count: levels)
        var bestCount = levels
        var current: [Int] = []
        func search(product: Int, count: Int, limit: Int) {
            let remaining = levels - current.count
            if remaining == 0 {
                if count > bestCount { bestCount = count; best = current }
                return
            }
            var b = limit
            while b >= 1 {
                let next = product * b
                // The rest of the levels add at least `next` each (branching 1).
                if count + next * remaining <= budget {
                    current.append(b)
                    search(product: next, count: count + next, limit: b)
                    current.removeLast()
                }
                b -= 1
            }
        }
        search(product: 1, count: 0, limit: max(1, min(cap, budget)))
        return best
    }
}
