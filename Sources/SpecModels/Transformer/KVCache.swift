/// Keys and values of every evaluated token, per layer, in float32.
///
/// Slots `0..<committed` hold the committed prefix at consecutive positions;
/// an evaluated batch of `n` tokens occupies slots `committed..<committed + n`
/// until `commit` compacts the kept path right after the prefix.
public final class KVCache {
    public let layerCount: Int
    public let capacity: Int
    /// Floats per slot: KV heads × head size.
    public let width: Int
    public let keys: UnsafeMutablePointer<Float>    // (layer, capacity, width)
    public let values: UnsafeMutablePointer<Float>  // (layer, capacity, width)
    /// Slots holding the committed prefix.
    public internal(set) var committed = 0

    /// Allocates room for `capacity` tokens. Memory: 8 · layers · capacity · width bytes.
    public init(layerCount: Int, capacity: Int, width: Int) {
        self.layerCount = layerCount
        self.capacity = capacity
        self.width = width
        let count = layerCount * capacity * width
        keys = .allocate(capacity: count)
        values = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        values.initialize(repeating: 0, count: count)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// The key row of `slot` in `layer`.
    @inline(__always)
    public func key(layer: Int, slot: Int) -> UnsafeMutablePointer<Float> {
        keys + (layer * capacity + slot) * width
    }

    /// The value row of `slot` in `layer`.
    @inline(__always)
    public func value(layer: Int, slot: Int) -> UnsafeMutablePointer<Float> {
        values + (layer * capacity + slot) * width
    }

    /// Moves batch entries `path` (offsets from `committed`, increasing) to the
    /// slots right after the prefix and makes them part of it.
    /// Cost: O(layers · path.count · width).
    func commit(batchOffsets path: [Int]) {
        for (k, offset) in path.enumerated() where offset != k {
            let from = committed + offset, to = committed + k
            for layer in 0..<layerCount {
                key(layer: layer, slot: to).update(from: key(layer: layer, slot: from), count: width)
                value(layer: layer, slot: to).update(from: value(layer: layer, slot: from), count: width)
            }
        }
        committed += path.count
    }
}
