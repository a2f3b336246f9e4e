import Foundation

/// The first line of a trace: what it is and which version of the format.
public struct TraceHeader: Sendable, Equatable, Codable {
    /// Always `spectree-trace`.
    public var format: String
    public var version: Int
    /// When recording began, ISO 8601.
    public var created: String
    /// The settings the session started with, for tools that read traces.
    public var settings: SessionSettings?

    public static let formatName = "spectree-trace"
    /// Version 1: one header line, then one `SessionEvent` per line in Swift's
    /// synthesized `Codable` form (`{"decoding":{"_0":{"stepStarted":{…}}}}`).
    public static let currentVersion = 1

    public init(settings: SessionSettings? = nil, created: Date = Date()) {
        format = Self.formatName
        version = Self.currentVersion
        self.created = ISO8601DateFormatter().string(from: created)
        self.settings = settings
    }
}

/// The JSON coders every trace line uses. Non-finite numbers (a rate over
/// zero seconds) are spelled as strings, which plain JSON cannot hold.
enum TraceCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// A trace that cannot be read, naming the file and the line.
public struct TraceError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    /// 1-based; 0 when the whole file is at fault (missing, empty).
    public let line: Int
    public let description: String

    public init(path: String, line: Int, _ description: String) {
        self.path = path
        self.line = line
        self.description = description
    }
}
