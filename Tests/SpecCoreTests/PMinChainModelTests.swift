import SpecCore
import Testing

/// The replay that predicts a chain with p-min from chain steps recorded
/// without it, on three hand-made steps worked out below.
@Suite struct PMinChainModelTests {
    /// c₀ … c₃ and accepted tokens of a depth-4 chain drafted without p-min.
    static let steps: [PMinChainModel.Step] = [
        .init(confidences: [0.9, 0.8, 0.2, 0.9], accepted: 4),
        .init(confidences: [0.4, 0.9, 0.9, 0.9], accepted: 1),
        .init(confidences: [0.9, 0.6, 0.9, 0.3], accepted: 2),
    ]

    /// V(n) = 10 + n ms, D(w) = 3·w ms, o₀ = 1 ms, o₁ = 0.5 ms per node.
    static let cost = StepCostModel(
        verifyCall: PiecewiseLinear(points: [(1, 11e-3), (64, 74e-3)]),
        draftCall: PiecewiseLinear(points: [(1, 3e-3), (64, 192e-3)]),
        overheadPerStep: 1e-3, overheadPerNode: 0.5e-3)

    @Test func nodesDraftedStopAtTheFirstConfidenceUnderPMin() {
        let s = Self.steps
        #expect(s.map { $0.drafted(depth: 4, pMin: 0.5) } == [2, 0, 3])
        #expect(s.map { $0.drafted(depth: 2, pMin: 0.5) } == [2, 0, 2], "a shallower chain stops at its depth first")
        #expect(s.map { $0.drafted(depth: 4, pMin: 0) } == [4, 4, 4], "p-min 0 never stops")
        #expect(s.map { $0.drafted(depth: 4, pMin: 1) } == [0, 0, 0], "p-min 1 stops below any confidence under 1")
    }

    // p-min 0.5, depth 4, s_c = 0.1 ms per call (3.1 ms a draft call):
    //   step 1: k = 2, tokens = min(4, 2) + 1 = 3, calls = 1 + min(2, 3) = 3, V(3) = 13, o = 1 + 1   = 2
    //   step 2: k = 0, tokens = 1,                 calls = 1,                V(1) = 11, o = 1
    //   step 3: k = 3, tokens = min(2, 3) + 1 = 3, calls = 1 + min(3, 3) = 4, V(4) = 14, o = 1 + 1.5 = 2.5
    //   draft 8 · 3.1 = 24.8, verify 38, overhead 5.5: 68.3 ms for 7 tokens → 102.489 tokens/s
    @Test func aChainWithPMinIsReplayedByHand() throws {
        let p = try #require(PMinChainModel.predict(depth: 4, pMin: 0.5, steps: Self.steps, cost: Self.cost, confidenceSeconds: 0.1e-3))
        #expect(p.steps == 3 && p.pMin == 0.5)
        #expect(abs(p.prediction.expectedTokensPerStep - 7.0 / 3) < 1e-12)
        #expect(abs(p.meanDrafted - 5.0 / 3) < 1e-12)
        #expect(abs(p.meanDraftCalls - 8.0 / 3) < 1e-12)
        #expect(p.stoppedShare == 1)
        #expect(abs(p.prediction.draftSeconds - 24.8e-3 / 3) < 1e-12)
        #expect(abs(p.prediction.verifySeconds - 38e-3 / 3) < 1e-12)
        #expect(abs(p.prediction.overheadSeconds - 5.5e-3 / 3) < 1e-12)
        #expect(abs(p.prediction.tokensPerSecond - 7 / 68.3e-3) < 1e-9)
        #expect(p.prediction.shape == .chain(depth: 4))
    }

    /// At p-min 0 the replay is the throughput model's chain formula on the
    /// profile measured from the same steps (a_d = #(a ≥ d) ÷ #(a ≥ d − 1)),
    /// and no confidence is charged: the two predictions agree exactly.
    @Test func atPMinZeroTheReplayIsTheChainFormula() throws {
        let profile = AcceptanceProfile(rates: [[1], [2.0 / 3], [1.0 / 2], [1]])
        for depth in 1...4 {
            let replay = try #require(PMinChainModel.predict(depth: depth, pMin: 0, steps: Self.steps, cost: Self.cost, confidenceSeconds: 5e-3))
            let formula = TreeThroughputModel.predict(.chain(depth: depth), profile: profile, cost: Self.cost)
            #expect(abs(replay.prediction.expectedTokensPerStep - formula.expectedTokensPerStep) < 1e-12, "L=\(depth)")
            #expect(abs(replay.prediction.stepSeconds - formula.stepSeconds) < 1e-12, "L=\(depth)")
            #expect(replay.stoppedShare == 0 && replay.meanDrafted == Double(depth))
        }
    }

    @Test func onlyRecordedDepthsWithinTheBudgetAreReplayed() {
        let short = Self.steps + [.init(confidences: [0.9, 0.9], accepted: 2)]
        #expect(PMinChainModel.deepestReplayable(short) == 2)
        #expect(PMinChainModel.deepestReplayable([]) == 0)
        #expect(PMinChainModel.predict(depth: 3, pMin: 0.5, steps: short, cost: Self.cost)?.steps == 3, "steps too short for L=3 are left out")
        #expect(PMinChainModel.predict(depth: 5, pMin: 0.5, steps: Self.steps, cost: Self.cost) == nil)
        #expect(PMinChainModel.predict(depth: 0, pMin: 0.5, steps: Self.steps, cost: Self.cost) == nil)
        let all = PMinChainModel.predictAll(pMins: [0, 0.5], maxDepth: 8, budget: 3, steps: Self.steps, cost: Self.cost)
        #expect(all.map { "\($0.prediction.shape.depth)@\($0.pMin)" } == ["1@0.0", "1@0.5", "2@0.0", "2@0.5", "3@0.0", "3@0.5"])
        #expect(PMinChainModel.predictAll(pMins: [0.5], maxDepth: 8, budget: 8, steps: [], cost: Self.cost).isEmpty)
    }
}
