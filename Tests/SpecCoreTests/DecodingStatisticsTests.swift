import SpecCore
import Testing

@Suite struct DecodingStatisticsTests {
    func step(accepted: Int, tested: Int, emitted: Int, tree: Int = 4) -> StepSummary {
        StepSummary(step: 0, treeSize: tree, treeDepth: 4, acceptedPath: Array(0..<accepted),
                    emitted: Array(repeating: 7, count: emitted), deepestTested: tested,
                    draftSeconds: 0.01, verifySeconds: 0.02, otherSeconds: 0.001)
    }

    @Test func figuresFromSteps() {
        var s = DecodingStatistics()
        s.record(step(accepted: 2, tested: 3, emitted: 3))  // accepted depths 1, 2; rejected at 3
        s.record(step(accepted: 0, tested: 1, emitted: 1))  // rejected at depth 1
        s.record(step(accepted: 4, tested: 4, emitted: 5))  // all accepted, bonus
        #expect(s.targetCalls == 3 && s.emittedTokens == 9)
        #expect(s.blockEfficiency == 3)
        #expect(s.reachedByDepth == [3, 2, 2, 1])
        #expect(s.acceptedByDepth == [2, 2, 1, 1])
        #expect(s.acceptanceByDepth == [2.0 / 3, 1, 0.5, 1])
        #expect(s.acceptedLengthCounts == [1, 0, 1, 0, 1])
        #expect(abs(s.acceptanceRate - 6.0 / 8) < 1e-12)

        var twice = s
        twice.add(s)
        #expect(twice.blockEfficiency == 3 && twice.reachedByDepth == [6, 4, 4, 2] && twice.steps == 6)
    }
}
