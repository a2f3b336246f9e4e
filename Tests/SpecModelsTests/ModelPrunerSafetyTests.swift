import Foundation
import SpecModels
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ModelPruner` never overwrites the model it reads, however the output path
/// is spelled, and never leaves a half-written output.
@Suite("Model pruner safety")
struct ModelPrunerSafetyTests {
    @Test("the input is refused as the output by every spelling and link, and left unchanged")
    func sameFileRefused() throws {
        let scratch = GGUFScratch()
        let path = scratch.path("model.gguf")
        try SyntheticModel.write(type: .q8_0, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(symlink(path, scratch.path("symlink.gguf")) == 0)
        #expect(link(path, scratch.path("hardlink.gguf")) == 0)
        try FileManager.default.createDirectory(atPath: scratch.path("sub"), withIntermediateDirectories: true)
        let directoryName = URL(fileURLWithPath: scratch.directory).lastPathComponent
        let spellings = [
            path, scratch.directory + "/./model.gguf", scratch.directory + "/sub/../model.gguf",
            scratch.directory + "/../" + directoryName + "/model.gguf",
            scratch.path("symlink.gguf"), scratch.path("hardlink.gguf"),
        ]
        let file = try GGUFFile(path: path)
        let selection = try LayerSelection(parsing: "1", layerCount: SyntheticModel.layers)
        for output in spellings {
            let error = #expect(throws: ModelLoadError.self, "\(output)") {
                try ModelPruner.write(file, layers: selection, to: output)
            }
            #expect(error?.description.contains("is the model being pruned") == true, "\(String(describing: error))")
        }
        // Opened through a link, the real path is refused too.
        let viaLink = try GGUFFile(path: scratch.path("symlink.gguf"))
        #expect(throws: ModelLoadError.self) { try ModelPruner.write(viaLink, layers: selection, to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.directory))
                == ["model.gguf", "symlink.gguf", "hardlink.gguf", "sub"])
    }

    @Test("a pruned copy goes elsewhere whole; a failed write leaves nothing behind")
    func writesWholeOrNothing() throws {
        let scratch = GGUFScratch()
        let path = scratch.path("model.gguf")
        try SyntheticModel.write(type: .q8_0, to: path)
        let file = try GGUFFile(path: path)
        let selection = try LayerSelection(parsing: "1", layerCount: SyntheticModel.layers)
        try ModelPruner.write(file, layers: selection, to: scratch.path("pruned.gguf"))
        let pruned = try GGUFFile(path: scratch.path("pruned.gguf"))
        #expect(try TransformerConfig(file: pruned).layerCount == 1)
        // A directory where the file should go: the rename fails, nothing stays.
        try FileManager.default.createDirectory(atPath: scratch.path("taken.gguf/inner"), withIntermediateDirectories: true)
        #expect(throws: GGUFError.self) { try ModelPruner.write(file, layers: selection, to: scratch.path("taken.gguf")) }
        #expect(throws: GGUFError.self) { try ModelPruner.write(file, layers: selection, to: scratch.path("missing/x.gguf")) }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.directory))
                == ["model.gguf", "pruned.gguf", "taken.gguf"])
    }
}
