/// A key as the terminal reports it, independent of curses.
public enum KeyCode: Hashable, Sendable {
    /// A printable character or a control character (Ctrl-L is `"\u{0C}"`).
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, backspace, delete, escape, tab
    /// The terminal was resized.
    case resize
    /// F1…F12.
    case function(Int)

    /// How the key is written in the status line and help: `space`, `q`,
    /// `↑`, `PgUp`, `Esc`, `F1`, `^L`.
    public var label: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c):
            if let v = c.asciiValue, v < 0x20 { return "^" + String(Character(Unicode.Scalar(v + 0x40))) }
            return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .resize: return "resize"
        case .function(let n): return "F\(n)"
        }
    }
}
