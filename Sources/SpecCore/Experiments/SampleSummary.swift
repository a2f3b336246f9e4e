/// Mean, sample standard deviation, minimum and maximum of a few numbers (a
/// figure's spread over prompts), and Pearson's correlation of two series.
public struct SampleSummary: Sendable, Equatable, Codable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double

    /// - Precondition: `values` is not empty. Complexity: O(n).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "no values to summarise")
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation = values.count < 2 ? 0
            : (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        minimum = values.min()!
        maximum = values.max()!
    }

    /// Pearson's r of two equally long series; nil when either is constant or
    /// they have fewer than three points (too few to say anything).
    public static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count)
        guard x.count >= 3 else { return nil }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
