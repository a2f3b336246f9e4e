import SpecEngine

/// What the live loop must do after a key: `InputController` decides, the
/// loop (which owns the terminal and the session) carries it out.
public enum LiveAction: Sendable, Equatable {
    /// Send a command to the session.
    case send(SessionCommand)
    /// Load and use the next colour theme.
    case nextTheme
    /// Repaint the whole screen.
    case redraw
    /// Leave the loop (after sending `.quit`).
    case quit
}
