import Foundation

/// Small statistics for sampled tests with fixed seeds.
enum Statistics {
    /// Whether an observed frequency `count / n` lies within `sigmas` standard
    /// errors of a Bernoulli probability `p` (a zero p demands a zero count).
    static func withinSigmas(_ count: Int, of n: Int, probability p: Double, sigmas: Double = 5) -> Bool {
        if p == 0 { return count == 0 }
        let se = (p * (1 - p) / Double(n)).squareRoot()
        return abs(Double(count) / Double(n) - p) <= sigmas * se + 1e-12
    }

    /// Pearson's chi-square of observed counts against expected probabilities,
    /// cells with expected count below 5 pooled into one. Returns the statistic,
    /// its degrees of freedom (cells − 1) and whether any observation fell in a
    /// cell of probability zero (which must never happen).
    static func chiSquare<Key: Hashable>(
        observed: [Key: Int], expected: [Key: Double], samples n: Int
    ) -> (statistic: Double, degreesOfFreedom: Int, impossible: Bool) {
        let impossible = observed.contains { key, count in count > 0 && expected[key, default: 0] == 0 }
        var cells: [(observed: Double, expected: Double)] = []
        var pooled = (observed: 0.0, expected: 0.0)
        for (key, p) in expected where p > 0 {
            let e = p * Double(n)
            let o = Double(observed[key, default: 0])
            if e < 5 { pooled.observed += o; pooled.expected += e } else { cells.append((o, e)) }
        }
        if pooled.expected > 0 { cells.append(pooled) }
        let statistic = cells.reduce(0) { $0 + ($1.observed - $1.expected) * ($1.observed - $1.expected) / $1.expected }
        return (statistic, max(cells.count - 1, 1), impossible)
    }

    /// A rejection threshold for chi-square with `df` degrees of freedom:
    /// mean + 6 standard deviations (df + 6·√(2·df)), a tail far below 1e-3
    /// for every df, so a fixed-seed test fails only on a real discrepancy.
    static func chiSquareThreshold(degreesOfFreedom df: Int) -> Double {
        Double(df) + 6 * (2 * Double(df)).squareRoot()
    }
}
