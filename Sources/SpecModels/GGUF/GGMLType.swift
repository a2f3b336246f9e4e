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
