/// GPT-2-style byte-level BPE (`tokenizer.ggml.model = "gpt2"`): a word's bytes start
/// as one token each (their ``ByteUnicode`` spelling) and adjacent pairs merge in
/// the order of the merge list, lowest rank first and leftmost first among equals.
///
/// Works on token ids throughout: a merge is a table entry `(left id, right id) →
/// (rank, merged id)`, so no strings are built while encoding.
struct ByteLevelBPE: Sendable {
    /// Token id of each byte's one-scalar spelling, or -1 if the vocabulary lacks it. (256)
    private let byteTokens: [Int32]
    /// `(left << 32 | right)` → `(rank << 32 | merged)`.
    private let merges: [UInt64: UInt64]
    /// Token id of every token text (vocabulary spelling), for `ignoresMerges`.
    private let table: TokenTable
    private let ignoresMerges: Bool
    private let unknownID: Int32?
    private let cache = BPEWordCache()

    /// Builds the merge table.
    ///
    /// - Parameters:
    ///   - merges: `"left right"` strings in rank order; a repeated pair keeps its first rank.
    ///   - table: token id of each token text.
    /// - Throws: ``TokenizerError/malformedMerge(rank:merge:)`` or
    ///   ``TokenizerError/mergeTokenNotInVocabulary(rank:merge:token:)``.
    /// - Complexity: O(total length of the merges), one hash look-up per part.
    init(merges: [String], table: TokenTable, ignoresMerges: Bool, unknownID: Int32?) throws {
        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            byteTokens[byte] = table.id(of: String(Character(ByteUnicode.scalar[byte]))) ?? -1
        }
        var pairs = [UInt64: UInt64](minimumCapacity: merges.count)
        for (rank, merge) in merges.enumerated() {
            var text = merge
            try text.withUTF8 { bytes in
                // The separator is the first space after the first byte (a token is never empty).
                guard bytes.count >= 3, let space = bytes[1...].firstIndex(of: 0x20), space + 1 < bytes.count
                else { throw TokenizerError.malformedMerge(rank: rank, merge: merge) }
                let left = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<space]))
                let right = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(space + 1)...]))
                func missing(_ parts: UnsafeRawBufferPointer...) -> TokenizerError {
                    let token = parts.map { String(decoding: $0, as: UTF8.self) }.joined()
                    return .mergeTokenNotInVocabulary(rank: rank, merge: merge, token: token)
                }
                guard let leftID = table.id(of: left) else { throw missing(left) }
                guard let rightID = table.id(of: right) else { throw missing(right) }
                guard let mergedID = table.id(of: left, right) else { throw missing(left, right) }
                let key = UInt64(UInt32(leftID)) << 32 | UInt64(UInt32(rightID))
                if pairs[key] == nil {
                    pairs[key] = UInt64(UInt32(rank)) << 32 | UInt64(UInt32(mergedID))
                }
            }
        }
        self.byteTokens = byteTokens
        self.merges = pairs
        self.table = table
        self.ignoresMerges = ignoresMerges
        self.unknownID = unknownID
    }

    /// Appends the ids of one pre-tokenised word.
    ///
    /// Bytes whose spelling is not a token become `unknownID`, or are dropped without one.
    /// - Complexity: a cache look-up; on a miss O(n log n) in the word's byte count.
    func encode(word: ArraySlice<UInt8>, into output: inout [Int32], scratch: inout Scratch) {
        if let ids = cache.ids(for: word) {
            output.append(contentsOf: ids)
            return
        }
        let ids = merge(word, scratch: &scratch)
        cache.store(ids, for: word)
        output.append(contentsOf: ids)
    }

    /// Buffers reused from word to word.
    struct Scratch {
        var ids: [Int32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var queue = MergeQueue()
    }

    @inline(__always)
    private func mergeEntry(_ left: Int32, _ right: Int32) -> (rank: Int32, merged: Int32)? {
        guard let value = merges[UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))] else { return nil }
        return (Int32(truncatingIfNeeded: value >> 32), Int32(truncatingIfNeeded: value))
    }

    private func merge(_ word: ArraySlice<UInt8>, scratch: inout Scratch) -> [Int32] {
        if ignoresMerges, let id = table.id(of: ArraySlice(ByteUnicode.encode(word))) {
            return [id]
        }
        // one symbol per byte
        scratch.ids.removeAll(keepingCapacity: true)
        for byte in word {
            let id = byteTokens[Int(byte)]
            if id >= 0 {
                scratch.ids.append(id)
            } else if let unknownID {
                scratch.ids.append(unknownID)
            }
        }
        let n = scratch.ids.count
        guard n > 1 else { return scratch.ids }

        // doubly linked list over the symbols; a merged-away symbol gets id -1
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        for i in 0..<n {
            scratch.previous.append(Int32(i - 1))
            scratch.next.append(i + 1 < n ? Int32(i + 1) : -1)
        }
        scratch.queue.removeAll()
        for i in 0..<(n - 1) {
            if let entry = mergeEntry(scratch.ids[i], scratch.ids[i + 1]) {
                scratch.queue.push(MergeQueue.key(priority: entry.rank, left: i))
            }
        }

        // merge best-ranked pairs until none is left; stale candidates fail the re-check
        while let (rank, left) = scratch.queue.pop() {
            guard scratch.ids[left] >= 0 else { continue }
            let right = Int(scratch.next[left])
            guard right >= 0, let entry = mergeEntry(scratch.ids[left], scratch.ids[right]),
                  entry.rank == rank
            else { continue }
            scratch.ids[left] = entry.merged
            scratch.ids[right] = -1
            let after = scratch.next[right]
            scratch.next[left] = after
            if after >= 0 { scratch.previous[Int(after)] = Int32(left) }
            let before = Int(scratch.previous[left])
            if before >= 0, let e = mergeEntry(scratch.ids[before], entry.merged) {
                scratch.queue.push(MergeQueue.key(priority: e.rank, left: before))
            }
            if after >= 0, let e = mergeEntry(entry.merged, scratch.ids[Int(after)]) {
                scratch.queue.push(MergeQueue.key(priority: e.rank, left: left))
            }
        }

        var result: [Int32] = []
        var i = 0
        while i >= 0 {
            result.append(scratch.ids[i])
            i = Int(scratch.next[i])
        }
        return result
    }
}
