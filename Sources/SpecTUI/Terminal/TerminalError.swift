/// Why the terminal could not be taken over.
public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal.
    case notATerminal
    /// `newterm`/`initscr` failed (unknown `TERM`?).
    case initialisationFailed(term: String?)

    public var description: String {
        switch self {
        case .notATerminal: "standard input and output must be a terminal"
        case let .initialisationFailed(term): "cannot start curses for TERM=\(term ?? "(unset)")"
        }
    }
}
