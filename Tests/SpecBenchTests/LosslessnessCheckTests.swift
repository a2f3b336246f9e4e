import Foundation
import SpecBench
import SpecCore
import Testing

/// `check`'s experiment has teeth at the second token: a speculative sampler
/// whose verifier is right at the first level and wrong at the second (it
/// accepts every second-level draft token untested) passes a first-token
/// test, as it must (its first token is distributed exactly as p), and fails
/// the two-token test; the correct verifier passes both.
///
/// The world is tiny and exact: four tokens, p and q depending on the last
/// token only. At the root p = (.5, .3, .1, .1), q = (.4, .3, .2, .1), so the
/// first draft token is accepted with probability Σ min(p, q) = 0.9; after a
/// token x, p puts .7 on x and q puts .7 on x + 3 (mod 4), a total-variation
/// distance of 0.6, so the broken verifier's two-token joint is about
/// 0.9 · 0.6 ≈ 0.5 from the target's, against a chance level near 0.1 for
/// 300 samples each.
@Suite struct LosslessnessCheckTests {
    static let vocabulary = 4

    static func p(_ context: [TokenID]) -> [Double] {
        guard let last = context.last else { return [0.5, 0.3, 0.1, 0.1] }
        return (0..<vocabulary).map { $0 == Int(last) ? 0.7 : 0.1 }
    }

    static func q(_ context: [TokenID]) -> [Double] {
        guard let last = context.last else { return [0.4, 0.3, 0.2, 0.1] }
        return (0..<vocabulary).map { $0 == (Int(last) + 3) % vocabulary ? 0.7 : 0.1 }
    }

    static func draw(_ probabilities: [Double], _ random: inout RandomSource) -> TokenID {
        var u = random.uniform(), last = 0
        for (i, x) in probabilities.enumerated() where x > 0 {
            last = i
            if u < x { return TokenID(i) }
            u -= x
        }
        return TokenID(last)
    }

    static func plain(seed: UInt64) -> [TokenID] {
        var random = RandomSource(seed: seed), out: [TokenID] = []
        while out.count < 3 { out.append(draw(p(out), &random)) }
        return out
    }

    /// Chain speculative sampling with γ = 2: accept x with min(1, p(x)/q(x)),
    /// on rejection sample norm(max(0, p − q)); a bonus token from p when both
    /// are accepted. `broken` skips the test at the second level.
    static func speculative(seed: UInt64, broken: Bool) -> [TokenID] {
        var random = RandomSource(seed: seed), out: [TokenID] = []
        while out.count < 3 {
            var context = out
            var drafted: [TokenID] = []
            for _ in 0..<2 {
                let x = draw(q(context), &random)
                drafted.append(x)
                context.append(x)
            }
            context = out
            var stepDone = false
            for (level, x) in drafted.enumerated() {
                let pr = p(context), qr = q(context)
                let accepted = (broken && level == 1) || random.uniform() < min(1, pr[Int(x)] / qr[Int(x)])
                if accepted {
                    out.append(x)
                    context.append(x)
                } else {
                    let residual = zip(pr, qr).map { max(0, $0 - $1) }
                    let mass = residual.reduce(0, +)
                    out.append(draw(residual.map { $0 / mass }, &random))
                    stepDone = true
                    break
                }
            }
            if !stepDone { out.append(draw(p(context), &random)) }
        }
        return out
    }

    static func run(tokens: Int, broken: Bool) throws -> LosslessnessCheck.Result {
        let check = try LosslessnessCheck(samples: 300, tokens: tokens, seed: 11)
        return try check.run(plain: { plain(seed: $0) }, speculative: { speculative(seed: $0, broken: broken) })
    }

    @Test func twoTokensCatchABrokenSecondLevelThatOneTokenMisses() throws {
        let one = try Self.run(tokens: 1, broken: true)
        #expect(one.passed, "the first token is exact even when broken: p = \(one.comparison.pValue)")
        #expect(one.distinctOutcomes == 4)
        let two = try Self.run(tokens: 2, broken: true)
        #expect(!two.passed, "p = \(two.comparison.pValue), TV \(two.comparison.totalVariation)")
        #expect(two.comparison.totalVariation > 3 * two.comparison.chanceLevel95)
    }

    @Test func theCorrectVerifierPassesAtTwoTokens() throws {
        let two = try Self.run(tokens: 2, broken: false)
        #expect(two.passed, "p = \(two.comparison.pValue)")
        #expect(two.distinctOutcomes == 16)
    }

    @Test func theRuleNamesTestStatisticThresholdSamplesAndOutcomes() throws {
        let check = try LosslessnessCheck(samples: 300, tokens: 2, seed: 1)
        for phrase in ["permutation test", "total-variation distance", "first 2 tokens", "every 2-token sequence", "300 samples each", "p < 0.01"] {
            #expect(check.rule.contains(phrase), "\(phrase) in: \(check.rule)")
        }
        #expect(throws: BenchError.self) { try LosslessnessCheck(samples: 5, tokens: 2, seed: 1) }
        #expect(throws: BenchError.self) { try LosslessnessCheck(samples: 50, tokens: 0, seed: 1) }
    }
}
