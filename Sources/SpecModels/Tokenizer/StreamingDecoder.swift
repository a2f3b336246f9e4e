/// Turns generated token ids into text as they arrive, one id at a time.
///
/// A token can end in the middle of a UTF-8 character (an emoji's four bytes often
/// span two or three byte-level tokens); those bytes are held back until the
/// character is complete, so no call returns half a character. Concatenating every
/// `append` and the final `flush` gives `tokenizer.decode(ids)`, except that a
/// SentencePiece space prefix is not removed (a stream continues a prompt).
///
/// A value type: copy it to fork a stream (e.g. per draft-tree branch).
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    /// Bytes of an unfinished character at the end of the stream (at most 3).
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds one token and returns the text it completes (possibly "").
    ///
    /// Control tokens add nothing. Bytes that can never become a valid character are
    /// emitted at once as U+FFFD.
    /// - Complexity: O(piece length).
    public mutating func append(_ id: Int32) -> String {
        guard let piece = tokenizer.decodedBytes(id), !piece.isEmpty else { return "" }
        pending.append(contentsOf: piece)
        let ready = UTF8Scan.decodablePrefixLength(pending)
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Returns whatever is held back (an unfinished character becomes U+FFFD) and
    /// empties the decoder.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }
}
