/// The `capacity` entries with the smallest keys seen so far: a binary
/// max-heap whose root is the current threshold. Used by Gumbel-Top-k to keep
/// k candidates out of a whole vocabulary without sorting it.
///
/// - Complexity: `offer` is O(log capacity); `sortedAscending` O(k log k).
struct SmallestKeys {
    private(set) var keys: [Double] = []
    private(set) var items: [Int] = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
        keys.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
    }

    var isFull: Bool { keys.count == capacity }

    /// The largest key kept (the one the next smaller key would evict).
    /// - Precondition: not empty.
    var threshold: Double { keys[0] }

    /// Keeps `item` if there is room or `key` is below the threshold.
    mutating func offer(key: Double, item: Int) {
        if keys.count < capacity {
            keys.append(key)
            items.append(item)
            siftUp(keys.count - 1)
        } else if key < keys[0] {
            keys[0] = key
            items[0] = item
            siftDown(0)
        }
    }

    /// The kept entries, smallest key first.
    func sortedAscending() -> [(key: Double, item: Int)] {
        zip(keys, items).map { (key: $0, item: $1) }.sorted { $0.key < $1.key }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] > keys[parent] else { return }
            keys.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = keys.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            let right = left + 1
            let larger = right < n && keys[right] > keys[left] ? right : left
            guard keys[larger] > keys[parent] else { return }
            keys.swapAt(larger, parent)
            items.swapAt(larger, parent)
            parent = larger
        }
    }
}
