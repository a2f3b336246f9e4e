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
    /// with probability q_i + Σ_j q_j·q_i/(1 − q_j). Never a duplicate, never a
    /// token with q = 0.
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
        for i in q.indices {
            for j in q.indices where j != i {
                let exact = q[i] == 0 || q[j] == 0 ? 0 : q[i] * q[j] / (1 - q[i])
                #expect(Statistics.withinSigmas(pairs[[i, j], default: 0], of: n, probability: exact), "pair (\(i), \(j))")
            }
            let inclusion = q.indices.filter { $0 != i }.reduce(q[i]) { $0 + q[$1] * q[i] / (1 - q[$1]) }
            #expect(Statistics.withinSigmas(included[i], of: n, probability: inclusion), "inclusion of \(i)")
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
}
