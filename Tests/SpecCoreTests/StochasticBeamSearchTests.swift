import Foundation
import SpecCore
import Testing

/// A tree's structure as a hashable key: (token, parent) per node, in order.
func structureKey(_ tree: DraftTree) -> [Int] {
    tree.nodes.flatMap { [Int($0.token), $0.parent] }
}

@Suite("Stochastic beam search and tree drawing")
struct StochasticBeamSearchTests {
    /// The conditioned score: the maximum child keeps its parent's score, the
    /// others stay below it, it increases with the perturbed score, and it
    /// equals the textbook formula where that one is still accurate.
    @Test func conditionedScore() {
        let parent = -1.3, maximum = 0.7
        #expect(StochasticBeamSearch.conditionedScore(perturbed: maximum, maximum: maximum, parent: parent) == parent)
        var previous = -Double.infinity
        for perturbed in stride(from: -30.0, to: maximum, by: 0.25) {
            let g = StochasticBeamSearch.conditionedScore(perturbed: perturbed, maximum: maximum, parent: parent)
            let naive = -log(exp(-parent) - exp(-maximum) + exp(-perturbed))
            #expect(g < parent && g > previous)
            #expect(abs(g - naive) <= 1e-9 * max(1, abs(naive)), "G̃ \(perturbed): \(g) vs \(naive)")
            previous = g
        }
        // Far in the tail the naive form overflows; the stable one does not.
        let tail = StochasticBeamSearch.conditionedScore(perturbed: -800, maximum: 0, parent: 0)
        #expect(tail.isFinite && abs(tail - -800) < 1e-9)
    }

    /// RSD-S with W = 2, L = 2: every level holds at most W distinct
    /// sequences; the best final sequence (the first beam) is a draw from q's
    /// sequence probabilities q(x1)·q(x2 | x1), within 5σ per sequence.
    @Test func levelsAreDistinctAndFirstBeamIsADrawFromQ() throws {
        let world = TinyWorld(vocabularySize: 4, seed: 61)
        let table = WorldTable(world, depth: 1)
        let n = 40_000
        var random = RandomSource(seed: 6)
        var firstBeam: [[TokenID]: Int] = [:]
        for _ in 0..<n {
            let tree = try drawTree(.rsdS(width: 2, depth: 2), random: &random) { table.draft[$0]! }
            for level in tree.levels {
                #expect(level.count <= 2)
                #expect(Set(level.map { tree.tokens(to: $0) }).count == level.count, "a level repeats a sequence")
            }
            let last = tree.levels.last!
            let best = last.max { tree[$0].score! < tree[$1].score! }!
            firstBeam[tree.tokens(to: best), default: 0] += 1
        }
        for x1 in 0..<4 {
            for x2 in 0..<4 {
                let exact = world.draft([])[x1] * world.draft([TokenID(x1)])[x2]
                let count = firstBeam[[TokenID(x1), TokenID(x2)], default: 0]
                #expect(Statistics.withinSigmas(count, of: n, probability: exact), "sequence (\(x1), \(x2))")
            }
        }
    }

    /// The trees `DraftTreeBuilder` draws follow the exact outcome
    /// distribution that the losslessness enumeration assumes (chi-square over
    /// every distinct tree), so that enumeration speaks for the real builder.
    @Test("builder trees match the enumerated outcomes", arguments: [
        DraftShape.rsdS(width: 2, depth: 2), .rsdC(branching: [2, 2]), .specInfer(branching: [2, 1]), .chain(depth: 2),
    ])
    func builderMatchesEnumeration(_ shape: DraftShape) throws {
        let world = TinyWorld(vocabularySize: 3, seed: 62)
        let table = WorldTable(world, depth: 1)
        let n = 30_000
        var expected: [[Int]: Double] = [:]
        for (tree, probability) in DraftOutcomes.all(shape, world: world) {
            expected[structureKey(tree), default: 0] += probability
        }
        var observed: [[Int]: Int] = [:]
        var random = RandomSource(seed: 7)
        for _ in 0..<n {
            let tree = try drawTree(shape, random: &random) { table.draft[$0]! }
            observed[structureKey(tree), default: 0] += 1
        }
        let (statistic, df, impossible) = Statistics.chiSquare(observed: observed, expected: expected, samples: n)
        #expect(!impossible, "the builder drew a tree the enumeration says is impossible")
        #expect(statistic <= Statistics.chiSquareThreshold(degreesOfFreedom: df), "chi-square \(statistic), df \(df)")
    }
}
