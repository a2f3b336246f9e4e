/// One tensor's entry in a GGUF file's tensor table: where its bytes are and how
/// to interpret them. The bytes themselves are read with `GGUFFile.data(for:)`.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// The type id stored in the file.
    public let rawType: UInt32
    /// The element type; nil only if `rawType` is not a GGML type at all, which
    /// `GGUFFile` rejects, so tensors it returns always have one.
    public let type: GGMLType?
    /// Dimensions in GGML order: `shape[0]` is the innermost (contiguous) one.
    /// A weight matrix with `shape == [k, n]` has `n` rows of `k` elements.
    public let shape: [Int]
    /// The product of `shape`.
    public let elementCount: Int
    /// Offset of the first byte, relative to `GGUFFile.dataOffset`; a multiple
    /// of the file's alignment.
    public let offset: Int
    /// Bytes taken by the data, from the type's block size and the shape.
    public let byteCount: Int

    init(name: String, rawType: UInt32, shape: [Int], elementCount: Int, offset: Int, byteCount: Int) {
        self.name = name
        self.rawType = rawType
        self.type = GGMLType(rawValue: rawType)
        self.shape = shape
        self.elementCount = elementCount
        self.offset = offset
        self.byteCount = byteCount
    }
}

extension GGUFTensorInfo: CustomStringConvertible {
    /// E.g. `blk.0.attn_q.weight Q4_1 [576, 576]`.
    public var description: String {
        "\(name) \(type?.name ?? "type \(rawType)") \(shape)"
    }
}
