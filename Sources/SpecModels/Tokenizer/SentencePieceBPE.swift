/// SentencePiece BPE (`tokenizer.ggml.model = "llama"`): spaces become `▁` (U+2581),
/// each character starts as one symbol, and the adjacent pair whose concatenation is
/// the highest-scoring token merges first (leftmost among equal scores), until no
/// pair is a token. A character that is not a token falls back to its UTF-8 bytes
/// as `<0xXX>` tokens.
///
/// Only normal and user-defined tokens take part in merging, as in SentencePiece.
struct SentencePieceBPE: Sendable {
    /// Token id of each mergeable token's text.
    private let mergeable: TokenTable
    /// Per token: 0 for the highest score, equal scores share a rank. (vocabularySize)
    private let scoreRank: [Int32]
    /// Token id of `<0xXX>` for each byte, or -1. (256)
    private let byteTokens: [Int32]
    private let unknownID: Int32?

    /// UTF-8 of `▁`.
    static let spaceMark: [UInt8] = [0xE2, 0x96, 0x81]

    /// - Complexity: O(n log n) in the vocabulary size (sorting the scores).
    init(tokens: [String], types: [TokenizerVocabulary.TokenType], scores: [Float], unknownID: Int32?) {
        var byteTokens = [Int32](repeating: -1, count: 256)
        for (id, token) in tokens.enumerated() where types[id] == .byte {
            if let byte = Tokenizer.byteValue(ofByteToken: token), byteTokens[Int(byte)] < 0 {
                byteTokens[Int(byte)] = Int32(id)
            }
        }
        let mergeable = TokenTable(tokens.indices.lazy
            .filter { types[$0] == .normal || types[$0] == .userDefined }
            .map { (id: Int32($0), text: tokens[$0]) })
        var scoreRank = [Int32](repeating: 0, count: tokens.count)
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var rank: Int32 = 0
        for (n, id) in order.enumerated() {
            if n > 0 && scores[id] != scores[order[n - 1]] { rank += 1 }
            scoreRank[id] = rank
        }
        self.mergeable = mergeable
        self.scoreRank = scoreRank
        self.byteTokens = byteTokens
        self.unknownID = unknownID
    }

    /// Appends the ids of `text`, which is already escaped (spaces as `▁`, prefix added).
    ///
    /// - Complexity: O(n log n) in the text's byte count.
    func encode(escaped text: [UInt8], into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        // one symbol per UTF-8 character: [start[i], end[i]) in `text`; end -1 = merged away
        var start: [Int32] = []
        var end: [Int32] = []
        var offset = 0
        while offset < text.count {
            let width = Self.utf8Width(lead: text[offset])
            start.append(Int32(offset))
            offset = min(offset + width, text.count)
            end.append(Int32(offset))
        }
        let n = start.count
        var previous = (0..<n).map { Int32($0 - 1) }
        var next = (0..<n).map { $0 + 1 < n ? Int32($0 + 1) : -1 }

        func candidate(_ left: Int, _ right: Int) -> (rank: Int32, id: Int32)? {
            guard let id = mergeable.id(of: text[Int(start[left])..<Int(end[right])]) else { return nil }
            return (scoreRank[Int(id)], id)
        }
        var queue = MergeQueue()
        for i in 0..<(n - 1) {
            if let c = candidate(i, i + 1) { queue.push(MergeQueue.key(priority: c.rank, left: i)) }
        }
        while let (rank, left) = queue.pop() {
            guard end[left] >= 0 else { continue }
            let right = Int(next[left])
            guard right >= 0, let c = candidate(left, right), c.rank == rank else { continue }
            end[left] = end[right]
            end[right] = -1
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            let before = Int(previous[left])
            if before >= 0, let c = candidate(before, left) {
                queue.push(MergeQueue.key(priority: c.rank, left: before))
            }
            if after >= 0, let c = candidate(left, Int(after)) {
                queue.push(MergeQueue.key(priority: c.rank, left: left))
            }
        }

        var i = 0
        while i >= 0 {
            let symbol = text[Int(start[i])..<Int(end[i])]
            if let id = mergeable.id(of: symbol) {
                output.append(id)
            } else {
                for byte in symbol {
                    let id = byteTokens[Int(byte)]
                    if id >= 0 {
                        output.append(id)
                    } else if let unknownID {
                        output.append(unknownID)
                    }
                }
            }
            i = Int(next[i])
        }
    }

    /// Escapes raw text the SentencePiece way: optional leading space, spaces as `▁`.
    static func escape(_ bytes: ArraySlice<UInt8>, addingSpacePrefix: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        if addingSpacePrefix { out.append(contentsOf: spaceMark) }
        for byte in bytes {
            if byte == 0x20 { out.append(contentsOf: spaceMark) } else { out.append(byte) }
        }
        return out
    }

    @inline(__always)
    private static func utf8Width(lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: 1
        case 0xC0..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0...: 4
        default: 1
        }
    }
}
