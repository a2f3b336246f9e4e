import CKernels

/// Activations of up to `capacity` tokens, `width` floats each, with the 8-bit
/// block quantisation that the quantised kernels read.
///
/// Preallocated once per model; the forward pass reuses it for every call.
public final class Activations {
    public let capacity: Int
    public let width: Int
    /// Float rows. Shape (capacity, width).
    public let floats: UnsafeMutablePointer<Float>
    /// Quantised rows. Shape (capacity, rowBytes) bytes.
    public let quantized: UnsafeMutableRawPointer
    public let rowBytes: Int

    public init(capacity: Int, width: Int) {
        precondition(width % 32 == 0, "activation rows are whole blocks of 32")
        self.capacity = capacity
        self.width = width
        floats = .allocate(capacity: capacity * width)
        floats.initialize(repeating: 0, count: capacity * width)
        rowBytes = Int(sk_act_row_bytes(Int64(width)))
        quantized = .allocate(byteCount: capacity * rowBytes, alignment: 64)
    }

    deinit {
        floats.deallocate()
        quantized.deallocate()
    }

    /// Row `t` of the floats.
    @inline(__always)
    public func row(_ t: Int) -> UnsafeMutablePointer<Float> { floats + t * width }

    /// Quantises columns `columns` (whole 32-blocks) of row `t`: the same blocks as
    /// `quantize(tokens:)` writes there, so rows can be quantised piecewise on
    /// several threads. Cost: O(columns.count).
    @inline(__always)
    public func quantize(token t: Int, columns: Range<Int>) {
        precondition(columns.lowerBound % 32 == 0 && columns.count % 32 == 0, "whole blocks of 32")
        sk_quantize_act(floats + t * width + columns.lowerBound,
                        quantized + t * rowBytes + columns.lowerBound / 32 * Int(sk_act_row_bytes(32)),
                        Int64(columns.count))
    }

    /// Quantises the first `tokens` rows. Cost: O(tokens · width).
    public func quantize(tokens: Int) {
        for t in 0..<tokens {
            sk_quantize_act(floats + t * width, quantized + t * rowBytes, Int64(width))
        }
    }
}

/// Products of several weight matrices with the same input, run as one
/// parallel job (one barrier instead of one per matrix).
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
                    w.multiply(rows: (lo - starts[i])..<(hi - starts[i]), x: input.floats, xq: input.quantized,
                               tokens: tokens, into: y, ldy: w.rows)
                }
            }
        }
    }
}
