import Foundation

/// A thread-safe memo of the token ids of pre-tokenised words (keyed by their UTF-8).
///
/// Natural text repeats a small set of words, so most words are looked up, not merged.
/// It holds at most `capacity` words and is simply emptied when full.
final class BPEWordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var words: [Word: [Int32]] = [:]
    private let capacity: Int

    init(capacity: Int = 65_536) {
        self.capacity = capacity
    }

    /// The ids stored for `word`, if any.
    ///
    /// - Complexity: O(word length) to hash, under a lock.
    func ids(for word: ArraySlice<UInt8>) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        return words[Word(bytes: word)]
    }

    /// Stores `ids` for `word` (copying the word's bytes).
    func store(_ ids: [Int32], for word: ArraySlice<UInt8>) {
        let key = Word(bytes: ArraySlice(Array(word)))
        lock.lock()
        defer { lock.unlock() }
        if words.count >= capacity { words.removeAll(keepingCapacity: true) }
        words[key] = ids
    }

    /// A word's bytes, hashed in one call rather than byte by byte.
    private struct Word: Hashable {
        let bytes: ArraySlice<UInt8>

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }

        static func == (a: Word, b: Word) -> Bool {
            a.bytes.elementsEqual(b.bytes)
        }
    }
}
