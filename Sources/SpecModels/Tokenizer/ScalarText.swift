/// A string taken apart once for tokenisation: its UTF-8 bytes, its Unicode scalars,
/// where each scalar starts in the bytes, and each scalar's ``ScalarClass``.
///
/// Pre-tokenizers work on scalar index ranges; the BPE models then read the bytes
/// `bytes[offsets[range.lowerBound] ..< offsets[range.upperBound]]`.
struct ScalarText {
    /// UTF-8 of the text. (byteCount)
    let bytes: [UInt8]
    /// Scalar values. (count)
    let scalars: [UInt32]
    /// Byte offset of each scalar, plus one final entry equal to `bytes.count`. (count + 1)
    let offsets: [Int32]
    /// Raw ``ScalarClass`` of each scalar. (count)
    let classes: [UInt8]

    /// Takes `text` apart.
    ///
    /// - Complexity: O(n) in the text's length; a Unicode property query per non-ASCII scalar.
    init(_ text: String) {
        let byteCount = text.utf8.count
        var bytes = [UInt8]()
        bytes.reserveCapacity(byteCount)
        bytes.append(contentsOf: text.utf8)
        var scalars = [UInt32]()
        var offsets = [Int32]()
        var classes = [UInt8]()
        scalars.reserveCapacity(byteCount)
        offsets.reserveCapacity(byteCount + 1)
        classes.reserveCapacity(byteCount)
        var offset: Int32 = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value)
            offsets.append(offset)
            classes.append(ScalarClass.of(scalar).rawValue)
            offset += Int32(UTF8.width(scalar))
        }
        offsets.append(offset)
        self.bytes = bytes
        self.scalars = scalars
        self.offsets = offsets
        self.classes = classes
    }

    /// Number of scalars.
    var count: Int { scalars.count }

    /// The UTF-8 bytes of the scalars in `range`.
    @inline(__always)
    func bytes(of range: Range<Int>) -> ArraySlice<UInt8> {
        bytes[Int(offsets[range.lowerBound])..<Int(offsets[range.upperBound])]
    }

    /// The scalars in `range` as a `String` (never normalised).
    func string(of range: Range<Int>) -> String {
        String(decoding: bytes(of: range), as: UTF8.self)
    }
}
