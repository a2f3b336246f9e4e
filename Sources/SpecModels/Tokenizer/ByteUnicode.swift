/// GPT-2's reversible mapping between bytes and printable Unicode scalars.
///
/// Byte-level BPE vocabularies store every token as a string of these scalars, so
/// that no token contains whitespace or control characters: the printable bytes
/// `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves, and the 68 others map, in
/// byte order, to U+0100, U+0101, …. A space is `Ġ` (U+0120), a newline `Ċ` (U+010A).
enum ByteUnicode {
    /// `scalar[b]` is the scalar that stands for byte `b`.
    static let scalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var extra: UInt32 = 0
        for byte in 0..<256 {
            if keepsItself(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(256 + extra)!
                extra += 1
            }
        }
        return table
    }()

    /// `byte[s]` for scalar value `s` < 324: the byte it stands for, or -1.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalar.enumerated() {
            table[Int(scalar.value)] = Int16(byte)
        }
        return table
    }()

    /// The UTF-8 form of `bytes` mapped to scalars: the way a vocabulary spells them.
    ///
    /// - Complexity: O(n).
    static func encode<S: Sequence<UInt8>>(_ bytes: S) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(contentsOf: scalar[Int(byte)].utf8)
        }
        return out
    }

    /// Appends the bytes a vocabulary token spells; scalars outside the table keep
    /// their own UTF-8.
    ///
    /// - Complexity: O(n), reading the UTF-8 directly (every table scalar is 1 or 2 bytes).
    static func appendDecoded(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let lead = bytes[i]
                var width = 1
                var value = -1
                if lead < 0x80 {
                    value = Int(lead)
                } else if lead & 0xE0 == 0xC0, i + 1 < bytes.count {
                    width = 2
                    value = Int(lead & 0x1F) << 6 | Int(bytes[i + 1] & 0x3F)
                } else {
                    width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 1
                }
                width = min(width, bytes.count - i)
                if value >= 0, value < byteForScalar.count, byteForScalar[value] >= 0 {
                    out.append(UInt8(byteForScalar[value]))
                } else {
                    out.append(contentsOf: bytes[i..<(i + width)])
                }
                i += width
            }
        }
    }

    private static func keepsItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
