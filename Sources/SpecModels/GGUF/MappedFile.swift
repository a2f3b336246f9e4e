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
    /// The device and inode of the file mapped: what names the same file
    /// whatever the path's spelling, symbolic or hard links.
    let identity: FileIdentity

    /// Opens and maps `path`.
    ///
    /// Anything but a regular file (a FIFO, a socket, a device) is refused
    /// before it is opened, and the open itself does not block (`O_NONBLOCK`),
    /// so a FIFO with no writer cannot hang the caller even if it replaces the
    /// file between the check and the open.
    /// - Throws: `GGUFError` if the path does not exist, cannot be opened, is not
    ///   a regular file, is empty, or cannot be mapped.
    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            let reason = code == ENOENT ? "no such file" : "cannot open: \(Self.describe(errno: code))"
            throw GGUFError(path: path, reason: reason)
        }
        try Self.requireRegular(info, path: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            let reason = code == ENOENT ? "no such file" : "cannot open: \(Self.describe(errno: code))"
            throw GGUFError(path: path, reason: reason)
        }
        defer { close(fd) }

        guard fstat(fd, &info) == 0 else {
            throw GGUFError(path: path, reason: "cannot stat: \(Self.describe(errno: errno))")
        }
        try Self.requireRegular(info, path: path)
        identity = FileIdentity(info)
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

    /// Throws unless `info` describes a regular file, naming what it is instead.
    static func requireRegular(_ info: stat, path: String) throws {
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        let what = switch kind {
        case S_IFDIR: "is a directory"
        case S_IFIFO: "is a FIFO (named pipe)"
        case S_IFSOCK: "is a socket"
        case S_IFCHR, S_IFBLK: "is a device"
        default: "is not a regular file"
        }
        throw GGUFError(path: path, reason: "\(what), not a GGUF file")
    }

    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A file's device and inode numbers: two paths name the same file exactly
/// when these are equal (`./x`, `dir/../x`, a symbolic or a hard link to x).
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The identity of the file at `path` (following symbolic links), or nil
    /// when nothing is there.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}
