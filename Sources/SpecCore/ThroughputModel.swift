/// The chain speculative-decoding throughput model (Leviathan et al. 2023,
/// used by DESIGN.md's "Predicted speedup"): with per-token acceptance rate
/// α, draft length γ and latency ratio c = T_draft / T_target,
///
///     expected tokens per step  = (1 − α^(γ+1)) / (1 − α)
///     predicted speedup         = (1 − α^(γ+1)) / ((1 − α)(γ·c + 1))
///
/// Pure functions, O(1) (one `pow`).
public enum ThroughputModel {
    /// Expected tokens emitted per target call: 1 + α + … + α^γ.
    /// α is clamped to 0…1; at α = 1 the limit γ + 1.
    public static func expectedTokensPerStep(acceptanceRate alpha: Double, draftLength gamma: Int) -> Double {
        let a = alpha.isNaN ? 0 : min(1, max(0, alpha))
        let g = max(0, gamma)
        if 1 - a < 1e-12 { return Double(g + 1) }
        return (1 - pow(a, Double(g + 1))) / (1 - a)
    }

    /// Predicted wall-clock speedup over plain autoregressive decoding.
    /// - Parameters:
    ///   - alpha: acceptance rate per draft token, 0…1 (clamped).
    ///   - gamma: draft length (tokens drafted per step), ≥ 0.
    ///   - costRatio: c = T_draft / T_target per token, ≥ 0 (clamped).
    public static func predictedSpeedup(acceptanceRate alpha: Double, draftLength gamma: Int, costRatio c: Double) -> Double {
        let cost = c.isNaN ? 0 : max(0, c)
        return expectedTokensPerStep(acceptanceRate: alpha, draftLength: gamma) / (Double(max(0, gamma)) * cost + 1)
    }

    /// x^y for y ≥ 0 by repeated squaring on the integer part (no Foundation needed).
    @usableFromInline
    static func pow(_ x: Double, _ y: Double) -> Double {
        var result = 1.0, base = x, n = Int(y)
        while n > 0 {
            if n & 1 == 1 { result *= base }
            base *= base
            n >>= 1
        }
        return result
    }
}
