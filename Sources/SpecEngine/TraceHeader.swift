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
