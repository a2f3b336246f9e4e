import Foundation
import SpecModels

/// The files the GGUF fuzzer starts from: tiny complete models written with
/// spectree's `GGUFWriter` (they load, tokenize and run, so mutations reach
/// every stage), a metadata-rich file for the parser, and the header of the
/// real SmolLM2 model.
enum FuzzSeeds {
    /// A tiny llama model with a byte-level BPE tokenizer: 2 layers, width 32,
    /// 2 heads of 16, 1 KV head, FFN 64, 64 tokens; matrices of `matrixType`.
    /// `types` overrides the type of the tensors it names; `customize` edits
    /// the metadata last (a replaced key keeps its place).
    static func tinyModel(matrixType: GGMLType = .q8_0, alignment: Int = 32, architecture: String = "llama",
                          types: [String: GGMLType] = [:], customize: (inout GGUFWriter) -> Void = { _ in }) throws -> [UInt8] {
        let dim = 32, ffn = 64, layers = 2
        var tokens = (0 ..< 26).map { String(UnicodeScalar(UInt8(97 + $0))) }   // a…z
        tokens += (0 ..< 26).map { String(UnicodeScalar(UInt8(65 + $0))) }      // A…Z
        tokens += (0 ..< 9).map { String($0) } + ["ab", "abc", "<|endoftext|>"]
        let vocabulary = tokens.count  // 64
        var writer = GGUFWriter(alignment: alignment)
        let a = architecture
        writer.set("general.architecture", .string(a))
        writer.set("general.name", .string("fuzz seed"))
        writer.set("\(a).block_count", .uint32(UInt32(layers)))
        writer.set("\(a).context_length", .uint32(64))
        writer.set("\(a).embedding_length", .uint32(UInt32(dim)))
        writer.set("\(a).feed_forward_length", .uint32(UInt32(ffn)))
        writer.set("\(a).attention.head_count", .uint32(2))
        writer.set("\(a).attention.head_count_kv", .uint32(1))
        writer.set("\(a).attention.layer_norm_rms_epsilon", .float32(1e-5))
        writer.set("\(a).rope.freq_base", .float32(10_000))
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string("default"))
        writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 == vocabulary - 1 ? 3 : 1) }))
        writer.set("tokenizer.ggml.merges", .array([.string("a b"), .string("ab c")]))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(UInt32(vocabulary - 1)))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(vocabulary - 1)))
        var random = FuzzRandom(seed: 7)
        func matrix(_ name: String, rows: Int, columns: Int, type: GGMLType) throws {
            let type = types[name] ?? type
            let n = rows * columns
            var data: [UInt8]
            switch type {
            case .f32: data = floats(n, &random).withUnsafeBytes { Array($0) }
            case .f16: data = floats(n, &random).map { Float16($0).bitPattern }.withUnsafeBytes { Array($0) }
            case .i8: data = (0 ..< n).map { _ in UInt8(random.below(256)) }
            default:
                // Blocks of random bytes with a small float16 scale first (Q8_0, Q4_0: scale at byte 0).
                let blocks = n / type.blockElements
                data = (0 ..< blocks * type.blockBytes).map { _ in UInt8(random.below(256)) }
                for b in 0 ..< blocks {
                    let scale = Float16(0.01).bitPattern
                    data[b * type.blockBytes] = UInt8(scale & 0xFF)
                    data[b * type.blockBytes + 1] = UInt8(scale >> 8)
                }
            }
            try writer.addTensor(name: name, type: type, shape: rows == 1 ? [columns] : [columns, rows], data: data)
        }
        try matrix("token_embd.weight", rows: vocabulary, columns: dim, type: .f16)
        for l in 0 ..< layers {
            let p = "blk.\(l)."
            try matrix(p + "attn_norm.weight", rows: 1, columns: dim, type: .f32)
            try matrix(p + "attn_q.weight", rows: dim, columns: dim, type: matrixType)
            try matrix(p + "attn_k.weight", rows: 16, columns: dim, type: matrixType)
            try matrix(p + "attn_v.weight", rows: 16, columns: dim, type: matrixType)
            try matrix(p + "attn_output.weight", rows: dim, columns: dim, type: matrixType)
            try matrix(p + "ffn_norm.weight", rows: 1, columns: dim, type: .f32)
            try matrix(p + "ffn_gate.weight", rows: ffn, columns: dim, type: matrixType)
            try matrix(p + "ffn_up.weight", rows: ffn, columns: dim, type: matrixType)
            try matrix(p + "ffn_down.weight", rows: dim, columns: ffn, type: matrixType)
        }
        try matrix("output_norm.weight", rows: 1, columns: dim, type: .f32)
        try matrix("output.weight", rows: vocabulary, columns: dim, type: matrixType)
        customize(&writer)
        return writer.serialized()
    }

    /// Metadata of every value kind (nested arrays, strings, bools, floats) and
    /// three small tensors: the parser's corners rather than a model.
    static func metadataRich() throws -> [UInt8] {
        var writer = GGUFWriter(version: 2)
        writer.set("general.architecture", .string("llama"))
        writer.set("u8", .uint8(7)); writer.set("i8", .int8(-7)); writer.set("u16", .uint16(700))
        writer.set("i16", .int16(-700)); writer.set("i64", .int64(-1)); writer.set("f64", .float64(0.5))
        writer.set("flag", .bool(true))
        writer.set("strings", .array([.string("a"), .string("Ġb"), .string("ü"), .string("")]))
        writer.set("nested", .array([.array([.int64(1), .int64(2)]), .array([.int64(3)])]))
        writer.set("deep", .array([.array([.array([.string("x")])])]))
        try writer.addTensor(name: "norm", type: .f32, shape: [4], data: [UInt8](repeating: 1, count: 16))
        try writer.addTensor(name: "w", type: .q8_0, shape: [32, 2], data: [UInt8](repeating: 2, count: 68))
        try writer.addTensor(name: "h", type: .f16, shape: [3], data: [UInt8](repeating: 3, count: 6))
        return writer.serialized()
    }

    private static func floats(_ n: Int, _ random: inout FuzzRandom) -> [Float] {
        (0 ..< n).map { _ in Float(random.below(2001) - 1000) / 10_000 }
    }
}
