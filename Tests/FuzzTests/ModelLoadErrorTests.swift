import Foundation
import SpecCore
import SpecModels
import Testing

/// Errors found after the GGUF container parses (tokenizer, tensor types,
/// metadata values) name the file, as the container's own errors do.
@Suite("Model load errors name the file", .serialized)
struct ModelLoadErrorTests {
    init() { ComputePool.start(threads: 2) }

    static let cases: [(label: String, fragment: String, types: [String: GGMLType], edit: @Sendable (inout GGUFWriter) -> Void)] = [
        ("merge-unknown", "'zz' is not in the vocabulary", [:], { $0.set("tokenizer.ggml.merges", .array([.string("a zz")])) }),
        ("types-short", "tokenTypes has 3 entries but the vocabulary has 64", [:],
         { $0.set("tokenizer.ggml.token_type", .array([.int32(1), .int32(1), .int32(1)])) }),
        ("bos-outside", "bos token id 9999 is outside the vocabulary", [:], { $0.set("tokenizer.ggml.bos_token_id", .uint32(9999)) }),
        ("eos-negative", "eos token id -5 is outside the vocabulary", [:], { $0.set("tokenizer.ggml.eos_token_id", .int32(-5)) }),
        ("context-negative", "invalid llama.context_length -1", [:], { $0.set("llama.context_length", .int32(-1)) }),
        ("type-i8", "tensor blk.0.attn_q.weight has type I8, which spectree cannot compute", ["blk.0.attn_q.weight": .i8], { _ in }),
    ]

    @Test("each problem found after the header names the file", arguments: 0 ..< 6)
    func namesTheFile(index: Int) throws {
        let c = Self.cases[index]
        let bytes = try FuzzSeeds.tinyModel(types: c.types, customize: c.edit)
        let scratch = FuzzScratch("load-\(c.label)")
        let path = scratch.write(bytes, name: "\(c.label).gguf")
        var tally = FuzzTally()
        GGUFPipeline.run(path: path, full: true, tally: &tally, label: c.label)
        #expect(tally.accepted == 0, "\(c.label) was accepted")
        // Reload to read the message itself.
        let message: String
        do {
            let file = try GGUFFile(path: path)
            _ = try TransformerConfig(file: file)
            _ = try Tokenizer(file: file)
            _ = try TransformerWeights(file: file)
            message = "accepted"
        } catch {
            message = "\(error)"
        }
        #expect(message.hasPrefix("\(c.label).gguf: ") || message.hasPrefix(path + ": "), "\(message)")
        #expect(message.contains(c.fragment), "\(message)")
        #expect(tally.unnamed.isEmpty, "\(tally.unnamed)")
    }
}
