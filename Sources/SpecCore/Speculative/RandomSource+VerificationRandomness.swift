extension RandomSource: VerificationRandomness {
    /// Inverse-CDF draw: the first index whose cumulative weight exceeds
    /// `uniform() · total`; the last positive weight if rounding leaves the
    /// draw above the sum. Cost: O(count).
    public mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int {
        let target = uniform() * total
        var cumulative: Double = 0
        var last = 0
        for i in weights.indices where weights[i] > 0 {
            cumulative += weights[i]
            last = i
            if target < cumulative { return i }
        }
        return last
    }
}
