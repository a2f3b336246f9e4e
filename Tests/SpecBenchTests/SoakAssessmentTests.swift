import SpecBench
import Testing

/// The soak's verdict: flat memory passes, a leak of a few hundred bytes per
/// step fails, allocator noise within the allowance passes.
@Suite struct SoakAssessmentTests {
    static let mib = 1 << 20

    static func samples(_ bytes: (Int) -> Int) -> [SoakExperiment.Sample] {
        stride(from: 50, through: 10_000, by: 50).map { SoakExperiment.Sample(step: $0, residentBytes: bytes($0)) }
    }

    @Test func flatMemoryAfterAWarmUpPasses() {
        // Grows by 40 MiB during the warm-up (caches, packed weights), then stays put.
        let report = SoakExperiment().assess(Self.samples { 300 * Self.mib + min($0, 2000) * 20 * Self.mib / 1000 }, warmUpStep: 2000)
        #expect(report.isFlat)
        #expect(report.startBytes < report.warmBytes && report.warmBytes == report.endBytes)
        #expect(abs(report.bytesPerStep) < 1e-9)
    }

    @Test func aLeakOfAFewHundredBytesPerStepFails() {
        let report = SoakExperiment().assess(Self.samples { 300 * Self.mib + $0 * 400 }, warmUpStep: 2000)
        #expect(!report.isFlat)
        #expect(abs(report.bytesPerStep - 400) < 1e-6)
    }

    @Test func noiseWithinTheAllowancePasses() {
        // ±4 MiB of allocator noise around a flat level.
        let report = SoakExperiment().assess(Self.samples { 300 * Self.mib + ($0 / 50 % 3 - 1) * 4 * Self.mib }, warmUpStep: 2000)
        #expect(report.isFlat)
    }
}
