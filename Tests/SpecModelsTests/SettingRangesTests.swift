import SpecCore
import SpecModels
import Testing

/// The one place where settings meet the model's limits: every shape is
/// accepted exactly when its tree fits one target call, no value traps or
/// allocates, and the context and memory checks say what fits.
@Suite("Setting ranges")
struct SettingRangesTests {
    /// The small model's limits: batch 64, context 256, 49152 tokens, 30 layers.
    static let ranges = SettingRanges(maxBatch: 64, contextLength: 256, vocabularySize: 49152, layerCount: 30)

    @Test("branching vectors of up to three levels: accepted exactly when b1 + b1·b2 + … ≤ 63")
    func everyBranching() throws {
        var accepted = 0
        for a in 1...70 {
            for b in [nil] + (1...10).map(Optional.some) {
                for c in [nil, 1, 2, 8] where b != nil || c == nil {
                    let levels = [a] + [b, c].compactMap { $0 }
                    let nodes = levels.indices.reduce(0) { sum, i in sum + levels[...i].reduce(1, *) }
                    let shape = try? Self.ranges.shape(method: .rsdC, depth: 1, width: 1, branching: levels, budget: nil)
                    #expect((shape != nil) == (nodes <= 63), "\(levels): \(nodes) nodes")
                    if shape != nil { accepted += 1 }
                }
            }
        }
        #expect(accepted > 100)
    }

    @Test("absurd values are refused without trapping or allocating", arguments: [
        (DraftMethod.chain, 1_000_000, 2, nil as [Int]?, nil as Int?, "depth 1000000 is too deep"),
        (.chain, Int.max, 2, nil, nil, "too deep"),
        (.rsdS, 5000, 5000, nil, nil, "depth 5000 is too deep"),
        (.rsdS, 4, Int.max, nil, nil, "is too wide"),
        (.rsdC, 4, 2, [Int.max, Int.max, Int.max], nil, "drafts up to more than"),
        (.specInfer, 4, 2, [1_000_000, 1_000_000, 1_000_000, 1_000_000], nil, "drafts up to more than"),
        (.rsdC, 4, 2, [Int](repeating: 2, count: 64), nil, "64 levels of branching are too deep"),
        (.rsdS, 4, 2, nil, 100_000, "a budget of 100000 tree tokens is too large"),
        (.chain, 4, 2, nil, 64, "a budget of 64 tree tokens is too large"),
        (.chain, 0, 2, nil, nil, "depth must be at least 1, got 0"),
        (.rsdS, 4, -3, nil, nil, "width must be at least 1, got -3"),
        (.rsdC, 4, 2, [2, 0], nil, "branching at level 2 must be at least 1, got 0"),
        (.rsdS, 4, 2, nil, -1, "budget must be at least 1 tree token, got -1"),
    ])
    func absurd(method: DraftMethod, depth: Int, width: Int, branching: [Int]?, budget: Int?, fragment: String) {
        let error = #expect(throws: SettingsError.self) {
            try Self.ranges.shape(method: method, depth: depth, width: width, branching: branching, budget: budget)
        }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test("the largest shapes within one call are accepted; shapes built elsewhere are checked alike")
    func limits() throws {
        #expect(try Self.ranges.shape(method: .chain, depth: 63, width: 1, branching: nil, budget: nil) == .chain(depth: 63))
        #expect(try Self.ranges.shape(method: .rsdS, depth: 4, width: 15, branching: nil, budget: nil) == .rsdS(width: 15, depth: 4))
        #expect(try Self.ranges.shape(method: .rsdS, depth: 4, width: 2, branching: nil, budget: 63).maxNodeCount <= 63)
        #expect(throws: SettingsError.self) { try Self.ranges.check(.rsdS(width: 16, depth: 4)) }
        #expect(throws: SettingsError.self) { try Self.ranges.check(.chain(depth: .max)) }
        #expect(throws: SettingsError.self) { try Self.ranges.check(.rsdS(width: .max, depth: .max)) }
        try Self.ranges.check(.rsdS(width: 15, depth: 4))
        #expect(SettingRanges.nodeCount([Int.max, 2]) == .max)
        #expect(SettingRanges.nodeCount([3, 2, 1]) == 3 + 6 + 6)
    }

    @Test("a prompt and tree must fit the context with room for one more token")
    func context() throws {
        try Self.ranges.check(.chain(depth: 10), promptTokens: 245)
        let error = #expect(throws: SettingsError.self) { try Self.ranges.check(.chain(depth: 10), promptTokens: 246) }
        #expect(error?.description.contains("need 257 positions, but the context holds 256") == true)
        #expect(throws: SettingsError.self) { try Self.ranges.checkFits(promptTokens: 256) }
    }

    @Test("draft sources: n-gram 1…32, self-draft layers within the model")
    func drafts() throws {
        for good in ["ngram", "ngram:1", "ngram:32", "self:8", "self:0-5,29", "draft.gguf"] { try Self.ranges.check(draft: good) }
        for (bad, fragment) in [("ngram:33", "1…32, got 33"), ("ngram:1000000", "got 1000000"), ("ngram:-1", "got -1"),
                                ("ngram:x", "whole number"), ("self:31", "the model has 30 layers"), ("self:0-30", "out of range")] {
            let error = #expect(throws: SettingsError.self, "\(bad)") { try Self.ranges.check(draft: bad) }
            #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test("memory: a context needing more than is available is refused with the largest that fits")
    func memory() throws {
        let config = TransformerConfig(architecture: .llama, layerCount: 30, dim: 576, ffnDim: 1536, headCount: 9,
                                       kvHeadCount: 3, vocabularySize: 49152)
        let perToken = SettingRanges.bytesPerContextToken(config)  // 2·4·30·192 + 64·4·3
        #expect(perToken == 46080 + 768)
        let available: UInt64 = 1 << 30
        try SettingRanges.checkMemory(context: 4096, config: config, model: "/m/small.gguf", availableBytes: available)
        let error = #expect(throws: SettingsError.self) {
            try SettingRanges.checkMemory(context: 1_000_000, config: config, model: "/m/small.gguf", availableBytes: available)
        }
        #expect(error?.description.contains("for small.gguf") == true)
        #expect(error?.description.contains("use --context \(Int(Double(available) / perToken)) or less") == true, "\(String(describing: error))")
        #expect(try SettingRanges.contextLength(requested: nil, config: config) == 2048)
        #expect(throws: SettingsError.self) { try SettingRanges.contextLength(requested: 1, config: config) }
    }

    @Test("seeds: 0…2⁶⁴−1, with the range in the message")
    func seeds() throws {
        #expect(try SettingRanges.seed("18446744073709551615") == .max)
        for bad in ["-1", "18446744073709551616", "x", ""] {
            let error = #expect(throws: SettingsError.self) { try SettingRanges.seed(bad) }
            #expect(error?.description.contains("from 0 to 18446744073709551615") == true)
        }
    }
}
