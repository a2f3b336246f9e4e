import CKernels

/// A GGML tensor element type, by the id GGUF files store.
///
/// Every id llama.cpp defines is named so that errors can say what a file holds;
/// `isSupported` tells which ones spectree can compute with.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3
    case q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_XXS = 16, iq2_XS = 17, iq3_XXS = 18, iq1_S = 19, iq4_NL = 20
    case iq3_S = 21, iq2_S = 22, iq4_XS = 23, i8 = 24, i16 = 25, i32 = 26
    case i64 = 27, f64 = 28, iq1_M = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39

    /// The name llama.cpp prints, e.g. `Q4_K`.
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .f64: "F64"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .mxfp4: "MXFP4"
        default: String(describing: self).uppercased()
        }
    }

    /// Whether spectree has dequantisation and matrix kernels for this type.
    public var isSupported: Bool { sk_type_supported(Int32(rawValue)) }

    /// Whether spectree can quantise float weights into this type (`sk_quantize`):
    /// the types a draft can be requantised to at load.
    public var isQuantizable: Bool { sk_can_quantize(Int32(rawValue)) }

    /// Storage bits per weight of a supported type (Q4_0 4.5, Q5_0 5.5, Q8_0 8.5, F16 16).
    public var bitsPerWeight: Double { Double(blockBytes * 8) / Double(blockElements) }

    /// Elements per block, and bytes per block, of a supported type.
    public var blockElements: Int { Int(sk_block_elements(Int32(rawValue))) }
    public var blockBytes: Int { Int(sk_block_bytes(Int32(rawValue))) }

    /// Bytes taken by `count` elements (a multiple of `blockElements`), or nil if
    /// the type is unsupported or the count is not whole blocks.
    public func byteCount(elements count: Int) -> Int? {
        let be = blockElements
        guard be > 0, count >= 0, count % be == 0 else { return nil }
        let (bytes, overflow) = (count / be).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}

// MARK: - Storage of every type

extension GGMLType {
    /// How a tensor of this type is laid out in a file: elements per block and
    /// bytes per block, for every type GGUF files may hold, supported by
    /// spectree's kernels or not.
    ///
    /// The reader uses it to bound-check tensors it cannot compute with, so that
    /// `spectree info` can describe any file. The sizes follow from the block
    /// structures in ggml's `ggml-common.h` (for example Q4_K: two half scales,
    /// 12 bytes of packed 6-bit scales, 128 bytes of nibbles per 256 elements).
    /// For the types in `isSupported` they equal `blockElements` and `blockBytes`.
    /// - Complexity: O(1).
    public var storage: (blockElements: Int, blockBytes: Int) {
        switch self {
        case .f32: (1, 4)
        case .f16, .bf16: (1, 2)
        case .f64: (1, 8)
        case .i8: (1, 1)
        case .i16: (1, 2)
        case .i32: (1, 4)
        case .i64: (1, 8)
        case .q4_0: (32, 2 + 16)
        case .q4_1: (32, 2 + 2 + 16)
        case .q5_0: (32, 2 + 4 + 16)
        case .q5_1: (32, 2 + 2 + 4 + 16)
        case .q8_0: (32, 2 + 32)
        case .q8_1: (32, 2 + 2 + 32)
        case .iq4_NL: (32, 2 + 16)
        case .mxfp4: (32, 1 + 16)                       // E8M0 exponent, 32 nibbles
        case .q2_K: (256, 16 + 64 + 2 + 2)              // scales, 2-bit quants, d, dmin
        case .q3_K: (256, 32 + 64 + 12 + 2)             // high bits, low bits, scales, d
        case .q4_K: (256, 2 + 2 + 12 + 128)
        case .q5_K: (256, 2 + 2 + 12 + 32 + 128)
        case .q6_K: (256, 128 + 64 + 16 + 2)
        case .q8_K: (256, 4 + 256 + 32)                 // float d, quants, 16 int16 sums
        case .iq2_XXS: (256, 2 + 64)
        case .iq2_XS: (256, 2 + 64 + 8)
        case .iq2_S: (256, 2 + 64 + 8 + 8)
        case .iq3_XXS: (256, 2 + 96)
        case .iq3_S: (256, 2 + 64 + 8 + 32 + 4)
        case .iq1_S: (256, 2 + 32 + 16)
        case .iq1_M: (256, 32 + 16 + 8)                 // no separate scale field
        case .iq4_XS: (256, 2 + 2 + 4 + 128)
        case .tq1_0: (256, 48 + 4 + 2)                  // base-3 quants, 2-bit quants, d
        case .tq2_0: (256, 64 + 2)
        }
    }

    /// Bytes taken by a tensor of this type with `shape` (GGML order, `shape[0]`
    /// contiguous), or nil when a dimension is not positive, `shape[0]` is not a
    /// whole number of blocks, or the size overflows `Int`.
    /// - Complexity: O(shape.count).
    public func storageByteCount(shape: [Int]) -> Int? {
        let (perBlock, blockBytes) = storage
        guard let rowLength = shape.first, rowLength > 0, rowLength % perBlock == 0 else { return nil }
        var bytes = (rowLength / perBlock).multipliedReportingOverflow(by: blockBytes)
        for dimension in shape.dropFirst() {
            guard dimension > 0, !bytes.overflow else { return nil }
            bytes = bytes.partialValue.multipliedReportingOverflow(by: dimension)
        }
        return bytes.overflow ? nil : bytes.partialValue
    }

    /// The name of a type id that ggml once defined and has since removed from
    /// GGUF files (4, 5, 31–33, 36–38), for error messages; nil for other ids.
    static func removedName(id: UInt32) -> String? {
        switch id {
        case 4: "Q4_2"
        case 5: "Q4_3"
        case 31: "Q4_0_4_4"
        case 32: "Q4_0_4_8"
        case 33: "Q4_0_8_8"
        case 36: "IQ4_NL_4_4"
        case 37: "IQ4_NL_4_8"
        case 38: "IQ4_NL_8_8"
        default: nil
        }
    }
}
