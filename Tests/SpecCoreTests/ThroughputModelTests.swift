import Testing
import SpecCore

@Suite struct ThroughputModelTests {
    @Test func predictedSpeedupMatchesTheFormula() {
        // (1 − 0.8^5) / ((1 − 0.8)(4·0.1 + 1)) = 0.67232 / 0.28
        let s = ThroughputModel.predictedSpeedup(acceptanceRate: 0.8, draftLength: 4, costRatio: 0.1)
        #expect(abs(s - 0.67232 / 0.28) < 1e-12)
        // No acceptance: one token per step, slowed by the draft.
        #expect(abs(ThroughputModel.predictedSpeedup(acceptanceRate: 0, draftLength: 3, costRatio: 0.5) - 1 / 2.5) < 1e-12)
        // Perfect acceptance: the limit (γ + 1) / (γc + 1).
        #expect(abs(ThroughputModel.predictedSpeedup(acceptanceRate: 1, draftLength: 4, costRatio: 0.25) - 2.5) < 1e-12)
        // A free draft: speedup = expected tokens per step.
        #expect(abs(ThroughputModel.predictedSpeedup(acceptanceRate: 0.5, draftLength: 2, costRatio: 0) - 1.75) < 1e-12)
    }

    @Test func expectedTokensIsAGeometricSum() {
        for alpha in stride(from: 0.0, through: 0.95, by: 0.05) {
            for gamma in 0...8 {
                var sum = 0.0, term = 1.0
                for _ in 0...gamma { sum += term; term *= alpha }
                let e = ThroughputModel.expectedTokensPerStep(acceptanceRate: alpha, draftLength: gamma)
                #expect(abs(e - sum) < 1e-9, "α=\(alpha) γ=\(gamma)")
            }
        }
        #expect(ThroughputModel.expectedTokensPerStep(acceptanceRate: 2, draftLength: 3) == 4)  // clamped
        #expect(ThroughputModel.expectedTokensPerStep(acceptanceRate: -1, draftLength: 3) == 1)
    }
}
