import Foundation
import SpecCore
import Testing

/// A tiny language for exact tests: a fixed target p and draft q at every
/// context (the token path below the root), each a function of the whole path.
///
/// Probabilities are multiples of 1/`units` (dyadic), so Float and Double hold
/// them exactly and every distribution sums to exactly 1; zeros are common,
/// which exercises p(x) = 0 and q(x) = 0.
struct TinyWorld: Sendable, CustomTestStringConvertible {
    enum Draft: Sendable {
        /// q drawn independently of p.
        case independent
        /// q one-hot on a token chosen per context (an n-gram drafter).
        case oneHot
        /// q zero outside the first `kept` tokens (a trimmed draft vocabulary, FR-Spec).
        case trimmed(kept: Int)
    }

    let vocabularySize: Int
    let seed: UInt64
    var draftKind: Draft = .independent
    var units: Int = 16
    /// Both p and q tempered: each distribution ∝ its base^(1/T), requantised
    /// to multiples of 1/`temperedUnits` (still exact in Float, still summing
    /// to 1): what processing at temperature T makes of the base world.
    var temperature: Double = 1
    static let temperedUnits = 256

    var testDescription: String {
        "V=\(vocabularySize) seed=\(seed) \(draftKind)" + (temperature == 1 ? "" : " T=\(temperature)")
    }

    /// p(· | context).
    func target(_ context: [TokenID]) -> [Double] {
        tempered(composition(context, salt: 0x7A11))
    }

    /// q(· | context).
    func draft(_ context: [TokenID]) -> [Double] {
        switch draftKind {
        case .independent:
            return tempered(composition(context, salt: 0xD4AF))
        case .oneHot:
            var random = RandomSource(seed: hash(context, salt: 0x0E07))
            var q = [Double](repeating: 0, count: vocabularySize)
            q[Int(random.next() % UInt64(vocabularySize))] = 1
            return q
        case let .trimmed(kept):
            return tempered(composition(context, salt: 0xD4AF, parts: kept)
                + [Double](repeating: 0, count: vocabularySize - kept))
        }
    }

    /// ∝ d^(1/T), rounded to multiples of 1/`temperedUnits` by largest
    /// remainders (zeros stay zero); d itself at T = 1.
    private func tempered(_ d: [Double]) -> [Double] {
        guard temperature != 1 else { return d }
        let w = d.map { $0 > 0 ? pow($0, 1 / temperature) : 0 }
        let total = w.reduce(0, +)
        let scaled = w.map { $0 / total * Double(Self.temperedUnits) }
        var units = scaled.map { floor($0) }
        var left = Self.temperedUnits - Int(units.reduce(0, +))
        for i in scaled.indices.filter({ scaled[$0] > 0 }).sorted(by: { scaled[$0] - units[$0] > scaled[$1] - units[$1] }) where left > 0 {
            units[i] += 1
            left -= 1
        }
        return units.map { $0 / Double(Self.temperedUnits) }
    }

    /// Rows for `tree` by batch index: row 0 at `context`, row i + 1 at node i.
    func rows(_ tree: DraftTree, context: [TokenID] = [], _ f: ([TokenID]) -> [Double]) -> [Float] {
        var rows = f(context).map(Float.init)
        for i in 0..<tree.count { rows += f(context + tree.tokens(to: i)).map(Float.init) }
        return rows
    }

    /// The exact distribution of the first `length` tokens when sampling p token by token.
    func targetJoint(length: Int, context: [TokenID] = []) -> [[TokenID]: Double] {
        var joint: [[TokenID]: Double] = [:]
        addExtended([], weight: 1, into: &joint, length: length, context: context)
        return joint
    }

    /// Adds `weight` for the emitted tokens, continued with p token by token
    /// up to `length` tokens (or truncated to `length`).
    func addExtended(_ emitted: [TokenID], weight: Double, into joint: inout [[TokenID]: Double],
                     length: Int, context: [TokenID] = []) {
        guard weight > 0 else { return }
        if emitted.count >= length {
            joint[Array(emitted.prefix(length)), default: 0] += weight
            return
        }
        let p = target(context + emitted)
        for y in p.indices where p[y] > 0 {
            addExtended(emitted + [TokenID(y)], weight: weight * p[y], into: &joint, length: length, context: context)
        }
    }

    /// A random composition of `units` into `vocabularySize` parts, over `units`.
    private func composition(_ context: [TokenID], salt: UInt64, parts: Int? = nil) -> [Double] {
        let parts = parts ?? vocabularySize
        var random = RandomSource(seed: hash(context, salt: salt))
        let cuts = [0] + (1..<parts).map { _ in Int(random.next() % UInt64(units + 1)) }.sorted() + [units]
        return (0..<parts).map { Double(cuts[$0 + 1] - cuts[$0]) / Double(units) }
    }

    private func hash(_ context: [TokenID], salt: UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed &* 0x9E37_79B9_7F4A_7C15 ^ salt
        for t in context { h = (h ^ UInt64(t + 1)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// The largest absolute difference between two distributions over the same keys.
func maxDifference(_ a: [[TokenID]: Double], _ b: [[TokenID]: Double]) -> Double {
    Set(a.keys).union(b.keys).map { abs(a[$0, default: 0] - b[$0, default: 0]) }.max() ?? 0
}

/// A world's p and q as Float rows at every context of up to `depth` tokens,
/// computed once: sampled tests look them up instead of recomputing them.
struct WorldTable {
    let vocabularySize: Int
    private(set) var target: [[TokenID]: [Float]] = [:]
    private(set) var draft: [[TokenID]: [Float]] = [:]

    init(_ world: TinyWorld, depth: Int) {
        vocabularySize = world.vocabularySize
        var contexts: [[TokenID]] = [[]]
        var frontier: [[TokenID]] = [[]]
        for _ in 0..<depth {
            frontier = frontier.flatMap { c in (0..<world.vocabularySize).map { c + [TokenID($0)] } }
            contexts += frontier
        }
        for c in contexts {
            target[c] = world.target(c).map(Float.init)
            draft[c] = world.draft(c).map(Float.init)
        }
    }

    /// Rows for `tree` by batch index, from `table` (`target` or `draft`).
    func rows(_ tree: DraftTree, _ table: [[TokenID]: [Float]]) -> [Float] {
        var rows = table[[]]!
        rows.reserveCapacity((tree.count + 1) * vocabularySize)
        for i in 0..<tree.count { rows += table[tree.tokens(to: i)]! }
        return rows
    }
}
