/// Products of several weight matrices with the same input, run as one
/// parallel job (one barrier instead of one per matrix). Each product reads the
/// quantised form of `input` its type needs (quantise it in `ActivationFormats(reading:)`).
enum MatrixProducts {
    /// For each `(w, y)`: `y[t * w.rows + r] = w[r] · input[t]` for `t < tokens`.
    /// Rows of all matrices are laid end to end and split evenly across threads.
    static func run(_ products: [(WeightMatrix, UnsafeMutablePointer<Float>)], input: Activations, tokens: Int) {
        var starts = [0]
        for (w, _) in products { starts.append(starts.last! + w.rows) }
        ComputePool.parallelFor(starts.last!, grain: 16) { begin, end, _ in
            for (i, (w, y)) in products.enumerated() {
                let lo = max(begin, starts[i]), hi = min(end, starts[i + 1])
                if lo < hi {
                    w.multiply(rows: (lo - starts[i])..<(hi - starts[i]), x: input.floats, xq: input.quantized(for: w),
                               tokens: tokens, into: y, ldy: w.rows)
                }
            }
        }
    }
}
