/// A benchmark that cannot run as asked, with a message for the user.
public struct BenchError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
