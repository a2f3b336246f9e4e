import SpecCore
import SpecModels
import Testing

/// `--method dynamic`'s numbers against the model's limits: budget, width and
/// depth each at least 1 and within one call, the width within the vocabulary.
@Suite("Setting ranges: dynamic trees")
struct SettingRangesDynamicTests {
    static let ranges = SettingRangesTests.ranges

    @Test("impossible dynamic trees are refused with a message", arguments: [
        (4, 2, 0 as Int?, "budget must be at least 1 tree token, got 0"),
        (4, 2, 64, "a budget of 64 tree tokens is too large"),
        (4, 0, 8, "width must be at least 1, got 0"),
        (0, 2, 8, "depth must be at least 1, got 0"),
        (4, 100, 8, "width 100 is too wide"),
        (100, 2, 8, "depth 100 is too deep"),
        (4, 32, nil, "dynamic B=128 k=32 D=4"),
    ])
    func impossible(depth: Int, width: Int, budget: Int?, fragment: String) {
        let error = #expect(throws: SettingsError.self) {
            try Self.ranges.shape(method: .dynamic, depth: depth, width: width, branching: nil, budget: budget)
        }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func theBudgetIsKeptAsGiven() throws {
        #expect(try Self.ranges.shape(method: .dynamic, depth: 6, width: 4, branching: nil, budget: 63) == .dynamic(budget: 63, width: 4, depth: 6))
        #expect(try Self.ranges.shape(method: .dynamic, depth: 4, width: 2, branching: nil, budget: nil) == .dynamic(budget: 8, width: 2, depth: 4))
        let tiny = SettingRanges(maxBatch: 64, contextLength: 256, vocabularySize: 3, layerCount: 30)
        #expect(throws: SettingsError.self) { try tiny.shape(method: .dynamic, depth: 2, width: 4, branching: nil, budget: 4) }
        #expect(throws: SettingsError.self) { try Self.ranges.check(.dynamic(budget: 64, width: 2, depth: 2)) }
    }
}
