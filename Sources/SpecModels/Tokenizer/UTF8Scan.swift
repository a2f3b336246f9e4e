/// Byte-level UTF-8 checks for text that arrives a token at a time.
///
/// Well-formedness follows the Unicode standard's table 3-7 (no overlongs,
/// surrogates or values above U+10FFFF), the same rule `String(decoding:as:)` applies.
enum UTF8Scan {
    /// What the bytes starting at an index hold.
    enum Sequence: Equatable {
        /// A well-formed character of this many bytes.
        case complete(Int)
        /// The start of a well-formed character that the buffer ends before finishing.
        case incomplete
        /// Bytes no continuation can make well-formed.
        case invalid
    }

    /// Classifies the character starting at `bytes[i]`.
    ///
    /// - Complexity: O(1).
    static func sequence<C: RandomAccessCollection<UInt8>>(in bytes: C, at i: C.Index) -> Sequence {
        let lead = bytes[i]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return .complete(1)
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return .invalid
        }
        var index = bytes.index(after: i)
        for n in 1..<length {
            guard index != bytes.endIndex else { return .incomplete }
            let range: ClosedRange<UInt8> = n == 1 ? second : 0x80...0xBF
            guard range.contains(bytes[index]) else { return .invalid }
            index = bytes.index(after: index)
        }
        return .complete(length)
    }

    /// How many leading bytes of `bytes` can be decoded now: all of them, except a
    /// well-formed but unfinished character at the very end, which must wait.
    ///
    /// - Complexity: O(1): looks at the last four bytes at most.
    static func decodablePrefixLength(_ bytes: [UInt8]) -> Int {
        // a lead byte can never continue an earlier character, so cutting before one
        // decodes the same as decoding everything at once
        var i = bytes.count - 1
        while i >= 0 && i >= bytes.count - 4 {
            if bytes[i] & 0xC0 != 0x80 {
                return sequence(in: bytes, at: i) == .incomplete ? i : bytes.count
            }
            i -= 1
        }
        return bytes.count
    }

    /// `bytes` as text for display: well-formed characters as themselves, every other
    /// byte as `<0xXX>`.
    ///
    /// - Complexity: O(n).
    static func printable(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            if case .complete(let length) = sequence(in: bytes, at: i) {
                out += String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                i += length
            } else {
                out += "<0x" + hex(bytes[i]) + ">"
                i += 1
            }
        }
        return out
    }

    /// Two upper-case hex digits.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
