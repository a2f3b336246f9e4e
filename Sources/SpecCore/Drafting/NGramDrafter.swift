/// Prompt-lookup drafting, with no model: find the latest earlier place where
/// the text so far ends the same way (its last `n` tokens, `n` from `maxN`
/// down to 1) and propose the tokens that followed there.
///
/// Its draft distribution is one-hot on the proposed token, so a verifier
/// accepts a drafted token `x` with probability `p(x)`.
public struct NGramDrafter: Sendable, Equatable {
    /// The longest suffix to match.
    public let maxN: Int

    /// - Throws: when `maxN < 1`.
    public init(maxN: Int = 3) throws(SettingsError) {
        guard maxN >= 1 else { throw SettingsError("the n-gram length must be at least 1, got \(maxN)") }
        self.maxN = maxN
    }

    /// Up to `depth` tokens that followed the latest earlier match of the
    /// longest matching suffix of `history`; empty when nothing matches.
    /// Cost: O(history.count · maxN).
    public func draft(history: [TokenID], depth: Int) -> [TokenID] {
        continuations(history: history, depth: depth, limit: 1).first ?? []
    }

    /// Distinct continuations (first tokens differ), most specific and most
    /// recent match first, at most `limit`: branches for a draft tree.
    /// Cost: O(history.count · maxN).
    public func continuations(history: [TokenID], depth: Int, limit: Int) -> [[TokenID]] {
        let count = history.count
        guard depth >= 1, limit >= 1, count >= 2 else { return [] }
        var found: [[TokenID]] = []
        var firstTokens = Set<TokenID>()
        for n in stride(from: min(maxN, count - 1), through: 1, by: -1) {
            let suffixStart = count - n
            // Latest match first: an occurrence ending at `end` (exclusive), followed by at least one token.
            var end = count - 1
            while end >= n {
                var matches = true
                for k in 0..<n where history[end - n + k] != history[suffixStart + k] {
                    matches = false
                    break
                }
                if matches, !firstTokens.contains(history[end]) {
                    let continuation = Array(history[end..<min(count, end + depth)])
                    firstTokens.insert(continuation[0])
                    found.append(continuation)
                    if found.count == limit { return found }
                }
                end -= 1
            }
        }
        return found
    }
}
