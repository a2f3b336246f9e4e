/// Expected tokens per step and tokens/s of a draft tree, from per-rank
/// acceptance (`AcceptanceProfile`) and measured costs (`StepCostModel`):
/// the tree generalisation of `ThroughputModel`'s chain formula.
///
/// The model. Verification walks down the tree: at an accepted node of depth
/// d − 1 it tries its children (rank 0, 1, …) until one is accepted. With
/// ranks independent, one of b children is accepted with probability
/// P_d(b) = 1 − Π_{r<b} (1 − a_{d,r}), and the walk reaches depth d with
/// probability Π_{d'≤d} P_{d'}. Every step emits the accepted path plus one
/// target token, so
///
///     E[tokens per step] = 1 + Σ_{d=1}^{L} Π_{d'≤d} P_{d'}(b_{d'})
///     tokens/s           = E[tokens per step] / step seconds
///
/// b_d is the number of children an accepted node of depth d − 1 has:
/// the branching for chain, specinfer and rsd-c; for rsd-s (W beams) W at the
/// first level and ⌈W/2⌉ below, an assumption: beams spread over the kept
/// prefixes but crowd on the likeliest one, which the accepted one tends to be.
/// For specinfer the profile must be one measured with replacement (its
/// siblings can repeat), so `ShapeSearch` does not search it.
public enum TreeThroughputModel {
    /// Nodes per level n_1 … n_L at most: 1s for a chain, running products
    /// of the branching for specinfer and rsd-c, W per level for rsd-s.
    public static func levelWidths(_ shape: DraftShape) -> [Int] {
        switch shape {
        case let .rsdS(width, depth):
            return [Int](repeating: width, count: max(0, depth))
        default:
            var product = 1
            return shape.branching.map { product *= $0; return product }
        }
    }

    /// b_1 … b_L: the children of an accepted node, per level (see the type's notes for rsd-s).
    public static func effectiveBranching(_ shape: DraftShape) -> [Int] {
        switch shape {
        case let .rsdS(width, depth):
            return (0..<max(0, depth)).map { $0 == 0 ? width : max(1, (width + 1) / 2) }
        default:
            return shape.branching
        }
    }

    /// 1 + Σ_d Π_{d'≤d} P_{d'}(b_{d'}). Complexity: O(L · max b · depths).
    public static func expectedTokensPerStep(_ shape: DraftShape, profile: AcceptanceProfile) -> Double {
        var expected = 1.0, reach = 1.0
        for (level, b) in effectiveBranching(shape).enumerated() {
            reach *= profile.acceptance(depth: level + 1, siblings: b)
            expected += reach
        }
        return expected
    }

    /// Expected tokens per step ÷ predicted step seconds.
    public static func predict(_ shape: DraftShape, profile: AcceptanceProfile, cost: StepCostModel) -> ShapePrediction {
        ShapePrediction(shape: shape, expectedTokensPerStep: expectedTokensPerStep(shape, profile: profile),
                        draftSeconds: cost.draftSeconds(shape), verifySeconds: cost.verifySeconds(shape),
                        overheadSeconds: cost.overheadSeconds(shape))
    }
}

/// A shape with its predicted figures.
public struct ShapePrediction: Sendable, Equatable {
    public var shape: DraftShape
    public var expectedTokensPerStep: Double
    public var draftSeconds: Double
    public var verifySeconds: Double
    public var overheadSeconds: Double

    public init(shape: DraftShape, expectedTokensPerStep: Double, draftSeconds: Double, verifySeconds: Double, overheadSeconds: Double) {
        self.shape = shape
        self.expectedTokensPerStep = expectedTokensPerStep
        self.draftSeconds = draftSeconds
        self.verifySeconds = verifySeconds
        self.overheadSeconds = overheadSeconds
    }

    public var stepSeconds: Double { draftSeconds + verifySeconds + overheadSeconds }
    public var tokensPerSecond: Double { stepSeconds <= 0 ? 0 : expectedTokensPerStep / stepSeconds }
}
