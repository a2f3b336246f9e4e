import Foundation
import SpecModels
import Testing

/// The default model, SmolLM2-135M-Instruct Q4_1, read as llama.cpp wrote it.
/// The model must be present: a missing model is a failure, not a skip.
@Suite("GGUF real model")
struct GGUFRealModelTests {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// `$SPECTREE_MODELS/<file>`, by default `$HOME/.cache/spectree/models/<file>`.
    static var modelPath: String {
        let environment = ProcessInfo.processInfo.environment
        let directory = environment["SPECTREE_MODELS"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/spectree/models"
        return directory + "/" + fileName
    }

    static func openModel() throws -> GGUFFile {
        let path = modelPath
        try #require(FileManager.default.fileExists(atPath: path),
                     "the default model is missing at \(path): run `make test`, whose first step fetches it (or set SPECTREE_MODELS to its directory)")
        return try GGUFFile(path: path)
    }

    @Test("header, metadata and tensor table are as llama.cpp wrote them")
    func contents() throws {
        let file = try Self.openModel()
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.tensors.count == 272)
        #expect(file.string("general.architecture") == "llama")
        #expect(file.int("llama.block_count") == 30)
        #expect(file.int("llama.embedding_length") == 576)
        #expect(file.strings("tokenizer.ggml.tokens")?.count == 49152)
        #expect(file.strings("tokenizer.ggml.merges")?.count == 48900)
        #expect(file.ints("tokenizer.ggml.token_type")?.count == 49152)

        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .q8_0)
        #expect(embedding.shape == [576, 49152])
        #expect(embedding.byteCount == 576 / 32 * 34 * 49152)
        #expect(file.tensors.filter { $0.type == .q4_1 }.count == 210)
        #expect(file.tensors.allSatisfy { $0.type != nil && $0.type!.isSupported })
        #expect(file.tensor(named: "blk.29.ffn_down.weight")?.shape == [1536, 576])
    }

    @Test("every tensor's data lies inside the file, aligned, without overlap")
    func dataInFile() throws {
        let file = try Self.openModel()
        let size = try #require(FileManager.default.attributesOfItem(atPath: Self.modelPath)[.size] as? Int)
        #expect(file.fileSize == size)
        #expect(file.dataOffset % file.alignment == 0)
        var end = 0
        for tensor in file.tensors.sorted(by: { $0.offset < $1.offset }) {
            #expect(tensor.offset >= end, "\(tensor.name) overlaps its predecessor")
            #expect(tensor.offset % file.alignment == 0)
            #expect(file.dataOffset + tensor.offset + tensor.byteCount <= size, "\(tensor.name)")
            let bytes = file.data(for: tensor)
            #expect(bytes.count == tensor.byteCount)
            end = tensor.offset + tensor.byteCount
        }
        // The last norm weight is F32 and must decode to plausible numbers.
        let norm = try #require(file.tensor(named: "output_norm.weight"))
        #expect(norm.type == .f32)
        let values = file.data(for: norm).loadUnaligned(as: SIMD4<Float>.self)
        #expect((0 ..< 4).allSatisfy { values[$0].isFinite && values[$0] != 0 })
    }

    @Test("rewriting the model with GGUFWriter reproduces it byte for byte")
    func rewrite() throws {
        let file = try Self.openModel()
        var writer = GGUFWriter(version: file.version, alignment: file.alignment)
        for key in file.metadataKeys { writer.set(key, file.metadata[key]!) }
        for tensor in file.tensors {
            try writer.addTensor(name: tensor.name, type: try #require(tensor.type), shape: tensor.shape,
                                 data: Array(file.data(for: tensor)))
        }
        let scratch = GGUFScratch()
        let path = scratch.path("rewritten.gguf")
        try writer.write(to: path)
        // llama.cpp lays the file out exactly as GGUFWriter does.
        #expect(FileManager.default.contentsEqual(atPath: path, andPath: Self.modelPath),
                "the rewritten model differs from the original")
        let copy = try GGUFFile(path: path)
        #expect(copy.metadataKeys == file.metadataKeys)
        #expect(copy.metadata == file.metadata)
        #expect(copy.tensors == file.tensors)
        #expect(copy.dataOffset == file.dataOffset)
    }
}
