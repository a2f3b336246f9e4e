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
