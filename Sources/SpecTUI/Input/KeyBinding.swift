/// One row of the key map: a command, the keys that send it, its help text,
/// and how it appears in the status line.
public struct KeyBinding: Sendable, Equatable {
    public var command: UICommand
    /// Keys, the first being the one shown in the status line.
    public var keys: [KeyCode]
    /// Help overlay text, e.g. "pause / resume".
    public var help: String
    /// Status-line word; bindings with the same word share one item (`+/- width`).
    public var status: String?
    /// Lower ranks survive when the status line is short of room.
    public var rank: Int

    public init(_ command: UICommand, _ keys: [KeyCode], help: String, status: String? = nil, rank: Int = 100) {
        self.command = command
        self.keys = keys
        self.help = help
        self.status = status
        self.rank = rank
    }
}
