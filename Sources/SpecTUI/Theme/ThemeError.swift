/// Why a theme could not be read. Loading a theme never traps: callers show
/// `description` (which names the file and line) and keep the current theme.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Line `line` (1-based) of `file` is not `theme[role]="#RRGGBB"`, a comment or blank.
    case malformedLine(file: String, line: Int, text: String, reason: String)
    /// The file could not be opened or is not UTF-8.
    case unreadable(path: String, reason: String)
    /// No theme of that name in any theme directory.
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case let .malformedLine(file, line, text, reason):
            return "\(file):\(line): \(reason): \(text)"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .notFound(name, searched):
            return "theme \"\(name)\" not found in \(searched.isEmpty ? "any theme directory" : searched.joined(separator: ", "))"
        }
    }

    /// The 1-based line number of a malformed line, else nil.
    public var line: Int? {
        if case let .malformedLine(_, line, _, _) = self { return line }
        return nil
    }
}
