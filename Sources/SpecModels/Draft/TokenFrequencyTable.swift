import Foundation
import SpecCore

/// How often each token of one tokenizer occurs in a body of text, coarsely:
/// the ranking FR-Spec trims a draft's vocabulary by (`DraftVocabulary`).
///
/// A count is kept as a level, `round(3 · log2(count + 1))` capped at 63
/// (three levels per doubling: counts within about 26% share a level), so a
/// table is one character per token (`encoded`: `0-9A-Za-z+/`, level 0 = `0`)
/// and ships as one string literal (`TokenFrequencyTable+Shipped.swift`), not
/// an array literal. Ties rank by token id, lowest first: byte-level BPE gives
/// the earliest (most frequent in training) merges the lowest ids.
///
/// `spectree draft-vocab build` makes a table from text with a model's
/// tokenizer (`count`), reproducibly (the README says from which text).
public struct TokenFrequencyTable: Sendable, Equatable {
    /// Count level per token id (0 = never seen), `(vocabularySize)`.
    public let levels: [UInt8]

    /// Most levels a table holds: one base-64 character each.
    public static let maxLevel = 63
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/".utf8)

    /// The table of `counts` (one per token id).
    public init(counts: [Int]) {
        levels = counts.map { UInt8(min(Self.maxLevel, Int((3 * log2(Double(max(0, $0)) + 1)).rounded()))) }
    }

    /// Decodes `encoded`. - Throws: `SettingsError` on a character outside the alphabet.
    public init(encoded: String) throws(SettingsError) {
        var lookup = [UInt8](repeating: 255, count: 256)
        for (i, c) in Self.alphabet.enumerated() { lookup[Int(c)] = UInt8(i) }
        var levels: [UInt8] = []
        levels.reserveCapacity(encoded.utf8.count)
        for c in encoded.utf8 {
            let level = lookup[Int(c)]
            guard level != 255 else { throw SettingsError("a token frequency table holds only 0-9A-Za-z+/, found '\(UnicodeScalar(c))'") }
            levels.append(level)
        }
        self.levels = levels
    }

    /// One character per token.
    public var encoded: String { String(decoding: levels.map { Self.alphabet[Int($0)] }, as: UTF8.self) }

    public var vocabularySize: Int { levels.count }

    /// Token ids, most frequent first (ties: lower id first). - Complexity: O(V log V).
    public func ranked() -> [Int] {
        levels.indices.sorted { levels[$0] > levels[$1] || (levels[$0] == levels[$1] && $0 < $1) }
    }

    /// Token counts of `texts` under `tokenizer` (no special tokens added or parsed).
    /// - Complexity: the tokenizer's cost over all the text.
    public static func count(_ texts: some Sequence<String>, tokenizer: Tokenizer) -> [Int] {
        var counts = [Int](repeating: 0, count: tokenizer.vocabularySize)
        for text in texts {
            for token in tokenizer.encode(text, addSpecial: false, parseSpecial: false) { counts[Int(token)] += 1 }
        }
        return counts
    }

    /// The table shipped for a tokenizer, by its GGUF pre-tokenizer name
    /// (`tokenizer.ggml.pre`) and vocabulary size; nil when none ships.
    public static func shipped(preTokenizer: String?, vocabularySize: Int) -> TokenFrequencyTable? {
        guard let text = shippedTables["\(preTokenizer ?? "")-\(vocabularySize)"],
              let table = try? TokenFrequencyTable(encoded: text), table.vocabularySize == vocabularySize else { return nil }
        return table
    }

    /// The shipped tables' keys, e.g. `qwen2-151936`.
    public static var shippedNames: [String] { shippedTables.keys.sorted() }
}
