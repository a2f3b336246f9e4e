import Foundation
import SpecModels

/// Tiny synthetic qwen2 models, one per tensor type, written with spectree's
/// GGUF writer. The bytes equal those of `scripts/synthetic_model.py`, which
/// computed the reference logits with the `gguf` package and numpy.
enum SyntheticModel {
    static let layers = 2, dim = 256, ffn = 512, heads = 4, kvHeads = 2, vocabulary = 64
    static let epsilon = 1e-6, ropeBase = 10_000.0

    /// SplitMix64, as in the script.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 40) / Double(1 << 24) }
        mutating func floats(_ n: Int, scale: Double, offset: Double = 0) -> [Float] {
            (0..<n).map { _ in Float(offset + scale * (2 * uniform() - 1)) }
        }
        mutating func bytes(_ n: Int) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(n + 8)
            while out.count < n { withUnsafeBytes(of: next().littleEndian) { out.append(contentsOf: $0) } }
            return Array(out.prefix(n))
        }
    }

    /// Per block type: byte offsets of fp16 fields, their base scale, and whether signed.
    static let scaleFields: [GGMLType: [(offset: Int, base: Double, signed: Bool)]] = [
        .q4_0: [(0, 0.01, false)],
        .q4_1: [(0, 0.006, false), (2, 0.05, true)],
        .q5_0: [(0, 0.005, false)],
        .q5_1: [(0, 0.003, false), (2, 0.05, true)],
        .q8_0: [(0, 0.0006, false)],
        .q4_K: [(0, 0.0001, false), (2, 0.001, false)],
        .q5_K: [(0, 0.00005, false), (2, 0.001, false)],
        .q6_K: [(208, 0.00002, false)],
    ]

    static let types: [GGMLType] = [.f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

    enum Kind { case matrix, norm, bias }

    /// (name, rows, columns, kind) in generation order; vectors have rows == 1.
    static var tensorSpecs: [(String, Int, Int, Kind)] {
        let kv = dim / heads * kvHeads
        var specs: [(String, Int, Int, Kind)] = [("token_embd.weight", vocabulary, dim, .matrix)]
        for l in 0..<layers {
            let p = "blk.\(l)."
            specs += [
                (p + "attn_norm.weight", 1, dim, .norm),
                (p + "attn_q.weight", dim, dim, .matrix), (p + "attn_q.bias", 1, dim, .bias),
                (p + "attn_k.weight", kv, dim, .matrix), (p + "attn_k.bias", 1, kv, .bias),
                (p + "attn_v.weight", kv, dim, .matrix), (p + "attn_v.bias", 1, kv, .bias),
                (p + "attn_output.weight", dim, dim, .matrix),
                (p + "ffn_norm.weight", 1, dim, .norm),
                (p + "ffn_gate.weight", ffn, dim, .matrix), (p + "ffn_up.weight", ffn, dim, .matrix),
                (p + "ffn_down.weight", dim, ffn, .matrix),
            ]
        }
        specs += [("output_norm.weight", 1, dim, .norm), ("output.weight", vocabulary, dim, .matrix)]
        return specs
    }

    /// Writes the model whose matrices are of `type` to `path`.
    static func write(type: GGMLType, to path: String, seed: UInt64 = 2024) throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("qwen2"))
        writer.set("general.name", .string("synthetic qwen2 \(type.name)"))
        writer.set("qwen2.block_count", .uint32(UInt32(layers)))
        writer.set("qwen2.embedding_length", .uint32(UInt32(dim)))
        writer.set("qwen2.feed_forward_length", .uint32(UInt32(ffn)))
        writer.set("qwen2.attention.head_count", .uint32(UInt32(heads)))
        writer.set("qwen2.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        writer.set("qwen2.attention.layer_norm_rms_epsilon", .float32(Float(epsilon)))
        writer.set("qwen2.rope.freq_base", .float32(Float(ropeBase)))
        writer.set("qwen2.context_length", .uint32(256))
        var s = Stream(state: seed + UInt64(type.rawValue))
        for (name, rows, columns, kind) in tensorSpecs {
            let n = rows * columns
            let shape = rows == 1 ? [columns] : [columns, rows]
            switch kind {
            case .norm, .bias:
                let x = s.floats(n, scale: 0.1, offset: kind == .norm ? 1 : 0)
                try writer.addTensor(name: name, type: .f32, shape: shape, data: bytes(of: x))
            case .matrix:
                try writer.addTensor(name: name, type: type, shape: shape, data: matrixBytes(type: type, count: n, stream: &s))
            }
        }
        try writer.write(to: path)
    }

    private static func matrixBytes(type: GGMLType, count n: Int, stream s: inout Stream) -> [UInt8] {
        switch type {
        case .f32: return bytes(of: s.floats(n, scale: 0.08))
        case .f16: return bytes(of: s.floats(n, scale: 0.08).map { Float16($0).bitPattern })
        case .bf16:
            return bytes(of: s.floats(n, scale: 0.08).map { x -> UInt16 in
                let b = UInt64(x.bitPattern)
                return UInt16(truncatingIfNeeded: (b + (0x7FFF + ((b >> 16) & 1))) >> 16)
            })
        default:
            let elements = type.blockElements, size = type.blockBytes
            var blocks = s.bytes(n / elements * size)
            for block in 0..<(n / elements) {
                for field in scaleFields[type]! {
                    let u = s.uniform()
                    let v = field.signed ? field.base * (2 * u - 1) : field.base * (0.5 + u)
                    let bits = Float16(v).bitPattern
                    blocks[block * size + field.offset] = UInt8(bits & 0xFF)
                    blocks[block * size + field.offset + 1] = UInt8(bits >> 8)
                }
            }
            return blocks
        }
    }

    private static func bytes<T>(of values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }
}
