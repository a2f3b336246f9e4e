/// Token text with whitespace and control characters made visible, for the tree
/// view and the decision panel, where a token like `" the"` or `"\n"` must be
/// told apart at a glance.
///
/// Space → `␣`, newline → `↵`, tab → `⇥`, no-break space → `⍽`, carriage
/// return, other C0/C1 controls and DEL → `\xNN`, zero-width and other
/// invisible format characters and spaces (U+200B, U+FEFF, U+2003, …) →
/// `<U+200B>` (all marked as escapes so views can dim them), the empty token
/// → `∅`. Everything else is shown as is; an emoji sequence keeps its joiners.
public enum VisibleText {
    /// Calls `body` with each visible character of `token` and whether it is
    /// part of an escape (`␣`, `↵`, `\xNN`, …) rather than literal text.
    /// - Complexity: O(n) in the token's length; allocates nothing.
    @inlinable
    public static func forEach(_ token: String, _ body: (Character, Bool) -> Void) {
        if token.isEmpty {
            body("∅", true)
            return
        }
        for ch in token {
            var it = ch.unicodeScalars.makeIterator()
            let v = it.next()!.value
            let single = it.next() == nil
            if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) {
                switch v {
                case 0x0A: body("↵", true)
                case 0x0D where !single: body("↵", true)  // "\r\n" is one character
                case 0x09: body("⇥", true)
                default:
                    body("\\", true)
                    body("x", true)
                    body(hexDigit(v >> 4), true)
                    body(hexDigit(v & 0xF), true)
                }
            } else if v == 0x20 && single {
                body("␣", true)
            } else if v == 0xA0 && single {
                body("⍽", true)
            } else if isInvisible(v) || (!single && v < 0x2000 && ch.unicodeScalars.contains { isInvisible($0.value) }) {
                // Lone invisibles, or invisibles attached to text (not an emoji's joiners): scalar by scalar.
                for scalar in ch.unicodeScalars {
                    if isInvisible(scalar.value) { codePoint(scalar.value, body) } else { body(Character(scalar), false) }
                }
            } else {
                body(ch, false)
            }
        }
    }

    /// Zero-width and format characters, and spaces other than U+0020 and
    /// U+00A0, that draw nothing or look like a plain space.
    @inlinable
    public static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2000...0x200F, 0x2028...0x202F,
             0x205F...0x206F, 0x3000, 0x3164, 0xFEFF, 0xFFA0, 0xFFF9...0xFFFB, 0xE0000...0xE007F:
            return true
        default:
            return false
        }
    }

    /// `<U+XXXX>` (at least four hex digits), each character an escape.
    @inlinable
    static func codePoint(_ v: UInt32, _ body: (Character, Bool) -> Void) {
        body("<", true); body("U", true); body("+", true)
        var digits = 4
        while digits < 6 && v >> (4 * UInt32(digits)) != 0 { digits += 1 }
        for k in stride(from: digits - 1, through: 0, by: -1) { body(hexDigit(v >> (4 * UInt32(k))), true) }
        body(">", true)
    }

    /// The visible form as a string (for tests and one-off labels).
    public static func string(_ token: String) -> String {
        var out = ""
        forEach(token) { ch, _ in out.append(ch) }
        return out
    }

    /// Columns the visible form takes.
    /// - Complexity: O(n); allocates nothing.
    public static func width(_ token: String) -> Int {
        var w = 0
        forEach(token) { ch, _ in w += DisplayWidth.of(ch) }
        return w
    }

    /// The code point of a C0 control, DEL or C1 control, else nil.
    @inlinable
    public static func controlValue(_ ch: Character) -> UInt32? {
        guard let s = ch.unicodeScalars.first else { return nil }
        let v = s.value
        if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) { return v }
        return nil
    }

    @inlinable
    static func hexDigit(_ v: UInt32) -> Character {
        let digits: StaticString = "0123456789ABCDEF"
        return Character(Unicode.Scalar(digits.utf8Start[Int(v & 0xF)]))
    }
}
