import SpecCore
import Testing

/// Exact losslessness of the cheaper drafts of issue 11, by the same
/// enumeration as `LosslessEnumerationTests`: a trimmed draft vocabulary (q
/// zero outside a subset, FR-Spec) and p-min stopping (a node whose draft
/// confidence is below p-min grows no children).
@Suite("Trimmed vocabulary and p-min by exact enumeration")
struct AdaptiveDraftEnumerationTests {
    static func worlds(_ v: Int, _ seeds: [UInt64], draft: TinyWorld.Draft = .independent) -> [TinyWorld] {
        LosslessEnumerationTests.worlds(v, seeds, draft: draft)
    }

    /// q is zero on the last tokens of the vocabulary under every rule: the
    /// draft never proposes them, the residual supplies them.
    static let trimmedCases: [EnumerationCase] =
        worlds(4, [61, 62], draft: .trimmed(kept: 2)).map { EnumerationCase(shape: .chain(depth: 2), rule: .chain, world: $0) }
        + worlds(4, [63], draft: .trimmed(kept: 3)).map { EnumerationCase(shape: .chain(depth: 3), rule: .chain, world: $0) }
        + worlds(4, [64], draft: .trimmed(kept: 2)).map { EnumerationCase(shape: .specInfer(branching: [2, 2]), rule: .multiRound, world: $0) }
        + worlds(4, [65, 66], draft: .trimmed(kept: 3)).map { EnumerationCase(shape: .rsdC(branching: [2, 2]), rule: .recursive, world: $0) }
        + worlds(4, [67], draft: .trimmed(kept: 2)).map { EnumerationCase(shape: .rsdC(branching: [3]), rule: .recursive, world: $0) }
        + worlds(4, [68], draft: .trimmed(kept: 3)).map { EnumerationCase(shape: .rsdS(width: 2, depth: 2), rule: .recursive, world: $0) }

    @Test("trimmed draft vocabulary (q = 0 outside a subset) under every rule", arguments: trimmedCases)
    func trimmedVocabulary(_ c: EnumerationCase) {
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: c.shape.depth)
        let distance = maxDifference(got, c.world.targetJoint(length: c.shape.depth))
        #expect(distance <= 1e-9, "distance from p: \(distance)")
    }

    static let pMinCases: [EnumerationCase] =
        worlds(4, [71, 72, 73]).map { EnumerationCase(shape: .chain(depth: 3), rule: .chain, world: $0) }
        + worlds(3, [74, 75]).map { EnumerationCase(shape: .specInfer(branching: [2, 2]), rule: .multiRound, world: $0) }
        + worlds(3, [76, 77]).map { EnumerationCase(shape: .rsdC(branching: [2, 2]), rule: .recursive, world: $0) }
        + worlds(4, [78], draft: .trimmed(kept: 3)).map { EnumerationCase(shape: .chain(depth: 3), rule: .chain, world: $0) }

    /// p-min 0.5 and 0.75 stop many nodes of these worlds (probabilities are sixteenths).
    @Test("p-min stopping keeps every rule lossless", arguments: pMinCases)
    func pMinStopping(_ c: EnumerationCase) {
        #expect(Self.stops(c, pMin: 0.75), "p-min never stops a node here: the case tests nothing")
        for pMin in [0.5, 0.75] {
            let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: c.shape.depth, pMin: pMin)
            let distance = maxDifference(got, c.world.targetJoint(length: c.shape.depth))
            #expect(distance <= 1e-9, "p-min \(pMin): distance from p \(distance)")
        }
    }

    /// The check has teeth: dropping a drawn token because its own q is below
    /// p-min (instead of deciding from the node's distribution before drawing)
    /// biases the output.
    @Test("dropping low-q drawn tokens is caught", arguments:
        worlds(4, [71, 72, 73]).map { EnumerationCase(shape: .chain(depth: 2), rule: .chain, world: $0) })
    func droppingDrawnTokensFails(_ c: EnumerationCase) {
        let got = exactOutputDistribution(c.shape, rule: c.rule, world: c.world, length: c.shape.depth,
                                          pMin: 0.3, dropsLowDrawn: true)
        let distance = maxDifference(got, c.world.targetJoint(length: c.shape.depth))
        #expect(distance > 1e-3, "the unsound p-min came out within \(distance) of p")
    }

    /// The builder applies the same rule as the enumeration: a node whose
    /// largest q is below p-min gets no children and is reported.
    @Test("DraftTreeBuilder stops at low confidence and reports it")
    func builderStops() throws {
        let confident: [Float] = [0.75, 0.25, 0, 0], unsure: [Float] = [0.375, 0.375, 0.25, 0]
        var random = RandomSource(seed: 9)
        var builder = try DraftTreeBuilder(shape: .chain(depth: 4), pMin: 0.5)
        var rows: [Float] = []
        while !builder.isComplete {
            // q is confident at the root and at depth 1, unsure below.
            let row = builder.levelsDrawn < 2 ? confident : unsure
            rows = row
            rows.withUnsafeBufferPointer { q in _ = builder.drawLevel(random: &random) { _ in q } }
        }
        #expect(builder.tree.count == 2)
        #expect(builder.stopped.map(\.node) == [1])
        #expect(builder.stopped.first.map(\.confidence) == 0.375)
        // An explicit confidence wins over q's largest entry.
        var confidentRoot = try DraftTreeBuilder(shape: .chain(depth: 2), pMin: 0.5)
        unsure.withUnsafeBufferPointer { q in _ = confidentRoot.drawLevel(random: &random, confidence: { _ in 0.9 }) { _ in q } }
        #expect(confidentRoot.tree.count == 1)
    }

    @Test("p-min outside 0…1 is refused", arguments: [-0.1, 1.5, Double.nan])
    func badPMin(_ value: Double) {
        #expect(throws: SettingsError.self) { try DraftTreeBuilder(shape: .chain(depth: 2), pMin: value) }
    }

    /// Whether p-min stops at least one reachable node of the case's trees.
    static func stops(_ c: EnumerationCase, pMin: Double) -> Bool {
        DraftOutcomes.all(c.shape, world: c.world).contains { tree, _ in
            ([-1] + Array(0..<tree.count)).contains { node in
                (node < 0 || tree[node].depth < c.shape.depth) && (c.world.draft(node < 0 ? [] : tree.tokens(to: node)).max() ?? 0) < pMin
            }
        }
    }
}
