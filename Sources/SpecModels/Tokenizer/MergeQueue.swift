/// A binary min-heap of packed merge candidates `(priority << 32) | leftSymbolIndex`.
///
/// Popping gives the best priority (lowest rank) first and, among equal priorities,
/// the leftmost pair — the order both BPE flavours merge in. Its storage is kept
/// between words so that encoding allocates only when a word is longer than any before.
struct MergeQueue {
    private var heap: [UInt64] = []

    /// Packs a candidate.
    @inline(__always)
    static func key(priority: Int32, left: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: priority)) << 32 | UInt64(UInt32(truncatingIfNeeded: left))
    }

    var isEmpty: Bool { heap.isEmpty }

    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    /// - Complexity: O(log n).
    mutating func push(_ key: UInt64) {
        heap.append(key)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest key, as `(priority, left)`.
    ///
    /// - Complexity: O(log n).
    mutating func pop() -> (priority: Int32, left: Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            let count = heap.count
            while true {
                let left = 2 * parent + 1
                guard left < count else { break }
                let right = left + 1
                let child = right < count && heap[right] < heap[left] ? right : left
                guard heap[child] < heap[parent] else { break }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        return (Int32(bitPattern: UInt32(top >> 32)), Int(UInt32(truncatingIfNeeded: top)))
    }
}
