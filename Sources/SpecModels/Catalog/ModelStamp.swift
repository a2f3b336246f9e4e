import Foundation

/// A record that a cached model file was hashed and matched its checksum:
/// `<file>.verified`, holding the file's size, modification time and SHA-256.
/// While size and time are unchanged the file is taken as verified without
/// re-hashing a gigabyte at every start; any change (a rewritten byte moves
/// the modification time) makes the next use hash the file again.
public struct ModelStamp: Codable, Equatable, Sendable {
    public var size: Int64
    public var modifiedNanoseconds: Int64  // st_mtim since 1970
    public var sha256: String

    public init(size: Int64, modifiedNanoseconds: Int64, sha256: String) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
    }

    /// Whether the file at `path` carries a stamp for `model` that matches its
    /// size and time now (no hashing). - Complexity: O(1).
    public static func isStamped(_ model: CatalogModel, at path: String) -> Bool {
        guard let now = current(path), let stamp = read(for: path) else { return false }
        return stamp == ModelStamp(size: now.size, modifiedNanoseconds: now.modifiedNanoseconds, sha256: model.sha256)
    }

    /// What `check` found.
    public enum Outcome: Equatable, Sendable {
        case verified
        case mismatch(String)  // why, in words
    }

    /// The stamp's path for the file at `path`.
    public static func path(for path: String) -> String { path + ".verified" }

    /// The size and modification time of the file at `path` now, if it exists.
    public static func current(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// Whether the file at `path` is `model`: trusted by its stamp when size and
    /// time match it, otherwise hashed (and stamped when it matches).
    /// - Complexity: O(1) with a matching stamp; O(file size) otherwise.
    public static func check(_ model: CatalogModel, at path: String, progress: (Int64) -> Void = { _ in }) -> Outcome {
        guard let now = current(path) else { return .mismatch("the file is missing") }
        if now.size != model.size {
            return .mismatch("it has \(now.size) bytes, \(model.fileName) has \(model.size)")
        }
        if let stamp = read(for: path), stamp == ModelStamp(size: now.size, modifiedNanoseconds: now.modifiedNanoseconds, sha256: model.sha256) {
            return .verified
        }
        return verify(model, at: path, progress: progress)
    }

    /// Hashes the file at `path` whatever its stamp says; stamps it when it
    /// matches `model`, removes its stamp when it does not.
    public static func verify(_ model: CatalogModel, at path: String, progress: (Int64) -> Void = { _ in }) -> Outcome {
        guard let before = current(path) else { return .mismatch("the file is missing") }
        let digest: String
        do { digest = try hash(path, progress: progress) } catch { return .mismatch("it cannot be read: \(error)") }
        guard digest == model.sha256 else {
            try? FileManager.default.removeItem(atPath: Self.path(for: path))
            return .mismatch("its SHA-256 is \(digest), expected \(model.sha256) (a damaged or incomplete file)")
        }
        write(ModelStamp(size: before.size, modifiedNanoseconds: before.modifiedNanoseconds, sha256: digest), for: path)
        return .verified
    }

    /// The SHA-256 of the file at `path`, read in 4 MiB chunks.
    public static func hash(_ path: String, progress: (Int64) -> Void = { _ in }) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ModelLoadError("cannot open \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var done: Int64 = 0
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
            done += Int64(chunk.count)
            progress(done)
        }
        return hasher.finalize()
    }

    /// The stamp beside the file at `path`, if readable.
    public static func read(for path: String) -> ModelStamp? {
        guard let data = FileManager.default.contents(atPath: Self.path(for: path)) else { return nil }
        return try? JSONDecoder().decode(ModelStamp.self, from: data)
    }

    /// Writes `stamp` beside the file at `path` (best effort: without it the file is only hashed again).
    public static func write(_ stamp: ModelStamp, for path: String) {
        guard let data = try? JSONEncoder().encode(stamp) else { return }
        _ = FileManager.default.createFile(atPath: Self.path(for: path), contents: data)
    }
}
