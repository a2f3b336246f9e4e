/// Light box-drawing characters as sets of arms (up, down, left, right), so
/// that a line drawn across another merges into the right junction:
/// `─` over `│` gives `┼`, `│` ending on `─` gives `┬` or `┴`.
///
/// Glyphs: `─ │ ┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼`. All lookups are O(1) and allocate nothing.
public struct BoxGlyph: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let up = BoxGlyph(rawValue: 1)
    public static let down = BoxGlyph(rawValue: 2)
    public static let left = BoxGlyph(rawValue: 4)
    public static let right = BoxGlyph(rawValue: 8)

    public static let horizontal: BoxGlyph = [.left, .right]
    public static let vertical: BoxGlyph = [.up, .down]

    /// The character for this set of arms (a lone arm draws as a full line).
    public var character: Character {
        BoxGlyph.characters[Int(rawValue & 0xF)]
    }

    /// The arms of a light box-drawing character, or nil for any other character.
    public init?(_ character: Character) {
        guard let i = BoxGlyph.characters.firstIndex(of: character), i != 0 else { return nil }
        // Lone arms share glyphs with full lines; map them back to the full line.
        switch i {
        case 1, 2: self = .vertical
        case 4, 8: self = .horizontal
        default: self = BoxGlyph(rawValue: UInt8(i))
        }
    }

    /// The scalar value of `character`.
    public var scalar: UInt32 { BoxGlyph.scalars[Int(rawValue & 0xF)] }

    /// The arms of the light box-drawing character with scalar value `v`, or nil.
    /// - Complexity: O(1) (a switch).
    public init?(scalar v: UInt32) {
        switch v {
        case 0x2500: self = .horizontal
        case 0x2502: self = .vertical
        case 0x250C: self = [.down, .right]
        case 0x2510: self = [.down, .left]
        case 0x2514: self = [.up, .right]
        case 0x2518: self = [.up, .left]
        case 0x251C: self = [.up, .down, .right]
        case 0x2524: self = [.up, .down, .left]
        case 0x252C: self = [.down, .left, .right]
        case 0x2534: self = [.up, .left, .right]
        case 0x253C: self = [.up, .down, .left, .right]
        default: return nil
        }
    }

    static let scalars: [UInt32] = characters.map { $0.unicodeScalars.first!.value }

    /// Indexed by arm mask: up 1, down 2, left 4, right 8.
    static let characters: [Character] = [
        " ", "│", "│", "│",   // -, U, D, UD
        "─", "┘", "┐", "┤",   // L, UL, DL, UDL
        "─", "└", "┌", "├",   // R, UR, DR, UDR
        "─", "┴", "┬", "┼",   // LR, ULR, DLR, UDLR
    ]
}
