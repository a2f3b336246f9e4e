import SpecCore
import Testing

@Suite struct DistributionComparisonTests {
    func sample(_ probabilities: [Double], count: Int, seed: UInt64) -> [Int] {
        var random = RandomSource(seed: seed)
        return (0..<count).map { _ in
            let u = random.uniform()
            var c = 0.0
            for (i, p) in probabilities.enumerated() { c += p; if u < c { return i } }
            return probabilities.count - 1
        }
    }

    @Test func exactDistanceOfSmallSamples() {
        let c = DistributionComparison([0, 0, 1, 1], [0, 1, 1, 1], permutations: 10)
        #expect(abs(c.totalVariation - 0.25) < 1e-12)
        #expect(DistributionComparison([1, 2], [2, 1], permutations: 10).totalVariation == 0)
        #expect(DistributionComparison(["a"], ["b"], permutations: 10).totalVariation == 1)
    }

    @Test func sameDistributionIsNotRejected() {
        // Over 20 independent pairs of samples from one distribution, p-values
        // are uniform: at most a few fall below 0.05 (expected 1; P(> 5) < 0.001).
        let p = [0.5, 0.3, 0.15, 0.05]
        var small = 0
        for i in 0..<20 {
            let a = sample(p, count: 300, seed: UInt64(2 * i)), b = sample(p, count: 300, seed: UInt64(2 * i + 1))
            let comparison = DistributionComparison(a, b, permutations: 300, seed: UInt64(i))
            if comparison.pValue < 0.05 { small += 1 }
        }
        #expect(small <= 5)
    }

    @Test func differentDistributionsAreRejected() {
        // TV 0.2 apart with 300 samples each: far beyond the chance level (≈ 0.08).
        let c = DistributionComparison(sample([0.5, 0.3, 0.2], count: 300, seed: 1), sample([0.3, 0.3, 0.4], count: 300, seed: 2),
                                       permutations: 500)
        #expect(c.pValue < 0.01)
        #expect(c.totalVariation > c.chanceLevel95)
    }
}
