/// A ring of the last `capacity` values, oldest first: what the history
/// graphs and the comparison chart read. Appending past the capacity drops
/// the oldest value.
///
/// - Complexity: `append` and subscript O(1); storage O(capacity), allocated
///   once as the ring fills. Two rings are equal when they hold the same
///   values in the same order (whatever their storage layout).
public struct HistoryRing<Element: Sendable & Equatable>: Sendable, Equatable, RandomAccessCollection {
    public let capacity: Int
    private var storage: [Element] = []
    /// Index in `storage` of the oldest value once the ring is full.
    private var head = 0

    /// - Precondition: `capacity` ≥ 1.
    public init(capacity: Int) {
        precondition(capacity >= 1, "a ring holds at least one value")
        self.capacity = capacity
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    /// The `i`-th value, oldest first.
    public subscript(i: Int) -> Element {
        get { storage[(head + i) % storage.count] }
        set { storage[(head + i) % storage.count] = newValue }
    }

    /// Adds `value` as the newest, dropping the oldest when full. O(1).
    public mutating func append(_ value: Element) {
        if storage.count < capacity {
            if storage.isEmpty { storage.reserveCapacity(capacity) }
            storage.append(value)
        } else {
            storage[head] = value
            head = (head + 1) % capacity
        }
    }

    /// Empties the ring (keeping its storage). O(1) amortised.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }

    public static func == (a: HistoryRing, b: HistoryRing) -> Bool {
        a.capacity == b.capacity && a.elementsEqual(b)
    }
}
