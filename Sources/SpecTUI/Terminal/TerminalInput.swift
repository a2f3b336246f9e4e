/// What `Terminal.readInput` reports.
public enum TerminalInput: Sendable, Equatable {
    /// A key press.
    case key(KeyCode)
    /// A click or a wheel turn (when the terminal reports the mouse).
    case mouse(MouseEvent)
    /// The terminal changed size; the next `present` redraws everything.
    case resized(width: Int, height: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived: the program should finish its
    /// frame, call `Terminal.restore()` and exit.
    case interrupted(signal: Int32)
}
