import CKernels
import Foundation
import SpecCore
import Testing

/// CKernels' softmax passes, which `Sampler.probabilities` runs on every row:
/// close to the library exponential, and the same bits at every ISA level.
@Suite(.serialized) struct SoftmaxKernelTests {
    /// A vocabulary-sized row of logits with a long tail (some under e^−87 once shifted).
    static let logits: [Float] = {
        var random = RandomSource(seed: 7)
        return (0..<151_936 + 5).map { _ in Float(random.uniform() * 120 - 100) }
    }()

    struct Result: Equatable { var maximum: Float; var sum: Double; var y: [Float] }

    func run(level: Int32, temperature: Float) -> Result {
        let previous = sk_isa_level()
        defer { _ = sk_set_isa_level(previous) }
        _ = sk_set_isa_level(level)
        let x = Self.logits
        var y = [Float](repeating: .nan, count: x.count)
        let m = sk_max_f32(x, Int64(x.count))
        let sum = y.withUnsafeMutableBufferPointer { sk_exp_sum_f32(x, $0.baseAddress!, Int64(x.count), m, 1 / temperature) }
        return Result(maximum: m, sum: sum, y: y)
    }

    @Test func exponentialsAreWithinTwoUlpOfTheLibrarys() {
        let r = run(level: sk_isa_level(), temperature: 0.8)
        #expect(r.maximum == Self.logits.max())
        var worst = 0.0, reference = 0.0
        for (x, y) in zip(Self.logits, r.y) {
            let z = (x - r.maximum) * (1 / Float(0.8))
            let e = Foundation.exp(z)
            reference += Double(e)
            if z < -87 { #expect(y == 0); continue }
            worst = max(worst, abs(Double(y) - Double(e)) / Double(e))
        }
        #expect(worst < 2.5e-7, "worst relative error \(worst)")
        #expect(abs(r.sum - reference) / reference < 1e-6)
    }

    @Test func everyLevelGivesTheSameBits() {
        let top = sk_isa_level()
        let portable = run(level: 0, temperature: 1)
        for level in 1...max(1, top) {
            guard sk_set_isa_level(level) == level else {
                print("SoftmaxKernelTests: ISA level \(level) is not available on this machine; not tested")
                continue
            }
            _ = sk_set_isa_level(top)
            let r = run(level: level, temperature: 1)
            #expect(r.maximum == portable.maximum, "level \(level)")
            #expect(r.sum.bitPattern == portable.sum.bitPattern, "level \(level)")
            #expect(r.y.map(\.bitPattern) == portable.y.map(\.bitPattern), "level \(level)")
        }
    }
}
