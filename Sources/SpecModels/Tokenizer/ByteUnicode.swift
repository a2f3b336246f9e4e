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

    /// The byte that `scalar` stands for, or `nil` if it is not in the table.
    @inline(__always)
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count, byteForScalar[value] >= 0 else { return nil }
        return UInt8(byteForScalar[value])
    }

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

    /// The bytes a vocabulary token spells; scalars outside the table keep their own UTF-8.
    ///
    /// - Complexity: O(n).
    static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = byte(for: scalar) {
                out.append(byte)
            } else {
                out.append(contentsOf: scalar.utf8)
            }
        }
        return out
    }

    private static func keepsItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
