import CKernels

/// Activations of up to `capacity` tokens, `width` floats each, with the 8-bit
/// quantisations that the quantised kernels read: the per-block one
/// (`sk_quantize_act`, for Q4_0 … Q8_0) and the K format (`sk_quantize_act_k`: one
/// scale per 256 elements, for Q4_K, Q5_K, Q6_K). Each quantise call writes only the
/// formats it is asked for, so an input no K-quant matrix reads never pays for it.
///
/// Preallocated once per model; the forward pass reuses it for every call.
public final class Activations {
    public let capacity: Int
    public let width: Int
    /// Float rows. Shape (capacity, width).
    public let floats: UnsafeMutablePointer<Float>
    /// Quantised rows, per-block format. Shape (capacity, rowBytes) bytes.
    public let quantized: UnsafeMutableRawPointer
    /// Quantised rows, K format (only when `width` is whole 256-element groups).
    /// Shape (capacity, rowBytes) bytes.
    public let quantizedK: UnsafeMutableRawPointer?
    public let rowBytes: Int

    public init(capacity: Int, width: Int) {
        precondition(width % 32 == 0, "activation rows are whole blocks of 32")
        self.capacity = capacity
        self.width = width
        floats = .allocate(capacity: capacity * width)
        floats.initialize(repeating: 0, count: capacity * width)
        rowBytes = Int(sk_act_row_bytes(Int64(width)))
        quantized = .allocate(byteCount: capacity * rowBytes, alignment: 64)
        quantizedK = width % 256 == 0 ? .allocate(byteCount: capacity * rowBytes, alignment: 64) : nil
    }

    deinit {
        floats.deallocate()
        quantized.deallocate()
        quantizedK?.deallocate()
    }

    /// Row `t` of the floats.
    @inline(__always)
    public func row(_ t: Int) -> UnsafeMutablePointer<Float> { floats + t * width }

    /// The quantised rows that products with `matrix` read (shape (capacity, rowBytes)).
    @inline(__always)
    func quantized(for matrix: WeightMatrix) -> UnsafeRawPointer {
        if matrix.type.usesActivationK {
            guard let quantizedK else { preconditionFailure("K-quant products need rows of whole 256-element groups") }
            return UnsafeRawPointer(quantizedK)
        }
        return UnsafeRawPointer(quantized)
    }

    /// Quantises columns `columns` of row `t` in `formats`: the same blocks as
    /// `quantize(tokens:formats:)` writes there, so rows can be quantised piecewise on
    /// several threads (whole 32-blocks; whole 256-groups for the K format).
    /// Cost: O(columns.count) per format.
    @inline(__always)
    public func quantize(token t: Int, columns: Range<Int>, formats: ActivationFormats) {
        precondition(columns.lowerBound % 32 == 0 && columns.count % 32 == 0, "whole blocks of 32")
        let offset = t * rowBytes + columns.lowerBound / 32 * MemoryLayout<sk_act_block>.stride
        if formats.contains(.block) {
            sk_quantize_act(floats + t * width + columns.lowerBound, quantized + offset, Int64(columns.count))
        }
        if formats.contains(.k) {
            precondition(columns.lowerBound % 256 == 0 && columns.count % 256 == 0, "whole groups of 256")
            sk_quantize_act_k(floats + t * width + columns.lowerBound, quantizedK! + offset, Int64(columns.count))
        }
    }

    /// Quantises the first `tokens` rows in `formats`. Cost: O(tokens · width) per format.
    public func quantize(tokens: Int, formats: ActivationFormats) {
        for t in 0..<tokens { quantize(token: t, columns: 0..<width, formats: formats) }
    }
}

/// Which quantised forms of an input its consumer matrices read.
public struct ActivationFormats: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// One scale per 32 elements (`sk_quantize_act`): Q4_0, Q4_1, Q5_0, Q5_1, Q8_0.
    public static let block = ActivationFormats(rawValue: 1)
    /// One scale per 256 elements (`sk_quantize_act_k`): Q4_K, Q5_K, Q6_K.
    public static let k = ActivationFormats(rawValue: 2)

    /// The formats `matrices` read (float matrices read the float rows: none).
    public init(reading matrices: [WeightMatrix]) {
        self = []
        for m in matrices where m.type.isQuantized {
            formUnion(m.type.usesActivationK ? .k : .block)
        }
    }
}

extension GGMLType {
    /// Whether products with this type read quantised activations (not the floats).
    var isQuantized: Bool { isSupported && self != .f32 && self != .f16 && self != .bf16 }
    /// Whether those are in the K format (`sk_type_uses_act_k`): Q4_K, Q5_K, Q6_K.
    var usesActivationK: Bool { sk_type_uses_act_k(Int32(rawValue)) }
}
