import Foundation
import SpecCore
import SpecEngine
import Testing

@Suite("SessionSettings")
struct SessionSettingsTests {
    let vocabulary = 49152
    let layers = 30

    func apply(_ settings: SessionSettings, _ changes: SettingsChange...) throws -> SessionSettings {
        try apply(settings, changes)
    }

    func apply(_ settings: SessionSettings, _ changes: [SettingsChange]) throws -> SessionSettings {
        var s = settings
        for change in changes { s = try s.applying(change, layerCount: layers, vocabularySize: vocabulary) }
        return s
    }

    @Test func fixedShapesPerMethod() throws {
        #expect(try SessionSettings(method: .chain, width: 3, depth: 4).shape(vocabularySize: vocabulary) == .chain(depth: 4))
        #expect(try SessionSettings(method: .specInfer, width: 3, depth: 3).shape(vocabularySize: vocabulary) == .specInfer(branching: [3, 1, 1]))
        #expect(try SessionSettings(method: .rsdC, width: 2, depth: 2).shape(vocabularySize: vocabulary) == .rsdC(branching: [2, 1]))
        #expect(try SessionSettings(method: .rsdS, width: 4, depth: 5).shape(vocabularySize: vocabulary) == .rsdS(width: 4, depth: 5))
        let explicit = SessionSettings(method: .rsdC, branching: [3, 2])
        #expect(explicit.width == 3 && explicit.depth == 2)
        #expect(try explicit.shape(vocabularySize: vocabulary) == .rsdC(branching: [3, 2]))
    }

    @Test func budgetShapes() throws {
        #expect(try SessionSettings(method: .rsdS, depth: 3, budget: 12).shape(vocabularySize: vocabulary) == .rsdS(width: 4, depth: 3))
        #expect(try SessionSettings(method: .rsdC, depth: 3, budget: 10).shape(vocabularySize: vocabulary) == .rsdC(branching: [2, 2, 1]))
        #expect(try SessionSettings(method: .chain, depth: 3, budget: 5).shape(vocabularySize: vocabulary) == .chain(depth: 5))
    }

    @Test func impossibleShapesThrow() {
        #expect(throws: SettingsError.self) { try SessionSettings(method: .rsdS, width: 16, depth: 5).shape(vocabularySize: vocabulary) }
        #expect(throws: SettingsError.self) { try SessionSettings(method: .chain, depth: 0).shape(vocabularySize: vocabulary) }
        #expect(throws: SettingsError.self) { try SessionSettings(method: .rsdS, width: 5, depth: 1).shape(vocabularySize: 4) }
    }

    @Test func widthIsClampedToOneAndToTheTreeLimit() throws {
        let s = SessionSettings(method: .rsdS, width: 12, depth: 5)  // 60 nodes
        #expect(try apply(s, .width(1)).width == 12)  // 65 would not fit
        #expect(try apply(s, .width(-1)).width == 11)
        #expect(try apply(s, .width(-50)).width == 1)
        let tree = SessionSettings(method: .specInfer, branching: [3, 2])
        let wider = try apply(tree, .width(1))
        #expect(wider.branching == [4, 2] && wider.width == 4)
        #expect(try wider.shape(vocabularySize: vocabulary) == .specInfer(branching: [4, 2]))
    }

    @Test func depthIsClampedAndKeepsBranchingInStep() throws {
        let chain = SessionSettings(method: .chain, depth: 63)
        #expect(try apply(chain, .depth(1)).depth == 63)
        #expect(try apply(SessionSettings(method: .chain, depth: 3), .depth(-10)).depth == 1)
        let beams = SessionSettings(method: .rsdS, width: 10, depth: 6)  // 60 nodes
        #expect(try apply(beams, .depth(1)).depth == 6)
        let tree = try apply(SessionSettings(method: .rsdC, branching: [3, 2]), .depth(1))
        #expect(tree.branching == [3, 2, 1] && tree.depth == 3)
        #expect(try apply(tree, .depth(-2)).branching == [3])
    }

    @Test func temperatureIsClampedAndDoesNotDrift() throws {
        let s = SessionSettings(sampling: SamplingParameters(temperature: 0.8))
        #expect(try apply(s, .temperature(-0.1)).sampling.temperature == 0.7)
        #expect(try apply(s, .temperature(-0.1), .temperature(-0.1), .temperature(-0.1)).sampling.temperature == 0.5)
        #expect(try apply(s, .temperature(-5)).sampling.temperature == 0)
        #expect(try apply(s, .temperature(5)).sampling.temperature == SessionSettings.maxTemperature)
    }

    @Test func draftLayersChangeASelfDraftOfTheFirstKLayers() throws {
        let s = SessionSettings(draft: "self:8", draftSources: ["self:8", "ngram:3"])
        let more = try apply(s, .draftLayers(2))
        #expect(more.draft == "self:10")
        #expect(more.draftSources == ["self:10", "ngram:3"])
        #expect(try apply(s, .draftLayers(100)).draft == "self:30")
        #expect(try apply(s, .draftLayers(-100)).draft == "self:1")
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "ngram:3"), .draftLayers(1)) }
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "self:0-5,29"), .draftLayers(1)) }
    }

    @Test func nextDraftSourceCycles() throws {
        let s = SessionSettings(draft: "self:8", draftSources: ["self:8", "ngram:3", "/models/draft.gguf"])
        let drafts = try (1...3).map { n in try apply(s, Array(repeating: SettingsChange.nextDraftSource, count: n)).draft }
        #expect(drafts == ["ngram:3", "/models/draft.gguf", "self:8"])
        #expect(throws: SettingsError.self) { try apply(SessionSettings(draft: "self:8"), .nextDraftSource) }
        // The edited self-draft comes back edited.
        let edited = try apply(s, .draftLayers(-4), .nextDraftSource, .nextDraftSource, .nextDraftSource)
        #expect(edited.draft == "self:4")
    }

    @Test func nextMethodCyclesAndKeepsTheTreeWithinLimits() throws {
        var s = SessionSettings(method: .chain, width: 2, depth: 3)
        var methods: [DraftMethod] = []
        for _ in 0..<5 {
            s = try apply(s, .nextMethod)
            methods.append(s.method)
        }
        #expect(methods == [.specInfer, .rsdC, .rsdS, .dynamic, .chain])
        // A chain with a wide (unused) width: specinfer would draft 20·4 = 80 tokens.
        let wide = try apply(SessionSettings(method: .chain, width: 20, depth: 4), .nextMethod)
        #expect(try wide.shape(vocabularySize: vocabulary).maxNodeCount <= SessionSettings.maxTreeNodes)
        #expect(wide.width == 15)
    }

    @Test func toggleBudgetKeepsTheTreeAndComesBack() throws {
        let beams = SessionSettings(method: .rsdS, width: 3, depth: 4)
        let budgeted = try apply(beams, .toggleBudget)
        #expect(budgeted.budget == 12)
        #expect(try budgeted.shape(vocabularySize: vocabulary) == .rsdS(width: 3, depth: 4))
        let back = try apply(budgeted, .toggleBudget)
        #expect(back.budget == nil && back.width == 3 && back.depth == 4)

        // From a budget, the fixed shape is the one the budget gave.
        let fromBudget = try apply(SessionSettings(method: .rsdC, depth: 3, budget: 10), .toggleBudget)
        #expect(fromBudget.budget == nil)
        #expect(try fromBudget.shape(vocabularySize: vocabulary) == .rsdC(branching: [2, 2, 1]))
    }

    @Test func widthChangesTheBudgetInBudgetMode() throws {
        let s = SessionSettings(method: .rsdS, depth: 3, budget: 12)
        let bigger = try apply(s, .width(3))
        #expect(bigger.budget == 15)
        #expect(try bigger.shape(vocabularySize: vocabulary) == .rsdS(width: 5, depth: 3))
        #expect(try apply(s, .width(-100)).budget == 1)
        #expect(try apply(s, .width(100)).budget == SessionSettings.maxTreeNodes)
    }

    @Test func codableRoundTrip() throws {
        let s = SessionSettings(draft: "ngram:4", draftSources: ["self:8", "ngram:4"], method: .rsdC, branching: [3, 2],
                                budget: nil, sampling: SamplingParameters(temperature: 0.6, topK: 40, topP: 0.9), maxTokens: 99, seed: 7)
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(SessionSettings.self, from: data) == s)
    }
}
