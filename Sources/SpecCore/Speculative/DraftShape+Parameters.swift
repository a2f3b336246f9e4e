/// The one rule between a `DraftShape` and the numbers users give for it
/// (method, width, depth, branching, budget), shared by the live settings,
/// a tune's suggestion and the command line.
extension DraftShape {
    /// The shape these parameters describe, checked against the vocabulary.
    ///
    /// - A `budget` wins: the largest shape of `method` with at most that many
    ///   nodes over at most `depth` levels (`largest(_:budget:depth:vocabularySize:)`).
    /// - A dynamic tree keeps `width` (its top-k) and `depth` (its most levels)
    ///   and takes the budget given, or `width · depth` without one.
    /// - Else a chain is `depth` long; rsd-s keeps `width` beams over `depth` levels;
    ///   specinfer and rsd-c branch by `branching` when given, else `width` at the
    ///   first level and 1 below it.
    /// - Throws: `SettingsError` naming the impossible value.
    /// - Complexity: O(depth), or `largest`'s small search with a budget.
    public init(method: DraftMethod, width: Int, depth: Int, branching: [Int]? = nil, budget: Int? = nil,
                vocabularySize: Int? = nil) throws(SettingsError) {
        if method == .dynamic {
            self = .dynamic(budget: budget ?? Self.defaultDynamicBudget(width: width, depth: depth), width: width, depth: depth)
        } else if let budget {
            self = try .largest(method, budget: budget, depth: depth, vocabularySize: vocabularySize)
        } else {
            let levels = branching.flatMap { $0.isEmpty ? nil : $0 } ?? [width] + [Int](repeating: 1, count: max(0, depth - 1))
            switch method {
            case .chain: self = .chain(depth: depth)
            case .rsdS: self = .rsdS(width: width, depth: depth)
            case .specInfer: self = .specInfer(branching: levels)
            case .rsdC: self = .rsdC(branching: levels)
            case .dynamic: preconditionFailure("handled above")
            }
        }
        try validate(vocabularySize: vocabularySize)
    }

    /// Beams for rsd-s, first-level branching for specinfer and rsd-c, 1 for a chain:
    /// the `width` that `init(method:width:depth:…)` takes back.
    public var width: Int {
        switch self {
        case .chain: 1
        case let .rsdS(width, _), let .dynamic(_, width, _): width
        case let .specInfer(branching), let .rsdC(branching): branching.first ?? 1
        }
    }

    /// The branching vector when it is not `width` then ones (so that it must be
    /// given explicitly), nil otherwise and for a chain or rsd-s.
    public var explicitBranching: [Int]? {
        switch self {
        case .chain, .rsdS, .dynamic: nil
        case let .specInfer(branching), let .rsdC(branching): branching.dropFirst().allSatisfy { $0 == 1 } ? nil : branching
        }
    }

    /// A dynamic tree's budget when none is given: `width · depth` (what a
    /// beam of `width` over `depth` levels would verify), saturating.
    public static func defaultDynamicBudget(width: Int, depth: Int) -> Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: depth)
        return overflow ? .max : product
    }

    /// The node budget of a dynamic tree; nil for the other methods (whose
    /// shape a budget only chooses).
    public var dynamicBudget: Int? {
        if case let .dynamic(budget, _, _) = self { budget } else { nil }
    }
}
