/// An error loading a model: a message that names the file or tensor and what is wrong.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
