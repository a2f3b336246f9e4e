import Foundation
import SpecCore
import SpecEngine
import Testing

/// `TuneSuggestion` as settings fields, and `SettingsChange.apply` (no model).
@Suite struct TuneSuggestionTests {
    static func suggestion(_ shape: DraftShape) -> TuneSuggestion {
        TuneSuggestion(draft: "self:8", shape: shape, predictedTokensPerSecond: 210.4, predictedTokensPerStep: 2.5,
                       plainTokensPerSecond: 189.6, command: "spectree run", seconds: 12)
    }

    @Test(arguments: [DraftShape.chain(depth: 5), .rsdC(branching: [3, 2, 1]), .rsdC(branching: [4, 1, 1]), .rsdC(branching: [2]),
                      .rsdS(width: 4, depth: 3), .specInfer(branching: [2, 2])])
    func aShapeBecomesSettingsFieldsAndBack(shape: DraftShape) throws {
        let s = Self.suggestion(shape)
        #expect(s.draftShape == shape)
        #expect(s.method == shape.method && s.depth == shape.depth && s.shape == shape.label)
        #expect(s.treeTokens == shape.maxNodeCount)
        // Applied to any settings (here: budget mode, another method), the session's shape is the suggestion's.
        let before = SessionSettings(draft: "self:8", method: .rsdS, width: 2, depth: 4, budget: 16)
        let after = try before.applying(.apply(s), layerCount: 30, vocabularySize: 49152)
        #expect(try after.shape(vocabularySize: 49152) == shape)
        #expect(after.budget == nil)
        #expect(after.draft == before.draft && after.sampling == before.sampling)
    }

    @Test func branchingIsKeptOnlyWhenItIsNotWidthThenOnes() {
        #expect(Self.suggestion(.rsdC(branching: [4, 1, 1])).branching == nil)
        #expect(Self.suggestion(.rsdC(branching: [4, 1, 1])).width == 4)
        #expect(Self.suggestion(.rsdC(branching: [3, 2])).branching == [3, 2])
        #expect(Self.suggestion(.rsdS(width: 4, depth: 3)).branching == nil)
    }

    @Test func aChainKeepsTheWidthForLaterMethods() throws {
        let before = SessionSettings(method: .rsdC, width: 3, depth: 2, branching: [3, 2])
        let after = try before.applying(.apply(Self.suggestion(.chain(depth: 6))), layerCount: 30, vocabularySize: 49152)
        #expect(after.method == .chain && after.depth == 6 && after.branching == nil && after.width == 3)
    }

    @Test func anImpossibleSuggestionIsRefused() {
        let tooBig = Self.suggestion(.rsdS(width: 8, depth: 8))  // 64 tree tokens: one more than a tree holds
        #expect(throws: SettingsError.self) {
            try SessionSettings().applying(.apply(tooBig), layerCount: 30, vocabularySize: 49152)
        }
        let tooWide = Self.suggestion(.rsdC(branching: [5]))
        #expect(throws: SettingsError.self) {
            try SessionSettings().applying(.apply(tooWide), layerCount: 30, vocabularySize: 4)
        }
    }

    @Test func theSummaryAndTheTraceCoding() throws {
        var s = Self.suggestion(.rsdC(branching: [3, 1]))
        #expect(s.summary == "rsd-c b=3,1 · predicted 210 tok/s (plain 190)")
        #expect(s.beatsPlain)
        s.measuredTokensPerSecond = 180.2
        s.measuredPlainTokensPerSecond = 170.0
        #expect(s.summary.hasSuffix(" · measured 180 (plain 170)"))
        let line = try JSONEncoder().encode(SessionEvent.tuneSuggestion(s))
        #expect(try JSONDecoder().decode(SessionEvent.self, from: line) == .tuneSuggestion(s))
    }

    /// A suggestion with p-min names it and sets it when applied.
    @Test func aSuggestedPMinIsShownAndApplied() throws {
        let suggestion = TuneSuggestion(draft: "self:4", shape: .chain(depth: 6), predictedTokensPerSecond: 10, predictedTokensPerStep: 2,
                                        plainTokensPerSecond: 5, command: "spectree run", seconds: 1, pMin: 0.3)
        #expect(suggestion.shape == "chain L=6 p-min 0.3")
        let applied = try SessionSettings(draft: "self:4", method: .rsdS, depth: 3)
            .applying(.apply(suggestion), layerCount: 30, vocabularySize: 49152)
        #expect(applied.method == .chain && applied.depth == 6 && applied.pMin == 0.3)
    }
}
