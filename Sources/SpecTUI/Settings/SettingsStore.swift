import Foundation
import SpecCore
import SpecEngine

/// What spectree remembers between runs, in `settings.json` in its
/// configuration directory: the theme last used, and per model pair (target
/// and draft) the method and shape last used.
///
/// A corrupt or unreadable file is never fatal: `load` returns empty
/// settings and a warning naming the file, and the next `save` replaces it.
public struct SettingsStore: Sendable {
    /// The remembered values, as the file holds them.
    public struct Remembered: Codable, Sendable, Equatable {
        /// The theme in use when the last run ended.
        public var theme: String?
        /// The last method and shape, keyed by `SettingsStore.pairKey(target:draft:)`.
        public var shapes: [String: Shape] = [:]

        public init(theme: String? = nil, shapes: [String: Shape] = [:]) {
            self.theme = theme
            self.shapes = shapes
        }
    }

    /// A method and shape as `SessionSettings` hold them.
    public struct Shape: Codable, Sendable, Equatable {
        public var method: DraftMethod
        public var width: Int
        public var depth: Int
        public var branching: [Int]?
        public var budget: Int?

        public init(_ s: SessionSettings) {
            method = s.method
            width = s.width
            depth = s.depth
            branching = s.branching
            budget = s.budget
        }

        /// `settings` with this method and shape.
        public func applied(to settings: SessionSettings) -> SessionSettings {
            var s = settings
            s.method = method
            s.width = width
            s.depth = depth
            s.branching = branching
            s.budget = budget
            return s
        }
    }

    /// The file: `<configDirectory>/settings.json`.
    public var path: String

    public init(path: String) { self.path = path }

    /// The store in the standard configuration directory, nil when there is none (no `HOME`).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> SettingsStore? {
        configDirectory(environment: environment).map { SettingsStore(path: $0 + "/settings.json") }
    }

    /// The configuration directory, or nil when neither `XDG_CONFIG_HOME` nor `HOME` is set:
    /// `$XDG_CONFIG_HOME/spectree`, or `~/.config/spectree` when that variable is unset or empty.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let x = environment["XDG_CONFIG_HOME"], !x.isEmpty { return x + "/spectree" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/spectree" }
        return nil
    }

    /// The key of a model pair: the target's name and the draft as written (`self:8`, a path).
    public static func pairKey(target: String, draft: String) -> String { target + " + " + draft }

    /// Reads the file: empty settings when it does not exist; empty settings
    /// and a warning when it cannot be read or parsed.
    /// - Complexity: one small file read.
    public func load() -> (remembered: Remembered, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return (Remembered(), nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (Remembered(), "warning: cannot read \(path); settings are not restored")
        }
        do {
            return (try JSONDecoder().decode(Remembered.self, from: data), nil)
        } catch {
            return (Remembered(), "warning: \(path) is not valid spectree settings (\(Self.reason(error))); ignored, and replaced at the end of this run")
        }
    }

    /// Writes `remembered` (creating the directory), replacing the file atomically.
    /// - Throws: file system errors; callers warn and go on.
    public func save(_ remembered: Remembered) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(remembered).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Remembers the end of a run: the theme, and the shape for the pair.
    /// A corrupt file is replaced; a write error is returned as a warning.
    public func record(theme: String?, target: String?, settings: SessionSettings?) -> String? {
        var r = load().remembered
        if let theme { r.theme = theme }
        if let target, let settings { r.shapes[Self.pairKey(target: target, draft: settings.draft)] = Shape(settings) }
        do { try save(r) } catch { return "warning: cannot save settings to \(path): \(error.localizedDescription)" }
        return nil
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): c.debugDescription
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): c.debugDescription
        case DecodingError.keyNotFound(let k, _): "missing \(k.stringValue)"
        default: "\(error)"
        }
    }
}
