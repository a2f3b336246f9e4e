import Foundation
import SpecCore
import Testing

@Suite struct SamplerTests {
    func processed(_ logits: [Float], _ parameters: SamplingParameters) -> [Float] {
        var out = [Float](repeating: -1, count: logits.count)
        logits.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer { Sampler.probabilities(from: l, parameters: parameters, into: $0) }
        }
        return out
    }

    @Test func softmaxAtATemperature() {
        let p = processed([0, Float(log(3.0))], SamplingParameters(temperature: 1))
        #expect(abs(p[0] - 0.25) < 1e-6 && abs(p[1] - 0.75) < 1e-6)
        let hot = processed([0, Float(log(3.0))], SamplingParameters(temperature: 2))
        #expect(abs(hot[1] - Float(3.0.squareRoot() / (1 + 3.0.squareRoot()))) < 1e-6)
    }

    @Test func greedyIsOneHotOnTheFirstMaximum() {
        #expect(processed([1, 5, 5, 2], .greedy) == [0, 1, 0, 0])
    }

    @Test func topKKeepsTheLargestAndRenormalises() {
        let logits: [Float] = [0, 3, 1, 3, 2, -1]
        for k in [1, 2, 3] {
            let p = processed(logits, SamplingParameters(temperature: 1, topK: k))
            let kept = p.indices.filter { p[$0] > 0 }
            #expect(kept == Array([1, 3, 4].prefix(k)).sorted(), "k = \(k)")
            #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        }
        // Above 64 the sorting path must agree with the one-pass selection.
        var random = RandomSource(seed: 3)
        let many = (0..<500).map { _ in Float(random.uniform() * 8) }
        let small = processed(many, SamplingParameters(temperature: 1, topK: 64))
        let large = processed(many, SamplingParameters(temperature: 1, topK: 65))
        let keptSmall = Set(small.indices.filter { small[$0] > 0 }), keptLarge = Set(large.indices.filter { large[$0] > 0 })
        #expect(keptSmall.count == 64 && keptLarge.count == 65 && keptSmall.isSubset(of: keptLarge))
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() {
        // probabilities 0.5, 0.25, 0.125, 0.125
        let logits = [0.5, 0.25, 0.125, 0.125].map { Float(log($0)) }
        let p = processed(logits, SamplingParameters(temperature: 1, topP: 0.7))
        #expect(abs(p[0] - 2.0 / 3) < 1e-6 && abs(p[1] - 1.0 / 3) < 1e-6 && p[2] == 0 && p[3] == 0)
    }

    @Test func drawIsTheInverseCDF() {
        let p: [Float] = [0.25, 0, 0.5, 0.25]
        p.withUnsafeBufferPointer { p in
            #expect(Sampler.draw(from: p, uniform: 0.1) == 0)
            #expect(Sampler.draw(from: p, uniform: 0.3) == 2)
            #expect(Sampler.draw(from: p, uniform: 0.8) == 3)
            #expect(Sampler.draw(from: p, uniform: 0.9999999999) == 3)
        }
    }

    @Test func impossibleSettingsAreErrors() {
        #expect(throws: SettingsError.self) { try SamplingParameters(temperature: -1).validate() }
        #expect(throws: SettingsError.self) { try SamplingParameters(temperature: .nan).validate() }
        #expect(throws: SettingsError.self) { try SamplingParameters(topK: -1).validate() }
        #expect(throws: SettingsError.self) { try SamplingParameters(topP: 0).validate() }
        #expect(throws: SettingsError.self) { try SamplingParameters(topP: 1.5).validate() }
    }
}
