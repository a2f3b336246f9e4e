import Foundation
import SpecModels
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tensor tables that do not describe the data (overlapping tensors, sizes
/// that do not fill their region) and paths that are not regular files are
/// refused with an error naming the file and the tensor, as llama.cpp does.
@Suite("GGUF layout and special files")
struct GGUFLayoutTests {
    /// One tensor of a hand-made table.
    struct Entry {
        var name: String
        var dims: [UInt64]
        var type: UInt32
        var offset: UInt64
    }

    /// The three tensors `GGUFWriter` lays out for `GGUFBadInputTests.smallValidFile`:
    /// F32 [4] (16 bytes) at 0, Q8_0 [32, 2] (68 bytes) at 32, F16 [3] (6 bytes) at 128.
    static let valid: [Entry] = [
        Entry(name: "norm", dims: [4], type: 0, offset: 0),
        Entry(name: "w", dims: [32, 2], type: 8, offset: 32),
        Entry(name: "h", dims: [3], type: 1, offset: 128),
    ]

    /// A file with `entries` as its tensor table and `dataBytes` bytes of data.
    static func file(_ entries: [Entry], dataBytes: Int = 160) -> [UInt8] {
        var bytes = GGUFBytes(version: 3, tensorCount: UInt64(entries.count), entryCount: 0)
        for entry in entries {
            bytes.string(entry.name)
            bytes.u32(UInt32(entry.dims.count))
            for dim in entry.dims { bytes.u64(dim) }
            bytes.u32(entry.type)
            bytes.u64(entry.offset)
        }
        bytes.pad(to: 32)
        bytes.bytes += [UInt8](repeating: 7, count: dataBytes)
        return bytes.bytes
    }

    @Test("the writer's own layout is accepted, in any table order")
    func validLayouts() throws {
        let scratch = GGUFScratch()
        let file = try GGUFFile(path: scratch.write(Self.file(Self.valid), name: "valid.gguf"))
        #expect(file.tensors.map(\.byteCount) == [16, 68, 6])
        _ = try GGUFFile(path: scratch.write(Self.file(Self.valid.reversed()), name: "reversed.gguf"))
        _ = try GGUFFile(path: scratch.write(try GGUFBadInputTests.smallValidFile(), name: "writer.gguf"))
    }

    @Test("a tensor moved onto another's data is refused, naming both", arguments: [-32, 32])
    func overlap(shift: Int) {
        let scratch = GGUFScratch()
        var entries = Self.valid
        entries[2].offset = UInt64(128 + shift)  // 96 lies inside w's 32..<100; 160 leaves a gap after w
        let fragments = shift < 0
            ? ["tensor 'h' (F16 [3]) at offset 96 overlaps the data of tensor 'w'", "runs to 100"]
            : ["tensor 'h' (F16 [3]) starts at offset 160", "tensor 'w'", "ends at 128"]
        expectGGUFError(Self.file(entries, dataBytes: 192), named: "moved\(shift).gguf", in: scratch,
                        mentions: fragments)
    }

    @Test("two tensors at the same offset are refused")
    func sameOffset() {
        let scratch = GGUFScratch()
        var entries = Self.valid
        entries[1].offset = 0
        expectGGUFError(Self.file(entries), named: "same.gguf", in: scratch, mentions: ["overlaps the data of tensor"])
    }

    @Test("a type whose size no longer fills the region up to the next tensor is refused", arguments: [
        (UInt32(2), "Q4_0"),  // 36 bytes: a gap before h
        (UInt32(0), "F32"),   // [32, 2] F32 is 256 bytes: runs over h
    ])
    func retyped(type: UInt32, name: String) {
        let scratch = GGUFScratch()
        var entries = Self.valid
        entries[1].type = type
        expectGGUFError(Self.file(entries, dataBytes: 400), named: "retyped\(type).gguf", in: scratch,
                        mentions: ["tensor 'h'", "tensor 'w' (\(name) [32, 2]"])
    }

    @Test("the first tensor must start at the data section's start")
    func firstNotAtZero() {
        let scratch = GGUFScratch()
        let entries = Self.valid.map { Entry(name: $0.name, dims: $0.dims, type: $0.type, offset: $0.offset + 32) }
        expectGGUFError(Self.file(entries, dataBytes: 192), named: "shifted.gguf", in: scratch,
                        mentions: ["tensor 'norm' (F32 [4])", "starts at offset 32", "not 0"])
    }

    @Test("a FIFO is refused at once, not opened and waited on")
    func fifo() throws {
        let scratch = GGUFScratch()
        let path = scratch.path("model.gguf")
        #expect(mkfifo(path, 0o600) == 0)
        let outcome = Locked<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { _ = try GGUFFile(path: path); outcome.set("accepted") } catch { outcome.set("\(error)") }
            done.signal()
        }
        if done.wait(timeout: .now() + 5) == .timedOut {
            Issue.record("opening a FIFO blocked for 5 s")
            let writer = open(path, O_WRONLY | O_NONBLOCK)  // release the blocked open
            done.wait()
            close(writer)
        }
        #expect(outcome.get() == "\(path): is a FIFO (named pipe), not a GGUF file")
    }
}

/// A value shared with another thread under a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
