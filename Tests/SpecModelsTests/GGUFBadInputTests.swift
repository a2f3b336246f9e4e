import Foundation
import SpecCore
import SpecModels
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Malformed files are rejected with a `GGUFError` that names the file and the
/// problem; none crashes the reader or makes it allocate from a corrupt count.
@Suite("GGUF bad input")
struct GGUFBadInputTests {
    /// A small valid file with every section: metadata of several kinds
    /// (including a string array and a nested array) and three tensors.
    static func smallValidFile() throws -> [UInt8] {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("llama.block_count", .uint32(2))
        writer.set("tokenizer.ggml.tokens", .array([.string("a"), .string("Ġb"), .string("ü")]))
        writer.set("tokenizer.ggml.scores", .array([.float32(0), .float32(-1), .float32(-2)]))
        writer.set("nested", .array([.array([.int64(1)]), .array([.bool(true)])]))
        writer.set("flag", .bool(false))
        try writer.addTensor(name: "norm", type: .f32, shape: [4], data: [UInt8](repeating: 1, count: 16))
        try writer.addTensor(name: "w", type: .q8_0, shape: [32, 2], data: [UInt8](repeating: 2, count: 68))
        try writer.addTensor(name: "h", type: .f16, shape: [3], data: [UInt8](repeating: 3, count: 6))
        return writer.serialized()
    }

    /// A file with one metadata entry, whose type and payload are given raw.
    static func fileWithEntry(key: String = "my.key", type: UInt32, payload: (inout GGUFBytes) -> Void) -> [UInt8] {
        var bytes = GGUFBytes(version: 3, tensorCount: 0, entryCount: 1)
        bytes.string(key)
        bytes.u32(type)
        payload(&bytes)
        return bytes.bytes
    }

    /// A file with one tensor described by the raw fields given, then
    /// `dataBytes` bytes of data after the padding.
    static func fileWithTensor(name: String = "blk.0.w", dims: [UInt64], type: UInt32, offset: UInt64 = 0,
                               dataBytes: Int, alignment: UInt32? = nil) -> [UInt8] {
        var bytes = GGUFBytes(version: 3, tensorCount: 1, entryCount: alignment == nil ? 0 : 1)
        if let alignment {
            bytes.string("general.alignment"); bytes.u32(4); bytes.u32(alignment)
        }
        bytes.string(name)
        bytes.u32(UInt32(dims.count))
        for dim in dims { bytes.u64(dim) }
        bytes.u32(type)
        bytes.u64(offset)
        bytes.pad(to: max(1, Int(alignment ?? 32)))
        bytes.bytes += [UInt8](repeating: 0, count: dataBytes)
        return bytes.bytes
    }

    @Test("the small valid file opens, with trailing bytes too")
    func validBaseline() throws {
        let scratch = GGUFScratch()
        let bytes = try Self.smallValidFile()
        let file = try GGUFFile(path: scratch.write(bytes, name: "valid.gguf"))
        #expect(file.tensors.count == 3)
        #expect(file.strings("tokenizer.ggml.tokens") == ["a", "Ġb", "ü"])
        _ = try GGUFFile(path: scratch.write(bytes + [1, 2, 3], name: "trailing.gguf"))
        let tensorFile = Self.fileWithTensor(dims: [32, 2], type: 8, dataBytes: 68)
        #expect(try GGUFFile(path: scratch.write(tensorFile, name: "tensor.gguf")).tensors.first?.byteCount == 68)
    }

    @Test("every truncation of a valid file throws a 'truncated' error naming the file")
    func everyTruncation() throws {
        let scratch = GGUFScratch()
        let bytes = try Self.smallValidFile()
        // The last tensor's padding is not needed; everything before its last byte is.
        let lastNeeded = bytes.count - (32 - 6)
        for length in 0 ..< lastNeeded {
            let name = "cut-\(length).gguf"
            let fragment = length == 0 ? "empty file" : "truncated"
            expectGGUFError(Array(bytes[..<length]), named: name, in: scratch, mentions: [fragment])
        }
        _ = try GGUFFile(path: scratch.write(Array(bytes[..<lastNeeded]), name: "just-enough.gguf"))
    }

    @Test("random bytes never crash the reader")
    func randomBytes() throws {
        let scratch = GGUFScratch()
        var generator = RandomSource(seed: 0x5eed)
        let valid = try Self.smallValidFile()
        var opened = 0
        for round in 0 ..< 3000 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:  // pure noise
                bytes = (0 ..< Int.random(in: 0 ... 300, using: &generator)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            case 1:  // a valid header followed by noise
                bytes = Array(valid[..<24]) + (0 ..< Int.random(in: 0 ... 400, using: &generator)).map { _ in
                    UInt8.random(in: 0 ... 255, using: &generator)
                }
                bytes[8] = UInt8.random(in: 0 ... 4, using: &generator)   // small tensor count
                bytes[16] = UInt8.random(in: 0 ... 4, using: &generator)  // small entry count
            default:  // a valid file with a few bytes changed
                bytes = valid
                for _ in 0 ..< Int.random(in: 1 ... 4, using: &generator) {
                    bytes[Int.random(in: 0 ..< bytes.count, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
                }
            }
            let path = scratch.write(bytes, name: "random.gguf")
            do {
                let file = try GGUFFile(path: path)
                opened += 1
                for tensor in file.tensors {
                    #expect(file.dataOffset + tensor.offset + tensor.byteCount <= bytes.count)
                    #expect(file.data(for: tensor).count == tensor.byteCount)
                }
            } catch let error as GGUFError {
                #expect(error.description.contains("random.gguf"), "\(error)")
                #expect(error.path == path)
            }
        }
        // Mutants that only touch tensor data or padding still open.
        #expect(opened > 0)
    }

    @Test("wrong magic says what was found")
    func wrongMagic() {
        let scratch = GGUFScratch()
        expectGGUFError([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], named: "elf.gguf", in: scratch,
                        mentions: ["not a GGUF file", "7f 45 4c 46", "\".ELF\""])
        var ggml = GGUFBytes(version: 3, tensorCount: 0, entryCount: 0)
        ggml.bytes[3] = 0x4c
        expectGGUFError(ggml.bytes, named: "ggml.gguf", in: scratch, mentions: ["47 47 55 4c", "GGUL"])
        expectGGUFError([0x47, 0x48], named: "two.gguf", in: scratch, mentions: ["not a GGUF file", "47 48"])
        expectGGUFError([0x47, 0x47], named: "short.gguf", in: scratch, mentions: ["truncated", "2 bytes"])
    }

    @Test("versions 1, 99 and big-endian files are refused by name")
    func versions() {
        let scratch = GGUFScratch()
        expectGGUFError(GGUFBytes(version: 1, tensorCount: 0, entryCount: 0).bytes, named: "v1.gguf", in: scratch,
                        mentions: ["version 1 is not supported"])
        expectGGUFError(GGUFBytes(version: 99, tensorCount: 0, entryCount: 0).bytes, named: "v99.gguf", in: scratch,
                        mentions: ["unsupported GGUF version 99"])
        expectGGUFError(GGUFBytes(version: UInt32(3).byteSwapped, tensorCount: 0, entryCount: 0).bytes,
                        named: "be.gguf", in: scratch, mentions: ["big-endian"])
        expectGGUFError([0x47, 0x47, 0x55, 0x46, 3, 0], named: "halfversion.gguf", in: scratch,
                        mentions: ["truncated", "version"])
    }

    @Test("unknown value types name the key")
    func unknownValueType() {
        let scratch = GGUFScratch()
        expectGGUFError(Self.fileWithEntry(type: 13) { $0.u32(0) }, named: "type13.gguf", in: scratch,
                        mentions: ["metadata entry 1 of 1 ('my.key')", "unknown value type 13"])
        expectGGUFError(Self.fileWithEntry(type: 9) { $0.u32(77); $0.u64(1); $0.u8(0) }, named: "elem77.gguf",
                        in: scratch, mentions: ["'my.key'", "unknown array element type 77"])
    }

    @Test("invalid UTF-8 is refused wherever a string is")
    func invalidUTF8() {
        let scratch = GGUFScratch()
        let bad: [UInt8] = [0x61, 0xc3, 0x28]  // "a", then a broken two-byte sequence
        var key = GGUFBytes(version: 3, tensorCount: 0, entryCount: 1)
        key.u64(3); key.bytes += bad; key.u32(0); key.u8(0)
        expectGGUFError(key.bytes, named: "key.gguf", in: scratch,
                        mentions: ["metadata entry 1 of 1", "invalid UTF-8 in the key", "61 c3 28"])
        let value = Self.fileWithEntry(type: 8) { $0.u64(3); $0.bytes += bad }
        expectGGUFError(value, named: "value.gguf", in: scratch, mentions: ["'my.key'", "invalid UTF-8 in the string"])
        let element = Self.fileWithEntry(key: "tokenizer.ggml.tokens", type: 9) {
            $0.u32(8); $0.u64(3); $0.string("ok"); $0.string("fine"); $0.u64(3); $0.bytes += bad
        }
        expectGGUFError(element, named: "element.gguf", in: scratch,
                        mentions: ["'tokenizer.ggml.tokens'", "element 2", "invalid UTF-8"])
        var tensor = GGUFBytes(version: 3, tensorCount: 1, entryCount: 0)
        tensor.u64(3); tensor.bytes += bad
        tensor.u32(1); tensor.u64(1); tensor.u32(0); tensor.u64(0)
        expectGGUFError(tensor.bytes, named: "tname.gguf", in: scratch,
                        mentions: ["tensor info 1 of 1", "invalid UTF-8 in the tensor name"])
    }

    @Test("bools other than 0 and 1 are refused")
    func badBool() {
        let scratch = GGUFScratch()
        expectGGUFError(Self.fileWithEntry(type: 7) { $0.u8(2) }, named: "bool.gguf", in: scratch,
                        mentions: ["'my.key'", "bool", "is 2"])
    }

    @Test("duplicate keys and tensor names are refused")
    func duplicates() {
        let scratch = GGUFScratch()
        var keys = GGUFBytes(version: 3, tensorCount: 0, entryCount: 2)
        for _ in 0 ..< 2 { keys.string("dup.key"); keys.u32(0); keys.u8(1) }
        expectGGUFError(keys.bytes, named: "keys.gguf", in: scratch,
                        mentions: ["metadata entry 2 of 2", "duplicate metadata key 'dup.key'"])
        var tensors = GGUFBytes(version: 3, tensorCount: 2, entryCount: 0)
        for offset: UInt64 in [0, 32] {
            tensors.string("same"); tensors.u32(1); tensors.u64(8); tensors.u32(0); tensors.u64(offset)
        }
        tensors.pad(to: 32)
        tensors.bytes += [UInt8](repeating: 0, count: 64)
        expectGGUFError(tensors.bytes, named: "tensors.gguf", in: scratch,
                        mentions: ["tensor info 2 of 2", "duplicate tensor name 'same'"])
    }

    @Test("huge counts and lengths fail fast, before allocating")
    func hugeCounts() {
        let scratch = GGUFScratch()
        let huge: UInt64 = 1 << 60
        let start = ContinuousClock.now
        expectGGUFError(GGUFBytes(version: 3, tensorCount: huge, entryCount: 0).bytes, named: "tensors.gguf",
                        in: scratch, mentions: ["tensor count", "\(huge)"])
        expectGGUFError(GGUFBytes(version: 3, tensorCount: 0, entryCount: huge).bytes, named: "entries.gguf",
                        in: scratch, mentions: ["metadata entry count", "\(huge)"])
        var key = GGUFBytes(version: 3, tensorCount: 0, entryCount: 1)
        key.u64(huge)
        key.bytes += [UInt8](repeating: 0x61, count: 16)  // enough for one entry to be possible
        expectGGUFError(key.bytes, named: "keylength.gguf", in: scratch,
                        mentions: ["truncated", "key", "claims \(huge) bytes"])
        expectGGUFError(Self.fileWithEntry(type: 8) { $0.u64(.max) }, named: "strlength.gguf", in: scratch,
                        mentions: ["'my.key'", "claims \(UInt64.max) bytes"])
        for (elementType, label) in [(UInt32(0), "uint8"), (8, "string"), (9, "array"), (12, "float64")] {
            expectGGUFError(Self.fileWithEntry(type: 9) { $0.u32(elementType); $0.u64(huge) },
                            named: "array-\(label).gguf", in: scratch,
                            mentions: ["'my.key'", "claims \(huge) \(label) elements"])
        }
        // Nested arrays whose inner count is huge.
        let nested = Self.fileWithEntry(type: 9) { $0.u32(9); $0.u64(1); $0.u32(8); $0.u64(huge) }
        expectGGUFError(nested, named: "nested.gguf", in: scratch, mentions: ["element 0", "claims \(huge) string"])
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("arrays nested too deep are refused")
    func tooDeep() {
        let scratch = GGUFScratch()
        let depth = GGUFFile.maxArrayDepth + 1
        let bytes = Self.fileWithEntry(type: 9) {
            for _ in 0 ..< depth - 1 { $0.u32(9); $0.u64(1) }
            $0.u32(0); $0.u64(1); $0.u8(0)
        }
        expectGGUFError(bytes, named: "deep.gguf", in: scratch, mentions: ["nested more than \(depth - 1) deep"])
        let ok = Self.fileWithEntry(type: 9) {
            for _ in 0 ..< depth - 2 { $0.u32(9); $0.u64(1) }
            $0.u32(0); $0.u64(1); $0.u8(0)
        }
        #expect(throws: Never.self) { try GGUFFile(path: scratch.write(ok, name: "deep-ok.gguf")) }
    }

    @Test("bad dimensions are refused, naming the tensor")
    func badDimensions() {
        let scratch = GGUFScratch()
        let cases: [([UInt64], UInt32, String, String)] = [
            ([], 0, "ndims0", "0 dimensions"),
            ([1, 1, 1, 1, 1], 0, "ndims5", "5 dimensions"),
            ([4, 0], 0, "zero", "dimension 1 is 0"),
            ([.max], 0, "negative", "dimension 0 is -1"),
            ([1 << 32, 1 << 32], 0, "overflow", "overflows"),
            ([1 << 60, 2], 28, "bytes", "data size of F64 [1152921504606846976, 2] overflows"),
            ([33], 2, "block", "row length 33 (shape[0]) is not a multiple of Q4_0's block of 32"),
        ]
        for (dims, type, label, fragment) in cases {
            expectGGUFError(Self.fileWithTensor(dims: dims, type: type, dataBytes: 64), named: "\(label).gguf",
                            in: scratch, mentions: ["tensor info 1 of 1 ('blk.0.w')", fragment])
        }
    }

    @Test("unknown and removed tensor type ids are refused, naming the tensor")
    func badTensorType() {
        let scratch = GGUFScratch()
        expectGGUFError(Self.fileWithTensor(dims: [32], type: 100, dataBytes: 64), named: "type100.gguf",
                        in: scratch, mentions: ["'blk.0.w'", "unknown tensor type id 100"])
        expectGGUFError(Self.fileWithTensor(dims: [32], type: 31, dataBytes: 64), named: "type31.gguf",
                        in: scratch, mentions: ["'blk.0.w'", "type id 31 (Q4_0_4_4)", "removed"])
    }

    @Test("tensor data past the end of the file is refused with the numbers")
    func outOfBounds() {
        let scratch = GGUFScratch()
        // The tensor table ends at byte 71, so the data section starts at 96.
        // Q8_0 [32, 2] takes 68 bytes there; only 67 follow.
        let short = Self.fileWithTensor(dims: [32, 2], type: 8, dataBytes: 67)
        expectGGUFError(short, named: "short.gguf", in: scratch,
                        mentions: ["truncated", "tensor 'blk.0.w' (Q8_0 [32, 2])", "68 bytes", "96..<164",
                                   "(163 bytes)"])
        let far = Self.fileWithTensor(dims: [8], type: 0, offset: 1 << 62, dataBytes: 32)
        expectGGUFError(far, named: "far.gguf", in: scratch, mentions: ["'blk.0.w'", "past the end"])
        let farthest = Self.fileWithTensor(dims: [8], type: 0, offset: UInt64(Int.max) - 31, dataBytes: 32,
                                           alignment: 1)
        expectGGUFError(farthest, named: "farthest.gguf", in: scratch, mentions: ["'blk.0.w'", "past the end"])
        // The tensor table ends at byte 63 and so does the file: the data section is missing.
        let noData = Self.fileWithTensor(dims: [8], type: 0, dataBytes: 0)
        expectGGUFError(Array(noData.prefix(63)), named: "nodata.gguf", in: scratch,
                        mentions: ["truncated", "data section should start at byte 64"])
    }

    @Test("misaligned tensor offsets are refused")
    func misaligned() {
        let scratch = GGUFScratch()
        expectGGUFError(Self.fileWithTensor(dims: [8], type: 0, offset: 16, dataBytes: 64), named: "misaligned.gguf",
                        in: scratch, mentions: ["'blk.0.w'", "offset 16 is not a multiple of the alignment (32 bytes)"])
        expectGGUFError(Self.fileWithTensor(dims: [8], type: 0, offset: 8, dataBytes: 64, alignment: 16),
                        named: "misaligned16.gguf", in: scratch, mentions: ["offset 8", "(16 bytes)"])
    }

    @Test("alignments that are not positive powers of two are refused")
    func badAlignment() {
        let scratch = GGUFScratch()
        for alignment: UInt32 in [48, 0, 3] {
            expectGGUFError(Self.fileWithTensor(dims: [8], type: 0, dataBytes: 64, alignment: alignment),
                            named: "align\(alignment).gguf", in: scratch,
                            mentions: ["general.alignment is \(alignment), not a positive power of two"])
        }
        let text = Self.fileWithEntry(key: "general.alignment", type: 8) { $0.string("32") }
        expectGGUFError(text, named: "aligntext.gguf", in: scratch, mentions: ["general.alignment is \"32\""])
    }

    @Test("missing paths, directories and empty files are refused")
    func notFiles() throws {
        let scratch = GGUFScratch()
        let missing = scratch.path("does-not-exist.gguf")
        let missingError = #expect(throws: GGUFError.self) { try GGUFFile(path: missing) }
        #expect(missingError?.description == "\(missing): no such file")
        let directoryError = #expect(throws: GGUFError.self) { try GGUFFile(path: scratch.directory) }
        #expect(directoryError?.description == "\(scratch.directory): is a directory, not a GGUF file")
        expectGGUFError([], named: "empty.gguf", in: scratch, mentions: ["empty file (0 bytes)"])
        #expect(GGUFError(path: "x.gguf", reason: "bad").localizedDescription == "x.gguf: bad")
    }
}

// MARK: - Test support shared by the GGUF tests

/// Opens `bytes` as file `name` in `scratch` and expects a `GGUFError` whose
/// description names the file and contains every fragment.
func expectGGUFError(_ bytes: [UInt8], named name: String, in scratch: GGUFScratch, mentions fragments: [String],
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let path = scratch.write(bytes, name: name)
    do {
        let file = try GGUFFile(path: path)
        Issue.record("\(name) was accepted: \(file.tensors.count) tensors, keys \(file.metadataKeys)",
                     sourceLocation: sourceLocation)
    } catch let error as GGUFError {
        let text = error.description
        #expect(text.hasPrefix(path + ": "), "\(text)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(text.contains(fragment), "\(name): expected \"\(fragment)\" in \"\(text)\"",
                    sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("\(name): not a GGUFError: \(error)", sourceLocation: sourceLocation)
    }
}

/// A directory of its own for one test, deleted when the value goes away.
final class GGUFScratch: @unchecked Sendable {
    let directory: String

    init() {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectree-gguf-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    /// Writes `bytes` to `name` and returns its path. Plain POSIX calls:
    /// `Data.write` syncs to disk, which makes thousands of small files slow.
    @discardableResult
    func write(_ bytes: [UInt8], name: String) -> String {
        let path = path(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        let written = bytes.withUnsafeBytes { buffer in
            #if canImport(Glibc)
            Glibc.write(fd, buffer.baseAddress, buffer.count)
            #else
            Darwin.write(fd, buffer.baseAddress, buffer.count)
            #endif
        }
        precondition(written == bytes.count && close(fd) == 0, "cannot write \(path)")
        return path
    }
}

/// Little-endian GGUF fields, appended by hand to build files the writer would
/// never produce.
struct GGUFBytes {
    var bytes: [UInt8] = []

    /// Starts with the magic, `version`, and the two counts.
    init(version: UInt32, tensorCount: UInt64, entryCount: UInt64) {
        bytes = [0x47, 0x47, 0x55, 0x46]
        u32(version)
        u64(tensorCount)
        u64(entryCount)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func string(_ value: String) { u64(UInt64(value.utf8.count)); bytes += value.utf8 }
    mutating func pad(to alignment: Int) {
        bytes += [UInt8](repeating: 0, count: (alignment - bytes.count % alignment) % alignment)
    }
}
