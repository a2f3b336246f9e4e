import Foundation
import SpecCore
import Testing

/// What recording the distributions at each decision costs per step on the
/// pair's vocabulary (151936 tokens): the verifiers with and without
/// `recordsDistributions`, interleaved, medians printed. A measurement, not a
/// check (no timing assertion); run it in release with
/// `SPECTREE_BENCH_RECORDING=1 swift test -c release --filter DistributionRecordingBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SPECTREE_BENCH_RECORDING"] != nil, "a measurement, on demand"))
struct DistributionRecordingBenchmark {
    static let vocabularySize = 151_936

    /// Peaked rows like a model's at T = 0.8: softmax of scaled random logits.
    static func rows(_ count: Int, seed: UInt64) -> [Float] {
        var random = RandomSource(seed: seed)
        var rows = [Float](repeating: 0, count: count * vocabularySize)
        var logits = [Float](repeating: 0, count: vocabularySize)
        for r in 0..<count {
            for y in 0..<vocabularySize { logits[y] = Float(random.uniform() * 12) + (y % 97 == 0 ? 8 : 0) }
            rows.withUnsafeMutableBufferPointer { out in
                logits.withUnsafeBufferPointer { l in
                    Sampler.probabilities(from: l, parameters: SamplingParameters(temperature: 0.8),
                                          into: UnsafeMutableBufferPointer(rebasing: out[(r * vocabularySize)..<((r + 1) * vocabularySize)]))
                }
            }
        }
        return rows
    }

    @Test(arguments: ["rsd-s W=2 L=4", "chain L=4"])
    func recordingCostPerStep(shape: String) {
        // The draft tree: two children per node at the first level (rsd-s W=2), or a chain.
        var tree = DraftTree()
        let chain = shape.hasPrefix("chain")
        var parent = -1
        for level in 0..<4 {
            let a = tree.append(token: TokenID(100 + level), parent: parent, draftProbability: 0.3)
            if !chain { tree.append(token: TokenID(200 + level), parent: parent, draftProbability: 0.2) }
            parent = a
        }
        let target = Self.rows(tree.count + 1, seed: 1)
        let draft = Self.rows(tree.count + 1, seed: 2)
        let clock = ContinuousClock()
        var tokenVerifier = TreeVerifier(vocabularySize: Self.vocabularySize)
        var blockVerifier = BlockVerifier(vocabularySize: Self.vocabularySize)
        var traversalVerifier = TraversalVerifier(vocabularySize: Self.vocabularySize)
        // The selections alone, on one pair of rows.
        var t0: [Double] = [], t1: [Double] = []
        for _ in 0..<30 {
            target.withUnsafeBufferPointer { t in
                draft.withUnsafeBufferPointer { d in
                    let p = UnsafeBufferPointer(rebasing: t[0..<Self.vocabularySize])
                    let q = UnsafeBufferPointer(rebasing: d[0..<Self.vocabularySize])
                    var start = clock.now
                    let a = TopEntries.of(p)
                    t0.append((clock.now - start).seconds * 1e3)
                    start = clock.now
                    let b = TopEntries.residual(p, times: 0.9, minus: q, times: 1)
                    t1.append((clock.now - start).seconds * 1e3)
                    _ = (a, b)
                }
            }
        }
        print("selection: top of a row \(String(format: "%.3f", t0.sorted()[15])) ms, top of a residual \(String(format: "%.3f", t1.sorted()[15])) ms")
        for verifierName in ["token", "block", "traversal"] where !(verifierName == "block" && !chain) {
            var on: [Double] = [], off: [Double] = []
            for trial in 0..<30 {
                for recording in [trial % 2 == 0, trial % 2 != 0] {
                    var random = RandomSource(seed: UInt64(trial))
                    let start = clock.now
                    let decisions: Int = target.withUnsafeBufferPointer { t in
                        draft.withUnsafeBufferPointer { d in
                            let tr = NodeDistributions(rows: t, vocabularySize: Self.vocabularySize)
                            let dr = NodeDistributions(rows: d, vocabularySize: Self.vocabularySize)
                            switch verifierName {
                            case "token":
                                tokenVerifier.recordsDistributions = recording
                                return tokenVerifier.verify(tree, rule: chain ? .chain : .recursive, target: tr, draft: dr, random: &random).decisions.count
                            case "block":
                                blockVerifier.recordsDistributions = recording
                                return blockVerifier.verify(tree, rule: .chain, target: tr, draft: dr, random: &random).decisions.count
                            default:
                                traversalVerifier.recordsDistributions = recording
                                return traversalVerifier.verify(tree, rule: chain ? .chain : .recursive, target: tr, draft: dr, random: &random).decisions.count
                            }
                        }
                    }
                    let ms = (clock.now - start).seconds * 1e3
                    if recording { on.append(ms) } else { off.append(ms) }
                    _ = decisions
                }
            }
            func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
            print("recording \(shape) \(verifierName): off \(String(format: "%.3f", median(off))) ms, on \(String(format: "%.3f", median(on))) ms, cost \(String(format: "%.3f", median(on) - median(off))) ms per step (median of 30, interleaved)")
        }
    }
}
