import Foundation

/// Why a GGUF file could not be read or written: the file and what is wrong
/// with it, in words a user can act on.
///
/// `description` reads like `model.gguf: truncated: tensor info 12 of 272
/// needs bytes up to 9120, the file has 9000 bytes`. Errors raised before any
/// file is involved (for example by `GGUFWriter.addTensor`) have an empty `path`
/// and describe themselves by `reason` alone.
public struct GGUFError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The file as the caller named it, or "" when no file is involved.
    public let path: String
    /// What is wrong, without the path.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    public var errorDescription: String? { description }
}
