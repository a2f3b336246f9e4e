import SpecCore
import Testing

@Suite struct AcceptanceProfileTests {
    @Test func missingDepthsAndRanksAreFilledFromNeighbours() {
        let p = AcceptanceProfile(rates: [[0.9, 0.5, 0.2], [0.7, 0.3], [0.6]])
        #expect(p.rate(depth: 2, rank: 1) == 0.3)
        #expect(p.rate(depth: 3, rank: 1) == 0.3, "nearest depth with rank 1: 2")
        #expect(p.rate(depth: 3, rank: 2) == 0.2, "depth 1 is the only one with rank 2")
        #expect(p.rate(depth: 7, rank: 0) == 0.6, "past the deepest: the deepest's")
        #expect(p.rate(depth: 1, rank: 5) == 0, "a rank measured nowhere")
        #expect(abs(p.acceptance(depth: 1, siblings: 2) - (1 - 0.1 * 0.5)) < 1e-12)
        #expect(AcceptanceProfile(rates: []).rate(depth: 1, rank: 0) == 0)
        #expect(AcceptanceProfile(rates: [[1.5, -1]]).rates == [[1, 0]], "clamped")
    }

    @Test func countsGiveRatesAndDropThinRanks() {
        var c = AcceptanceCounts()
        for i in 0..<10 { c.record(depth: 1, rank: 0, accepted: i < 6) }
        for i in 0..<4 { c.record(depth: 1, rank: 1, accepted: i < 1) }
        c.record(depth: 1, rank: 2, accepted: true)  // one test: too few
        for i in 0..<5 { c.record(depth: 2, rank: 0, accepted: i < 2) }
        let p = c.profile(minimumTests: 3)
        #expect(p.rates == [[0.6, 0.25], [0.4]])
        var doubled = c
        doubled.add(c)
        #expect(doubled.tested[0] == [20, 8, 2] && doubled.accepted[0] == [12, 2, 2])
    }

    /// A step of a tree with root children 0 (q .2), 1 (q .5), 2 (q .3) and node 3 under 1.
    static let nodes = [
        DraftNodeRecord(index: 0, token: 10, parent: -1, depth: 1, draftProbability: 0.2),
        DraftNodeRecord(index: 1, token: 11, parent: -1, depth: 1, draftProbability: 0.5),
        DraftNodeRecord(index: 2, token: 12, parent: -1, depth: 1, draftProbability: 0.3),
        DraftNodeRecord(index: 3, token: 13, parent: 1, depth: 2, draftProbability: 0.9),
    ]

    static func decision(_ node: Int, round: Int, _ accepted: Bool) -> VerificationDecision {
        VerificationDecision(node: node, token: TokenID(10 + node), round: round, targetProbability: 0, draftProbability: 0,
                             acceptanceProbability: accepted ? 1 : 0, uniform: nil, accepted: accepted, residualMass: nil)
    }

    @Test func tryOrderUsesTheRounds() {
        var c = AcceptanceCounts()
        c.recordStep(nodes: Self.nodes, decisions: [Self.decision(0, round: 0, false), Self.decision(1, round: 1, true),
                                                    Self.decision(3, round: 0, false)], order: .tryOrder)
        #expect(c.tested == [[1, 1], [1]])
        #expect(c.accepted == [[0, 1], [0]])
    }

    @Test func draftProbabilityOrderRanksSiblingsByQ() {
        // Node 0 (q rank 2) is tried first and rejected, node 2 (q rank 1) accepted:
        // ranks 0 and 1 by q are tested (0 rejected), rank 2 is untested.
        var c = AcceptanceCounts()
        c.recordStep(nodes: Self.nodes, decisions: [Self.decision(0, round: 0, false), Self.decision(2, round: 1, true)],
                     order: .draftProbability)
        #expect(c.tested == [[1, 1]])
        #expect(c.accepted == [[0, 1]])
        // Nothing accepted: every sibling counts as rejected; node 3 (depth 2) was never reached.
        var d = AcceptanceCounts()
        d.recordStep(nodes: Self.nodes, decisions: [0, 1, 2].map { Self.decision($0, round: $0, false) }, order: .draftProbability)
        #expect(d.tested == [[1, 1, 1]] && d.accepted == [[0, 0, 0]])
    }
}

@Suite struct PiecewiseLinearTests {
    @Test func interpolatesAndExtrapolates() {
        let f = PiecewiseLinear(points: [(4, 40), (1, 10), (2, 30)])
        #expect(f(1) == 10 && f(2) == 30 && f(4) == 40)
        #expect(f(3) == 35)
        #expect(f(0) == 10, "held below the table")
        #expect(f(6) == 50, "extrapolated from the last two points")
        #expect(PiecewiseLinear(points: [(5, 2)])(100) == 2)
    }

    @Test func nonDecreasingPoolsViolators() {
        let f = PiecewiseLinear(points: [(1, 1), (2, 3), (3, 2), (4, 4)]).nonDecreasing()
        #expect(f.points.map(\.y) == [1, 2.5, 2.5, 4])
        let g = PiecewiseLinear(points: [(1, 5), (2, 1), (3, 0)]).nonDecreasing()
        #expect(g.points.map(\.y) == [2, 2, 2])
    }

    @Test func linearFitOfALine() {
        let fit = PiecewiseLinear(points: [(1, 3), (2, 5), (4, 9)]).linearFit
        #expect(abs(fit.intercept - 1) < 1e-12 && abs(fit.slope - 2) < 1e-12)
    }
}

@Suite struct SampleSummaryTests {
    @Test func meanSpreadAndCorrelation() {
        let s = SampleSummary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5 && s.minimum == 2 && s.maximum == 9)
        #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(SampleSummary([3]).standardDeviation == 0)
        #expect(abs(SampleSummary.correlation([1, 2, 3, 4], [2, 4, 6, 8])! - 1) < 1e-12)
        #expect(abs(SampleSummary.correlation([1, 2, 3, 4], [8, 6, 4, 2])! + 1) < 1e-12)
        #expect(SampleSummary.correlation([1, 2, 3], [5, 5, 5]) == nil)
        #expect(SampleSummary.correlation([1, 2], [1, 2]) == nil)
    }
}
