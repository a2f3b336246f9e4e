/// Display width of characters in terminal columns, as a terminal with a
/// UTF-8 locale shows them.
///
/// Wide (East Asian Wide/Fullwidth, emoji presentation) characters take two
/// columns; combining marks and format characters take none; East Asian
/// Ambiguous characters (box drawing, `●`, `★`) take one, as in every
/// non-CJK locale. The table follows Unicode 15's EastAsianWidth and emoji
/// data, matching glibc 2.36's `wcwidth` (a test compares them over planes 0–3),
/// so curses and the grid agree on where each character lands.
public enum DisplayWidth {
    /// Columns taken by `character` on its own: 0, 1 or 2.
    ///
    /// Control characters report 1 (the grid draws them as a replacement
    /// glyph; views make them visible first, see `VisibleText`). A cluster
    /// with an emoji presentation selector (U+FE0F) after a pictographic
    /// base is wide.
    /// - Complexity: O(1) for ASCII, O(log 126) otherwise; no allocation.
    @inlinable
    public static func of(_ character: Character) -> Int {
        var it = character.unicodeScalars.makeIterator()
        guard let first = it.next() else { return 0 }
        if first.value < 0x80 { return 1 }
        if it.next() == nil { return of(scalar: first) }
        return ofNonASCII(character)
    }

    /// Total columns of a string, character by character.
    /// - Complexity: O(n) in the string's length.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var bytes = 0
        for b in text.utf8 {
            if b >= 0x80 { bytes = -1; break }
            bytes += 1
        }
        if bytes >= 0 { return bytes }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    @usableFromInline
    static func ofNonASCII(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let w = of(scalar: first)
        if w == 1, scalars.count > 1, first.properties.isEmoji,
           scalars.contains(where: { $0.value == 0xFE0F }) {
            return 2
        }
        return w
    }

    /// Columns taken by one scalar: 0 for combining, enclosing and format
    /// characters (and the Hangul medial/final jamo), 2 for wide ones, else 1.
    /// - Complexity: O(1) in the Basic Multilingual Plane (a 64 KiB table
    ///   built on first use, about a millisecond); O(log 126) above it.
    @inlinable
    public static func of(scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return v == 0 ? 0 : 1 }
        if v < 0x10000 { return Int(bmpTable[Int(v)]) }
        return computed(v)
    }

    /// Widths of U+0000…U+FFFF.
    @usableFromInline
    static let bmpTable: [UInt8] = (0..<0x10000).map { UInt8(computed(UInt32($0))) }

    /// The width from the tables and scalar properties (the slow path).
    @usableFromInline
    static func computed(_ v: UInt32) -> Int {
        if v == 0 { return 0 }
        if v < 0x300 { return 1 }
        if isWide(v) { return 2 }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        guard let scalar = Unicode.Scalar(v) else { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        case .format: return prependedConcatenationMarks.contains(v) ? 1 : 0
        default: return 1
        }
    }

    /// Format characters that are drawn with a width (Arabic number signs and the like).
    static let prependedConcatenationMarks: Set<UInt32> = [
        0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
    ]

    /// Whether `v` lies in one of the wide ranges (binary search).
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count / 2 - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let start = wideRanges[2 * mid], end = wideRanges[2 * mid + 1]
            if v < start { hi = mid - 1 } else if v > end { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Inclusive (first, last) pairs of wide code points, sorted.
    static let wideRanges: [UInt32] = [
        0x1100, 0x115F,
        0x231A, 0x231B,
        0x2329, 0x232A,
        0x23E9, 0x23EC,
        0x23F0, 0x23F0,
        0x23F3, 0x23F3,
        0x25FD, 0x25FE,
        0x2614, 0x2615,
        0x2648, 0x2653,
        0x267F, 0x267F,
        0x2693, 0x2693,
        0x26A1, 0x26A1,
        0x26AA, 0x26AB,
        0x26BD, 0x26BE,
        0x26C4, 0x26C5,
        0x26CE, 0x26CE,
        0x26D4, 0x26D4,
        0x26EA, 0x26EA,
        0x26F2, 0x26F3,
        0x26F5, 0x26F5,
        0x26FA, 0x26FA,
        0x26FD, 0x26FD,
        0x2705, 0x2705,
        0x270A, 0x270B,
        0x2728, 0x2728,
        0x274C, 0x274C,
        0x274E, 0x274E,
        0x2753, 0x2755,
        0x2757, 0x2757,
        0x2795, 0x2797,
        0x27B0, 0x27B0,
        0x27BF, 0x27BF,
        0x2B1B, 0x2B1C,
        0x2B50, 0x2B50,
        0x2B55, 0x2B55,
        0x2E80, 0x2E99,
        0x2E9B, 0x2EF3,
        0x2F00, 0x2FD5,
        0x2FF0, 0x2FFB,
        0x3000, 0x3029,
        0x302E, 0x303E,
        0x3041, 0x3096,
        0x309B, 0x30FF,
        0x3105, 0x312F,
        0x3131, 0x318E,
        0x3190, 0x31E3,
        0x31F0, 0x321E,
        0x3220, 0xA48C,
        0xA490, 0xA4C6,
        0xA960, 0xA97C,
        0xAC00, 0xD7A3,
        0xF900, 0xFA6D,
        0xFA70, 0xFAD9,
        0xFE10, 0xFE19,
        0xFE30, 0xFE52,
        0xFE54, 0xFE66,
        0xFE68, 0xFE6B,
        0xFF01, 0xFF60,
        0xFFE0, 0xFFE6,
        0x16FE0, 0x16FE3,
        0x16FF0, 0x16FF1,
        0x17000, 0x187F7,
        0x18800, 0x18CD5,
        0x18D00, 0x18D08,
        0x1AFF0, 0x1AFF3,
        0x1AFF5, 0x1AFFB,
        0x1AFFD, 0x1AFFE,
        0x1B000, 0x1B122,
        0x1B150, 0x1B152,
        0x1B164, 0x1B167,
        0x1B170, 0x1B2FB,
        0x1F004, 0x1F004,
        0x1F0CF, 0x1F0CF,
        0x1F18E, 0x1F18E,
        0x1F191, 0x1F19A,
        0x1F200, 0x1F202,
        0x1F210, 0x1F23B,
        0x1F240, 0x1F248,
        0x1F250, 0x1F251,
        0x1F260, 0x1F265,
        0x1F300, 0x1F320,
        0x1F32D, 0x1F335,
        0x1F337, 0x1F37C,
        0x1F37E, 0x1F393,
        0x1F3A0, 0x1F3CA,
        0x1F3CF, 0x1F3D3,
        0x1F3E0, 0x1F3F0,
        0x1F3F4, 0x1F3F4,
        0x1F3F8, 0x1F43E,
        0x1F440, 0x1F440,
        0x1F442, 0x1F4FC,
        0x1F4FF, 0x1F53D,
        0x1F54B, 0x1F54E,
        0x1F550, 0x1F567,
        0x1F57A, 0x1F57A,
        0x1F595, 0x1F596,
        0x1F5A4, 0x1F5A4,
        0x1F5FB, 0x1F64F,
        0x1F680, 0x1F6C5,
        0x1F6CC, 0x1F6CC,
        0x1F6D0, 0x1F6D2,
        0x1F6D5, 0x1F6D7,
        0x1F6DD, 0x1F6DF,
        0x1F6EB, 0x1F6EC,
        0x1F6F4, 0x1F6FC,
        0x1F7E0, 0x1F7EB,
        0x1F7F0, 0x1F7F0,
        0x1F90C, 0x1F93A,
        0x1F93C, 0x1F945,
        0x1F947, 0x1F9FF,
        0x1FA70, 0x1FA74,
        0x1FA78, 0x1FA7C,
        0x1FA80, 0x1FA86,
        0x1FA90, 0x1FAAC,
        0x1FAB0, 0x1FABA,
        0x1FAC0, 0x1FAC5,
        0x1FAD0, 0x1FAD9,
        0x1FAE0, 0x1FAE7,
        0x1FAF0, 0x1FAF6,
        0x20000, 0x2A6DF,
        0x2A700, 0x2B738,
        0x2B740, 0x2B81D,
        0x2B820, 0x2CEA1,
        0x2CEB0, 0x2EBE0,
        0x2F800, 0x2FA1D,
        0x30000, 0x3134A,
    ]
}
