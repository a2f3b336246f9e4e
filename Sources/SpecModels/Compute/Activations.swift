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
