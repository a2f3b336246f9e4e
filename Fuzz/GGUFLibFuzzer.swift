// libFuzzer entry point for the GGUF reader (built by scripts/fuzz-libfuzzer.sh
// with `swiftc -sanitize=fuzzer,address` together with Sources/SpecModels/GGUF;
// not part of `swift build`).
//
// Each input is written to a file in /dev/shm and opened with `GGUFFile`, as
// spectree opens models. The process aborts (a finding) when an error does not
// name the file, or when an accepted file's tensors overlap or leave the file.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

private let path = "/dev/shm/spectree-libfuzzer-\(getpid()).gguf"

/// Writes small valid seeds with `GGUFWriter` into `SPECTREE_FUZZ_SEED_DIR`
/// (the corpus directory) before libFuzzer reads it: metadata of every kind
/// and a tensor table of three types, in versions 2 and 3, alignments 32 and 64.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["SPECTREE_FUZZ_SEED_DIR"] else { return 0 }
    for (version, alignment) in [(UInt32(3), 32), (UInt32(2), 64)] {
        var writer = GGUFWriter(version: version, alignment: alignment)
        writer.set("general.architecture", .string("llama"))
        writer.set("llama.block_count", .uint32(1))
        writer.set("tokenizer.ggml.tokens", .array([.string("a"), .string("Ġb"), .string("ü")]))
        writer.set("tokenizer.ggml.scores", .array([.float32(0), .float32(-1), .float32(-2)]))
        writer.set("nested", .array([.array([.int64(1)]), .array([.bool(true)])]))
        writer.set("i16", .int16(-3)); writer.set("f64", .float64(0.5))
        do {
            try writer.addTensor(name: "norm", type: .f32, shape: [4], data: [UInt8](repeating: 1, count: 16))
            try writer.addTensor(name: "w", type: .q8_0, shape: [32, 2], data: [UInt8](repeating: 2, count: 68))
            try writer.addTensor(name: "h", type: .f16, shape: [3], data: [UInt8](repeating: 3, count: 6))
            try writer.write(to: "\(directory)/writer-v\(version)-a\(alignment).gguf")
        } catch {
            fatalError("cannot write the seeds: \(error)")
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot create \(path)") }
    guard write(fd, data, size) == size else { fatalError("cannot write \(path)") }
    close(fd)
    do {
        let file = try GGUFFile(path: path)
        let ranges = file.tensors.map { (start: file.dataOffset + $0.offset, end: file.dataOffset + $0.offset + $0.byteCount) }
            .sorted { $0.start < $1.start }
        for r in ranges where r.start < file.dataOffset || r.end > file.fileSize {
            fatalError("accepted a tensor outside the data: \(r)")
        }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.start < a.end {
            fatalError("accepted overlapping tensors: \(a) and \(b)")
        }
        for tensor in file.tensors { _ = file.data(for: tensor).first }
    } catch {
        guard "\(error)".contains(path) else { fatalError("an error without the file's name: \(error)") }
    }
    return 0
}
