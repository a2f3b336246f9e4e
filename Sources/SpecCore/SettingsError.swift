/// An impossible setting, with a message that says which and why.
public struct SettingsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
