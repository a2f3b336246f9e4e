import SpecCore
import Testing

@Suite struct NGramDrafterTests {
    @Test func proposesWhatFollowedTheLatestLongestMatch() throws {
        let drafter = try NGramDrafter(maxN: 3)
        // "a b c d ... a b c" → after "a b c" came "d e f".
        let history: [TokenID] = [1, 2, 3, 4, 5, 6, 9, 9, 1, 2, 3]
        #expect(drafter.draft(history: history, depth: 3) == [4, 5, 6])
        #expect(drafter.draft(history: history, depth: 1) == [4])
        // The continuation stops at the end of the history.
        #expect(drafter.draft(history: [7, 8, 7], depth: 5) == [8, 7])
    }

    @Test func prefersLongerSuffixesThenRecentMatches() throws {
        let drafter = try NGramDrafter(maxN: 2)
        // Suffix "5 1": matches once (followed by 2); suffix "1" also matches later followed by 7.
        let history: [TokenID] = [5, 1, 2, 0, 1, 7, 5, 1]
        #expect(drafter.draft(history: history, depth: 1) == [2])
        let branches = drafter.continuations(history: history, depth: 2, limit: 3)
        #expect(branches == [[2, 0], [7, 5]])
    }

    @Test func noMatchMeansNoDraft() throws {
        let drafter = try NGramDrafter()
        #expect(drafter.draft(history: [1, 2, 3, 4], depth: 4).isEmpty)
        #expect(drafter.draft(history: [1], depth: 4).isEmpty)
        #expect(drafter.draft(history: [1, 1], depth: 0).isEmpty)
    }

    @Test func rejectsImpossibleLengths() {
        #expect(throws: SettingsError.self) { try NGramDrafter(maxN: 0) }
    }
}
