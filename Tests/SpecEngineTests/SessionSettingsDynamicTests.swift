import SpecCore
import SpecEngine
import Testing

/// The dynamic method live: `m` reaches it, `+`/`-` change its top-k (and with
/// it the default budget k·D) or, in budget mode (`b`), its budget, within
/// the tree limit; the header's knobs line names its parameters.
@Suite("SessionSettings: dynamic trees")
struct SessionSettingsDynamicTests {
    let vocabulary = 49152

    func apply(_ settings: SessionSettings, _ changes: SettingsChange...) throws -> SessionSettings {
        var s = settings
        for change in changes { s = try s.applying(change, layerCount: 30, vocabularySize: vocabulary) }
        return s
    }

    @Test func nextMethodReachesTheDynamicTree() throws {
        let s = try apply(SessionSettings(method: .rsdS, width: 2, depth: 4), .nextMethod)
        #expect(s.method == .dynamic)
        #expect(try s.shape(vocabularySize: vocabulary) == .dynamic(budget: 8, width: 2, depth: 4))
        #expect(try apply(s, .nextMethod).method == .chain)
    }

    @Test func theWidthKeyChangesTheBudgetInBudgetMode() throws {
        let fixed = SessionSettings(method: .dynamic, width: 3, depth: 4)
        #expect(try apply(fixed, .width(1)).shape(vocabularySize: vocabulary) == .dynamic(budget: 16, width: 4, depth: 4))
        let budgeted = try apply(fixed, .toggleBudget)
        #expect(budgeted.budget == 12)
        let bigger = try apply(budgeted, .width(1), .width(1), .depth(2))
        #expect(try bigger.shape(vocabularySize: vocabulary) == .dynamic(budget: 14, width: 3, depth: 6))
        // The budget stops at what one call verifies.
        let huge = try apply(budgeted, .width(10_000))
        #expect(huge.budget == SessionSettings.maxTreeNodes)
        let one = try apply(budgeted, .width(-100))
        #expect(one.budget == 1)
    }

    @Test func impossibleDynamicTreesThrow() {
        #expect(throws: SettingsError.self) { try SessionSettings(method: .dynamic, width: 0, depth: 4).shape(vocabularySize: vocabulary) }
        #expect(throws: SettingsError.self) { try SessionSettings(method: .dynamic, width: 2, depth: 0).shape(vocabularySize: vocabulary) }
        #expect(throws: SettingsError.self) { try SessionSettings(method: .dynamic, width: 2, depth: 4, budget: 0).shape(vocabularySize: vocabulary) }
        #expect(throws: SettingsError.self) {
            try SessionSettings(method: .dynamic, width: 2, depth: 4, budget: SessionSettings.maxTreeNodes + 1).shape(vocabularySize: vocabulary)
        }
    }
}
