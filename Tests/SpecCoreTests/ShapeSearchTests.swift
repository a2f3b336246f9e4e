import SpecCore
import Testing

/// The shape search on a synthetic cost model and acceptance profile whose
/// optimum is worked out by hand below.
@Suite struct ShapeSearchTests {
    /// a_{d,r}: depth 1 ranks 0–2, depth 2 ranks 0–1, depth 3 rank 0.
    static let profile = AcceptanceProfile(rates: [[0.6, 0.5, 0.2], [0.5, 0.4], [0.3]])

    /// V(n) = 10 + 0.5·n ms, D(w) = 0.5 + 0.25·w ms, no overhead.
    static let cost = StepCostModel(
        verifyCall: PiecewiseLinear(points: [(1, 10.5e-3), (64, 42e-3)]),
        draftCall: PiecewiseLinear(points: [(1, 0.75e-3), (64, 16.5e-3)]))

    // By hand. P_d(b) = 1 − Π_{r<b}(1 − a_{d,r}); rank 3 at depth 1 is measured nowhere → 0;
    // rank 1 at depth 3 falls back to depth 2's 0.4.
    //   P1(1) = 0.6, P1(2) = 1 − 0.4·0.5 = 0.8, P1(3) = 1 − 0.4·0.5·0.8 = 0.84, P1(4) = 0.84
    //   P2(1) = 0.5, P3(1) = 0.3
    // Budget 4, depth ≤ 3; step = D(1) + Σ_{levels but last} D(n_ℓ) + V(N + 1):
    //   chain L=1   E = 1.6                 step = 0.75 + 11.0          = 11.75 ms → 136.17 tokens/s
    //   chain L=2   E = 1 + .6 + .3 = 1.9   step = 0.75 + 0.75 + 11.5   = 13.00 ms → 146.15
    //   chain L=3   E = 1.9 + .09 = 1.99    step = 3 · 0.75 + 12.0      = 14.25 ms → 139.65
    //   rsd-c 2     E = 1.8                 step = 0.75 + 11.5          = 12.25 ms → 146.94
    //   rsd-c 3     E = 1.84                step = 0.75 + 12.0          = 12.75 ms → 144.31
    //   rsd-c 4     E = 1.84                step = 0.75 + 12.5          = 13.25 ms → 138.87
    //   rsd-c 2,1   E = 1 + .8 + .4 = 2.2   step = 0.75 + 1.0 + 12.5    = 14.25 ms → 154.39  ← best
    //   rsd-s W=2 L=2 (b = 2, ⌈2/2⌉ = 1): the same tree sizes and E → 154.39, tied, listed after rsd-c
    static let byHand: [(DraftShape, expected: Double, stepMs: Double)] = [
        (.chain(depth: 1), 1.6, 11.75), (.chain(depth: 2), 1.9, 13.0), (.chain(depth: 3), 1.99, 14.25),
        (.rsdC(branching: [2]), 1.8, 12.25), (.rsdC(branching: [3]), 1.84, 12.75), (.rsdC(branching: [4]), 1.84, 13.25),
        (.rsdC(branching: [2, 1]), 2.2, 14.25), (.rsdS(width: 2, depth: 2), 2.2, 14.25),
    ]

    @Test func candidatesAreEveryShapeWithinTheBudget() throws {
        let shapes = try ShapeSearch.candidates(methods: [.chain, .rsdC, .rsdS], budget: 4, maxDepth: 3)
        #expect(Set(shapes) == Set(Self.byHand.map(\.0)))
        #expect(shapes.count == Self.byHand.count, "no duplicates")
        #expect(shapes.allSatisfy { $0.maxNodeCount <= 4 && $0.depth <= 3 })
    }

    @Test func predictionsMatchTheHandComputedValues() {
        for (shape, expected, stepMs) in Self.byHand {
            let p = TreeThroughputModel.predict(shape, profile: Self.profile, cost: Self.cost)
            #expect(abs(p.expectedTokensPerStep - expected) < 1e-9, "\(shape)")
            #expect(abs(p.stepSeconds * 1e3 - stepMs) < 1e-9, "\(shape)")
        }
    }

    @Test func searchFindsTheHandComputedOptimum() throws {
        let ranking = try ShapeSearch.search(methods: [.chain, .rsdC, .rsdS], budget: 4, maxDepth: 3, profile: Self.profile, cost: Self.cost)
        #expect(ranking.first?.shape == .rsdC(branching: [2, 1]))
        #expect(abs((ranking.first?.tokensPerSecond ?? 0) - 2.2 / 0.01425) < 1e-6)
        #expect(ranking[1].shape == .rsdS(width: 2, depth: 2))
        #expect(ranking[2].shape == .rsdC(branching: [2]))
        #expect(ranking.last?.shape == .chain(depth: 1))
        // Chains only: depth 2 wins (146.15 > 139.65 > 136.17).
        let chains = try ShapeSearch.search(methods: [.chain], budget: 4, maxDepth: 3, profile: Self.profile, cost: Self.cost)
        #expect(chains.map(\.shape) == [.chain(depth: 2), .chain(depth: 3), .chain(depth: 1)])
    }

    @Test func aCostlyDraftFavoursOneWideLevel() throws {
        // D(w) = 20 ms: a second draft call never pays back, so one level wins, and its width:
        let cost = StepCostModel(verifyCall: Self.cost.verifyCall, draftCall: PiecewiseLinear(points: [(1, 20e-3)]))
        let best = try ShapeSearch.search(methods: [.chain, .rsdC], budget: 4, maxDepth: 3, profile: Self.profile, cost: cost).first
        // rsd-c 3: 1.84 / 32 ms = 57.50 > rsd-c 2: 1.8 / 31.5 = 57.14 > rsd-c 4: 1.84 / 32.5 = 56.62
        // > chain 1: 1.6 / 31 = 51.61 > rsd-c 2,1: 2.2 / 52.5 = 41.90.
        #expect(best?.shape == .rsdC(branching: [3]))
    }

    @Test func impossibleSearchesAreErrors() {
        #expect(throws: SettingsError.self) { try ShapeSearch.candidates(methods: [.chain], budget: 0, maxDepth: 3) }
        #expect(throws: SettingsError.self) { try ShapeSearch.candidates(methods: [.chain], budget: 4, maxDepth: 0) }
        #expect(throws: SettingsError.self) { try ShapeSearch.candidates(methods: [.specInfer], budget: 4, maxDepth: 3) }
    }

    @Test func overheadAddsToTheStep() {
        let cost = StepCostModel(verifyCall: Self.cost.verifyCall, draftCall: Self.cost.draftCall, overheadPerStep: 1e-3, overheadPerNode: 0.5e-3)
        // rsd-c 2,1: 14.25 ms + 1 ms + 4 · 0.5 ms.
        #expect(abs(cost.stepSeconds(.rsdC(branching: [2, 1])) - 17.25e-3) < 1e-12)
        // No draft model: no draft time.
        let ngram = StepCostModel(verifyCall: Self.cost.verifyCall, draftCall: nil)
        #expect(ngram.draftSeconds(.chain(depth: 3)) == 0)
    }
}

@Suite struct TreeThroughputModelTests {
    @Test func aChainWithOneRateIsTheGeometricFormula() {
        for alpha in [0.0, 0.3, 0.7, 0.95] {
            let profile = AcceptanceProfile(rates: [[alpha]])
            for depth in 1...6 {
                let tree = TreeThroughputModel.expectedTokensPerStep(.chain(depth: depth), profile: profile)
                #expect(abs(tree - ThroughputModel.expectedTokensPerStep(acceptanceRate: alpha, draftLength: depth)) < 1e-12)
            }
        }
    }

    @Test func widerLevelsAcceptMoreAndLevelWidthsMultiply() {
        let profile = AcceptanceProfile(rates: [[0.5, 0.5, 0.5]])
        // P(b = 3) = 1 − 0.5³ = 0.875; then 0.875 · 0.5 (rank 0 at depth 2 from depth 1).
        #expect(abs(TreeThroughputModel.expectedTokensPerStep(.rsdC(branching: [3, 1]), profile: profile) - (1 + 0.875 + 0.4375)) < 1e-12)
        #expect(TreeThroughputModel.levelWidths(.rsdC(branching: [3, 2, 2])) == [3, 6, 12])
        #expect(TreeThroughputModel.levelWidths(.rsdS(width: 4, depth: 3)) == [4, 4, 4])
        #expect(TreeThroughputModel.effectiveBranching(.rsdS(width: 5, depth: 3)) == [5, 3, 3])
    }
}
