import CKernels

/// A weight matrix of shape `(rows, columns)` stored row-major in a GGML type,
/// viewed in place in a memory-mapped file (no copy).
public struct WeightMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// `rows` rows of `rowBytes` bytes each.
    public let data: UnsafeRawPointer
    public let rowBytes: Int

    /// Wraps `rows × columns` elements of `type` at `data`.
    /// - Throws: when the type has no kernels or a row is not whole blocks.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer, name: String) throws(ModelLoadError) {
        guard type.isSupported else {
            let supported = GGMLType.allCases.filter(\.isSupported).map(\.name).joined(separator: ", ")
            throw ModelLoadError("tensor \(name) has type \(type.name), which spectree cannot compute with (supported: \(supported))")
        }
        guard columns % 32 == 0, let rowBytes = type.byteCount(elements: columns) else {
            throw ModelLoadError("tensor \(name): rows of \(columns) elements are not whole \(type.name) blocks of \(type.blockElements) (and of 32 for the kernels)")
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.data = data
        self.rowBytes = rowBytes
    }

    /// Dequantises row `row` into `destination` (`columns` floats). Cost: O(columns).
    public func dequantizeRow(_ row: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows)
        sk_dequantize(Int32(type.rawValue), data + row * rowBytes, destination, Int64(columns))
    }

    /// Single-threaded product over rows `range`: `y[t * ldy + r] = W[r] · x[t]`
    /// for `t < tokens`. `x` is `(tokens, columns)` floats, `xq` the same rows
    /// quantised by `Activations`. Cost: O(tokens · columns · range.count).
    @inline(__always)
    func multiply(rows range: Range<Int>, x: UnsafePointer<Float>, xq: UnsafeRawPointer, tokens: Int,
                  into y: UnsafeMutablePointer<Float>, ldy: Int) {
        sk_matmul(Int32(type.rawValue), data, Int64(columns), x, xq, Int64(tokens),
                  y, Int64(ldy), Int64(range.lowerBound), Int64(range.upperBound))
    }
}

/// An error loading a model: a message that names the file or tensor and what is wrong.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
