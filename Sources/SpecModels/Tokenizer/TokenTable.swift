/// Token text → token id, without a `String` or an allocation per look-up.
///
/// The texts' UTF-8 live one after another in a single arena; an open-addressing
/// index (linear probing, at most half full) holds entry numbers. It can also look up
/// the concatenation of two byte strings without building it, which is what checking
/// a BPE merge needs. A text given twice keeps its first id.
struct TokenTable: Sendable {
    /// All texts' UTF-8, entry after entry.
    private let arena: [UInt8]
    /// Where each entry starts in `arena`, plus a final `arena.count`. (entries + 1)
    private let starts: [Int32]
    /// Token id of each entry. (entries)
    private let ids: [Int32]
    /// Entry number per slot, -1 for empty. (power of two ≥ 2 × entries)
    private let slots: [Int32]

    /// Indexes `texts`.
    ///
    /// - Complexity: O(total bytes), one hash and expected O(1) probes per text.
    init<S: Sequence>(_ texts: S) where S.Element == (id: Int32, text: String) {
        var arena: [UInt8] = []
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for (id, text) in texts {
            arena.append(contentsOf: text.utf8)
            starts.append(Int32(arena.count))
            ids.append(id)
        }
        var capacity = 16
        while capacity < 2 * ids.count { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        arena.withUnsafeBufferPointer { arena in
            for entry in 0..<ids.count {
                let text = UnsafeBufferPointer(rebasing: arena[Int(starts[entry])..<Int(starts[entry + 1])])
                let h = Self.hash(UnsafeRawBufferPointer(text), UnsafeRawBufferPointer(start: nil, count: 0))
                var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
                var duplicate = false
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    let otherText = arena[Int(starts[other])..<Int(starts[other + 1])]
                    if otherText.elementsEqual(text) {
                        duplicate = true
                        break
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
                if !duplicate { slots[slot] = Int32(entry) }
            }
        }
        self.arena = arena
        self.starts = starts
        self.ids = ids
        self.slots = slots
    }

    /// The id of the token spelled `text`.
    func id(of text: String) -> Int32? {
        var text = text
        return text.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
    }

    /// The id of the token spelled `bytes`.
    @inline(__always)
    func id(of bytes: ArraySlice<UInt8>) -> Int32? {
        bytes.withUnsafeBytes { id(of: $0) }
    }

    /// The id of the token spelled `bytes`.
    ///
    /// - Complexity: O(length), expected O(1) probes.
    @inline(__always)
    func id(of bytes: UnsafeRawBufferPointer) -> Int32? {
        id(of: bytes, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The id of the token spelled `first` followed by `second`.
    ///
    /// - Complexity: O(length), expected O(1) probes.
    func id(of first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(first, second)) & mask
        let length = first.count + second.count
        return arena.withUnsafeBufferPointer { arena in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                let start = Int(starts[entry])
                if Int(starts[entry + 1]) - start == length {
                    var equal = true
                    for k in 0..<first.count where arena[start + k] != first[k] {
                        equal = false
                        break
                    }
                    if equal {
                        for k in 0..<second.count where arena[start + first.count + k] != second[k] {
                            equal = false
                            break
                        }
                    }
                    if equal { return ids[entry] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// FNV-1a over the bytes of `first` then `second`, with a final avalanche so that
    /// the low bits used for the slot depend on every byte.
    @inline(__always)
    private static func hash(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in first {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        for byte in second {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
