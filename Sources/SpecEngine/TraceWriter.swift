import Foundation

/// Records a session as a trace: a header line, then each `SessionEvent` as
/// one JSON line, written with one `write(2)` per line and no user-space
/// buffer, so a run killed at any point leaves every line it wrote readable
/// (at worst the last one is cut off, which `TraceReader` reports by line).
///
/// Thread-safe: lines from several threads never interleave.
/// - Complexity: one JSON encoding and one system call per event, on the
///   caller's thread (about 25 µs for an 8-node `levelDrafted` on a loaded
///   2-core machine; a session pays it inside its step timings).
public final class TraceWriter: Sendable {
    public let path: String
    private let descriptor: Locked<Int32>
    private let encoder = Locked(TraceCoding.encoder())

    /// Creates (or truncates) `path` and writes the header.
    /// - Throws: `TraceError` when the file cannot be created or written.
    public init(path: String, header: TraceHeader = TraceHeader()) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TraceError(path: path, line: 0, "cannot create the trace \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = Locked(fd)
        try writeLine(header)
    }

    deinit { close() }

    /// Appends `event` as one line.
    /// - Throws: `TraceError` when the write fails (disk full, closed file).
    public func write(_ event: SessionEvent) throws {
        try writeLine(event)
    }

    /// Closes the file; later writes throw.
    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Foundation.close(fd) }
            fd = -1
        }
    }

    private func writeLine<T: Encodable>(_ value: T) throws {
        var bytes = try encoder.withLock { try $0.encode(value) }
        bytes.append(0x0A)
        try descriptor.withLock { fd in
            guard fd >= 0 else { throw TraceError(path: path, line: 0, "the trace \(path) is closed") }
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw TraceError(path: path, line: 0, "cannot write the trace \(path): \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
        }
    }
}
