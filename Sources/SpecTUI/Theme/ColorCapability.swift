/// What colours the terminal can show.
public enum ColorCapability: String, Sendable, CaseIterable {
    /// No colour: roles become attributes (bold, dim, reverse, underline).
    case monochrome
    /// The eight basic colours.
    case palette8
    /// xterm's 256 colours: 16 system colours, a 6×6×6 cube, 24 greys.
    case palette256

    /// Chooses from what curses reports and the environment: `NO_COLOR` (any
    /// value) forces monochrome; `SPECTREE_COLORS` = `mono`, `8` or `256`
    /// overrides; otherwise 256 colours if `colors ≥ 256`, 8 if `colors ≥ 8`.
    public static func detect(hasColors: Bool, colors: Int, environment: [String: String]) -> ColorCapability {
        if let forced = environment["SPECTREE_COLORS"] {
            switch forced.lowercased() {
            case "mono", "monochrome", "none", "0": return .monochrome
            case "8": return hasColors && colors >= 8 ? .palette8 : .monochrome
            case "256": return hasColors && colors >= 256 ? .palette256 : (hasColors && colors >= 8 ? .palette8 : .monochrome)
            default: break
            }
        }
        if environment["NO_COLOR"] != nil { return .monochrome }
        guard hasColors else { return .monochrome }
        if colors >= 256 { return .palette256 }
        if colors >= 8 { return .palette8 }
        return .monochrome
    }
}
