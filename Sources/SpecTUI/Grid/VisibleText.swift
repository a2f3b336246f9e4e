/// Token text with whitespace and control characters made visible, for the tree
/// view and the decision panel, where a token like `" the"` or `"\n"` must be
/// told apart at a glance.
///
/// Space → `␣`, newline → `↵`, tab → `⇥`, carriage return, other C0/C1
/// controls and DEL → `\xNN` (marked as an escape so views can dim it), the
/// empty token → `∅`. Everything else is shown as is.
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
            } else {
                body(ch, false)
            }
        }
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
