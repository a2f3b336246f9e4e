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
