extension RandomSource: VerificationRandomness {
    /// Inverse-CDF draw: the first index whose cumulative weight exceeds
    /// `uniform() · total`; the last positive weight if rounding leaves the
    /// draw above the sum. Blocks of 16 weights that cannot hold the draw are
    /// summed with independent accumulators instead of scanned.
    /// - Complexity: O(count).
    public mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int {
        let target = uniform() * total
        let n = weights.count
        var cumulative: Double = 0
        var last = 0
        var i = 0
        while i < n {
            if i + 16 <= n {
                var s0: Double = 0, s1: Double = 0, s2: Double = 0, s3: Double = 0
                var j = i
                while j < i + 16 {
                    s0 += weights[j]; s1 += weights[j + 1]; s2 += weights[j + 2]; s3 += weights[j + 3]
                    j += 4
                }
                let block = (s0 + s1) + (s2 + s3)
                if cumulative + block <= target {
                    if block > 0 {
                        var k = i + 15
                        while !(weights[k] > 0) { k -= 1 }
                        last = k
                    }
                    cumulative += block
                    i += 16
                    continue
                }
            }
            if weights[i] > 0 {
                cumulative += weights[i]
                last = i
                if target < cumulative { return i }
            }
            i += 1
        }
        return last
    }
}
