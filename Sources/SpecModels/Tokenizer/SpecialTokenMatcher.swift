/// Finds special tokens (control and user-defined) written out in raw text.
///
/// Scans left to right and, at each scalar, takes the longest special token whose
/// text starts there (leftmost-longest, like Hugging Face's added-token matching).
/// Candidates are bucketed by their first byte, longest first.
struct SpecialTokenMatcher: Sendable {
    /// A run of plain text (scalar indices) or a special token found in the text.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Candidate: Sendable {
        let bytes: [UInt8]
        let id: Int32
    }

    /// Candidates by first byte, longest first. (256)
    private let buckets: [[Candidate]]
    let isEmpty: Bool

    /// - Parameter tokens: `(text, id)` pairs; empty texts are ignored, a repeated text keeps its first id.
    init(tokens: [(text: String, id: Int32)]) {
        var buckets = [[Candidate]](repeating: [], count: 256)
        var seen = Set<String>()
        for (text, id) in tokens where !text.isEmpty && seen.insert(text).inserted {
            let bytes = Array(text.utf8)
            buckets[Int(bytes[0])].append(Candidate(bytes: bytes, id: id))
        }
        for b in buckets.indices {
            buckets[b].sort { $0.bytes.count > $1.bytes.count }
        }
        self.buckets = buckets
        self.isEmpty = seen.isEmpty
    }

    /// Splits `text` into plain runs and special tokens.
    ///
    /// - Complexity: O(n · c) where c is the number of special tokens sharing a first byte.
    func fragments(of text: ScalarText) -> [Fragment] {
        guard !isEmpty else { return text.count > 0 ? [.text(0..<text.count)] : [] }
        var result: [Fragment] = []
        var plainStart = 0
        var i = 0
        let bytes = text.bytes
        while i < text.count {
            let offset = Int(text.offsets[i])
            var matched: Candidate?
            for candidate in buckets[Int(bytes[offset])]
            where offset + candidate.bytes.count <= bytes.count {
                if bytes[offset..<(offset + candidate.bytes.count)].elementsEqual(candidate.bytes) {
                    matched = candidate
                    break
                }
            }
            guard let matched else {
                i += 1
                continue
            }
            if plainStart < i { result.append(.text(plainStart..<i)) }
            result.append(.token(matched.id))
            // a valid UTF-8 match starting on a scalar boundary ends on one
            let endOffset = Int32(offset + matched.bytes.count)
            while i < text.count && text.offsets[i] < endOffset { i += 1 }
            plainStart = i
        }
        if plainStart < text.count { result.append(.text(plainStart..<text.count)) }
        return result
    }
}
