/// A mouse event as the terminal reports it, independent of curses: a press
/// of the left button or a turn of the wheel, at a screen cell.
public struct MouseEvent: Sendable, Equatable, Hashable {
    public enum Kind: Sendable, Equatable, Hashable {
        /// The left button went down (or clicked).
        case press
        /// The wheel turned away from the user (scroll up) or towards them.
        case wheelUp, wheelDown
    }

    public var kind: Kind
    /// The cell's column and row (0-based, from the top left).
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
