import Foundation

/// Concatenates part files into one file and checks its size and SHA-256 as
/// the bytes go by. The bytes go to a temporary name beside the destination
/// and are renamed to it only after the checksum matched, so an interrupted
/// or corrupted assembly never leaves a file under the final name.
public enum PartAssembler {
    /// The temporary name used while assembling `destination`.
    public static func temporaryPath(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
    }

    /// Writes `parts`, in order, to `destination`, then stamps it (`ModelStamp`).
    /// - Parameters:
    ///   - removingParts: deletes each part once copied (halves the disk a download needs).
    ///   - progress: bytes written so far, after each chunk.
    /// - Throws: `ModelLoadError` when a part is missing or unreadable, or the
    ///   result has the wrong size or checksum; nothing is left under
    ///   `destination` or the temporary name then (an older file at
    ///   `destination` stays as it was).
    /// - Complexity: O(total bytes), read and written once in 4 MiB chunks.
    public static func assemble(parts: [String], into destination: String, size: Int64, sha256: String,
                                removingParts: Bool = false, progress: (Int64) -> Void = { _ in }) throws {
        let temporary = temporaryPath(for: destination)
        let manager = FileManager.default
        try? manager.removeItem(atPath: temporary)  // a leftover of an interrupted run
        guard manager.createFile(atPath: temporary, contents: nil), let output = FileHandle(forWritingAtPath: temporary) else {
            throw ModelLoadError("cannot write \(temporary)")
        }
        var finished = false
        defer {
            try? output.close()
            if !finished { try? manager.removeItem(atPath: temporary) }
        }
        var hasher = SHA256()
        var written: Int64 = 0
        for part in parts {
            guard let input = FileHandle(forReadingAtPath: part) else { throw ModelLoadError("cannot read the part \(part)") }
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0) }
                try output.write(contentsOf: chunk)
                written += Int64(chunk.count)
                progress(written)
            }
            if removingParts { try? manager.removeItem(atPath: part) }
        }
        try output.synchronize()
        guard written == size else {
            throw ModelLoadError("the parts of \(destination) hold \(written) bytes, expected \(size)")
        }
        let digest = hasher.finalize()
        guard digest == sha256 else {
            throw ModelLoadError("the assembled \(destination) has SHA-256 \(digest), expected \(sha256)")
        }
        try? manager.removeItem(atPath: ModelStamp.path(for: destination))
        guard rename(temporary, destination) == 0 else {
            throw ModelLoadError("cannot rename \(temporary) to \(destination): \(String(cString: strerror(errno)))")
        }
        finished = true
        if let now = ModelStamp.current(destination) {
            ModelStamp.write(ModelStamp(size: now.size, modifiedNanoseconds: now.modifiedNanoseconds, sha256: digest), for: destination)
        }
    }
}
