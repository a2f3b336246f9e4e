#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the last reference
/// goes away.
///
/// Mapping costs no reading: pages are loaded on first touch, so opening a large
/// model is O(1) in its size. The bytes are immutable for as long as the file on
/// disk is not modified; truncating the file while it is mapped makes touching
/// the lost pages fault (SIGBUS), which no reader can guard against.
final class MappedFile: @unchecked Sendable {
    /// The path as given.
    let path: String
    /// The file's bytes; never empty.
    let bytes: UnsafeRawBufferPointer

    /// Opens and maps `path`.
    /// - Throws: `GGUFError` if the path does not exist, cannot be opened, is not
    ///   a regular file, is empty, or cannot be mapped.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let reason = code == ENOENT ? "no such file" : "cannot open: \(Self.describe(errno: code))"
            throw GGUFError(path: path, reason: reason)
        }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw GGUFError(path: path, reason: "cannot stat: \(Self.describe(errno: errno))")
        }
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFDIR else { throw GGUFError(path: path, reason: "is a directory, not a GGUF file") }
        guard kind == S_IFREG else { throw GGUFError(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { throw GGUFError(path: path, reason: "empty file (0 bytes), not a GGUF file") }

        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            throw GGUFError(path: path, reason: "cannot map \(size) bytes: \(Self.describe(errno: errno))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }

    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
