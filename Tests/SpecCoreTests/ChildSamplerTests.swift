import Foundation
import SpecCore
import Testing

/// Child sampling draws what each method claims: i.i.d. from q, or without
/// replacement with the right marginals. Fixed seeds; thresholds are five
/// standard errors of each estimated frequency.
@Suite("Child sampling")
struct ChildSamplerTests {
    static let q: [Float] = [0.4, 0.25, 0.2, 0.1, 0.05, 0]

    /// Gumbel-Top-1 is a draw from q.
    @Test func gumbelTopOneIsADrawFromQ() {
        let n = 200_000
        var random = RandomSource(seed: 1)
        var counts = [Int](repeating: 0, count: Self.q.count)
        for _ in 0..<n {
            let children = ChildSampler.withoutReplacement(from: Self.q, count: 1, random: &random)
            #expect(children.count == 1)
            counts[Int(children[0].token)] += 1
        }
        for (x, qx) in Self.q.enumerated() {
            #expect(Statistics.withinSigmas(counts[x], of: n, probability: Double(qx)), "token \(x): \(counts[x]) of \(n) vs q \(qx)")
        }
    }

    /// Gumbel-Top-2 is sequential sampling without replacement: every ordered
    /// pair (i, j) with probability q_i·q_j/(1 − q_i), and each token included
    /// with the probability summed over the ordered pairs that contain it.
    /// Never a duplicate, never a token with q = 0.
    @Test func gumbelTopTwoSamplesWithoutReplacement() {
        let n = 200_000
        let q = Self.q.map(Double.init)
        var random = RandomSource(seed: 2)
        var pairs: [[Int]: Int] = [:]
        var included = [Int](repeating: 0, count: q.count)
        for _ in 0..<n {
            let children = ChildSampler.withoutReplacement(from: Self.q, count: 2, random: &random)
            let tokens = children.map { Int($0.token) }
            #expect(tokens.count == 2 && tokens[0] != tokens[1])
            #expect(children[0].score! >= children[1].score!, "largest score first")
            pairs[tokens, default: 0] += 1
            for t in tokens { included[t] += 1 }
        }
        // Exact values by enumerating every ordered pair with its probability.
        var exactPair: [[Int]: Double] = [:]
        var exactInclusion = [Double](repeating: 0, count: q.count)
        for (pair, probability) in DraftOutcomes.orderedWithoutReplacement(q, count: 2) {
            exactPair[pair] = probability
            for t in pair { exactInclusion[t] += probability }
        }
        #expect(abs(exactInclusion.reduce(0, +) - 2) < 1e-12)
        for i in q.indices {
            for j in q.indices where j != i {
                #expect(Statistics.withinSigmas(pairs[[i, j], default: 0], of: n, probability: exactPair[[i, j], default: 0]),
                        "pair (\(i), \(j))")
            }
            #expect(Statistics.withinSigmas(included[i], of: n, probability: exactInclusion[i]), "inclusion of \(i)")
        }
        #expect(included[5] == 0, "a token with q = 0 was drawn")
    }

    /// Asking for more distinct children than q has non-zero tokens returns them all.
    @Test func fewerPositiveTokensThanAskedReturnsThemAll() {
        var random = RandomSource(seed: 3)
        for _ in 0..<100 {
            let children = ChildSampler.withoutReplacement(from: [0, 0.5, 0, 0.5], count: 3, random: &random)
            #expect(Set(children.map(\.token)) == [1, 3] && children.count == 2)
        }
        let oneHot: [Float] = [0, 0, 1, 0]
        #expect(ChildSampler.withoutReplacement(from: oneHot, count: 4, random: &random).map(\.token) == [2])
        #expect(ChildSampler.withReplacement(from: oneHot, count: 3, random: &random).map(\.token) == [2, 2, 2])
    }

    /// I.i.d. draws: each position is a draw from q, and positions are
    /// independent (pair frequencies q_i·q_j).
    @Test func withReplacementIsIndependent() {
        let n = 100_000
        let q = Self.q.map(Double.init)
        var random = RandomSource(seed: 4)
        var first = [Int](repeating: 0, count: q.count), third = first
        var pairs: [[Int]: Int] = [:]
        for _ in 0..<n {
            let tokens = ChildSampler.withReplacement(from: Self.q, count: 3, random: &random).map { Int($0.token) }
            first[tokens[0]] += 1
            third[tokens[2]] += 1
            pairs[[tokens[0], tokens[1]], default: 0] += 1
        }
        for i in q.indices {
            #expect(Statistics.withinSigmas(first[i], of: n, probability: q[i]))
            #expect(Statistics.withinSigmas(third[i], of: n, probability: q[i]))
            for j in q.indices {
                #expect(Statistics.withinSigmas(pairs[[i, j], default: 0], of: n, probability: q[i] * q[j]), "pair (\(i), \(j))")
            }
        }
    }

    /// The real vocabulary size: distinct children, largest score first,
    /// scores equal to log q + Gumbel plus the offset (finite), and a token
    /// of q = 0 never drawn.
    @Test func fullVocabulary() {
        let v = 49_152
        var random = RandomSource(seed: 5)
        let logits = (0..<v).map { _ in Float(random.uniform() * 10) }
        var q = RandomLogits.probabilities(logits, SamplingParameters(temperature: 0.8))
        q[0] = 0
        let total = q.reduce(0, +)
        q = q.map { $0 / total }
        for _ in 0..<5 {
            let children = ChildSampler.withoutReplacement(from: q, count: 8, random: &random, offset: -2)
            #expect(Set(children.map(\.token)).count == 8)
            #expect(!children.contains { $0.token == 0 })
            #expect(zip(children, children.dropFirst()).allSatisfy { $0.score! >= $1.score! })
            #expect(children.allSatisfy { $0.score!.isFinite && $0.probability == Double(q[Int($0.token)]) })
            let iid = ChildSampler.withReplacement(from: q, count: 8, random: &random)
            #expect(iid.count == 8 && !iid.contains { $0.token == 0 })
        }
    }

    /// 45 tokens: several 16-entry blocks, one of them all zeros, and a ragged
    /// tail, so that the block-skipping paths are exercised.
    static let wide: [Float] = {
        let weights: [Float] = (0..<45).map { x in
            (16..<32).contains(x) ? 0 : Float([9, 1, 3, 0, 2, 5, 1, 1][x % 8] + (x == 40 ? 20 : 0))
        }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }()

    /// Inverse-CDF draws with block skipping pick exactly the token a plain
    /// scan picks for the same uniform (`Sampler.draw`, and a scan of Double weights).
    @Test func blockSkippingMatchesPlainScan() {
        let q = Self.wide
        var random = RandomSource(seed: 11)
        for _ in 0..<2_000 {
            var copy = random
            let children = ChildSampler.withReplacement(from: q, count: 3, random: &random)
            let expected = (0..<3).map { _ in
                let u = copy.uniform()
                return q.withUnsafeBufferPointer { Sampler.draw(from: $0, uniform: u) }
            }
            #expect(children.map { Int($0.token) } == expected)

            let weights = q.map { Double($0) * 3 }
            var before = random
            let u = before.uniform() * 3
            var cumulative: Double = 0
            var plain = -1
            for (i, w) in weights.enumerated() where w > 0 {
                cumulative += w
                if u < cumulative { plain = i; break }
            }
            let drawn = weights.withUnsafeBufferPointer { random.draw(from: $0, total: 3) }
            #expect(drawn == plain)
        }
    }

    /// Gumbel-Top-k over several blocks: the first child is a draw from q, and
    /// ordered pairs and inclusions of a size-2 sample match their exact values.
    @Test func gumbelTopKAcrossBlocks() {
        let n = 100_000
        let q = Self.wide.map(Double.init)
        var random = RandomSource(seed: 12)
        var first = [Int](repeating: 0, count: q.count)
        var included = first
        var pairs: [[Int]: Int] = [:]
        for _ in 0..<n {
            let tokens = ChildSampler.withoutReplacement(from: Self.wide, count: 2, random: &random).map { Int($0.token) }
            #expect(tokens.count == 2 && tokens[0] != tokens[1])
            first[tokens[0]] += 1
            for t in tokens { included[t] += 1 }
            pairs[tokens, default: 0] += 1
        }
        var exactPair: [[Int]: Double] = [:]
        var exactInclusion = [Double](repeating: 0, count: q.count)
        for (pair, probability) in DraftOutcomes.orderedWithoutReplacement(q, count: 2) {
            exactPair[pair] = probability
            for t in pair { exactInclusion[t] += probability }
        }
        for x in q.indices {
            #expect(Statistics.withinSigmas(first[x], of: n, probability: q[x]), "first child \(x)")
            #expect(Statistics.withinSigmas(included[x], of: n, probability: exactInclusion[x]), "inclusion of \(x)")
        }
        let (statistic, df, impossible) = Statistics.chiSquare(observed: pairs, expected: exactPair, samples: n)
        #expect(!impossible)
        #expect(statistic <= Statistics.chiSquareThreshold(degreesOfFreedom: df), "ordered pairs: chi-square \(statistic), df \(df)")
    }
}
