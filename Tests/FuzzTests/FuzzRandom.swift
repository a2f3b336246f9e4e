import SpecCore
/// SpecCore's seeded generator with the draws the mutators need, so that
/// every fuzz run with the same seed makes the same mutations.
struct FuzzRandom: RandomNumberGenerator {
    private var source: RandomSource

    init(seed: UInt64) { source = RandomSource(seed: seed) }

    mutating func next() -> UInt64 { source.next() }

    /// A uniform integer in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// One element of a non-empty collection.
    mutating func pick<C: Collection>(_ items: C) -> C.Element where C.Index == Int {
        items[items.startIndex + below(items.count)]
    }
}
