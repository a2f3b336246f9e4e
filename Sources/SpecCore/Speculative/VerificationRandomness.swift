/// The randomness a verifier consumes: uniform draws for accept/reject tests
/// and categorical draws for the final token. A protocol so that tests can
/// script every branch and enumerate them exactly; `RandomSource` is the real one.
public protocol VerificationRandomness {
    /// A uniform draw in [0, 1). A test `u < a` accepts with probability a.
    mutating func uniform() -> Double

    /// A draw of index i with probability `weights[i] / total`.
    /// - Parameters:
    ///   - weights: non-negative, of vocabulary size.
    ///   - total: their sum, > 0.
    mutating func draw(from weights: UnsafeBufferPointer<Double>, total: Double) -> Int
}
