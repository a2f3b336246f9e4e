import Foundation
import SpecCore
import SpecModels
import Testing

/// Logits against an independent reference forward pass (numpy in float64
/// over tensors dequantised by the `gguf` package: scripts/reference_forward.py
/// and scripts/synthetic_model.py).
///
/// Tolerance: spectree quantises activations to 8 bits per block of 32 before
/// the quantised dot products (as llama.cpp does), so logits differ from a
/// float64 pass by that rounding, measured at well under 1% of the logits'
/// spread; float weight types use float activations and agree far closer.
@Suite struct TransformerReferenceTests {
    struct RealFixture: Decodable {
        struct Row: Decodable { let argmax: Int; let ids: [Int]; let logits: [Double] }
        struct Prompt: Decodable { let name: String; let ids: [Int32]; let rows: [Row] }
        let prompts: [Prompt]
    }

    @Test func defaultModelMatchesReferenceLogits() throws {
        let fixture = try JSONDecoder().decode(RealFixture.self, from: Data(contentsOf: TestSupport.fixture("reference/smollm2_logits.json")))
        let model = try TestSupport.defaultModel()
        for prompt in fixture.prompts {
            model.reset()
            let logits = TestSupport.rows(try model.evaluate(TokenBatch(chain: prompt.ids), logits: .all))
            var worst = 0.0
            for (row, expected) in zip(logits, prompt.rows) {
                let spread = stddev(expected.logits)
                for (id, value) in zip(expected.ids, expected.logits) {
                    worst = max(worst, abs(Double(row[id]) - value) / spread)
                }
                // The top token agrees unless the reference itself has a near-tie.
                let top = row.indices.max { row[$0] < row[$1] }!
                let sorted = expected.logits.sorted(by: >)
                if sorted[0] - sorted[1] > 0.05 * spread {
                    #expect(top == expected.argmax, "prompt \(prompt.name): argmax \(top) ≠ reference \(expected.argmax)")
                }
            }
            #expect(worst < 0.03, "prompt \(prompt.name): largest error \(worst) of the logits' spread")
        }
    }

    struct SyntheticFixture: Decodable {
        struct Model: Decodable { let type: String; let logits: [[Double]] }
        let ids: [Int32]
        let models: [Model]
    }

    @Test(arguments: SyntheticModel.types)
    func syntheticQwen2MatchesReference(type: GGMLType) throws {
        let fixture = try JSONDecoder().decode(SyntheticFixture.self, from: Data(contentsOf: TestSupport.fixture("reference/synthetic_qwen2_logits.json")))
        let expected = try #require(fixture.models.first { $0.type == type.name }).logits
        let path = TestSupport.temporaryPath("synthetic-\(type.name).gguf")
        try SyntheticModel.write(type: type, to: path)
        ComputePool.start(threads: 2)
        let weights = try TransformerWeights(path: path)
        #expect(weights.config.architecture == .qwen2)
        let model = try Transformer(weights: weights, contextLength: 64)
        let logits = TestSupport.rows(try model.evaluate(TokenBatch(chain: fixture.ids), logits: .all))
        var worst = 0.0
        for (row, reference) in zip(logits, expected) {
            let spread = stddev(reference)
            for (value, ref) in zip(row, reference) { worst = max(worst, abs(Double(value) - ref) / spread) }
        }
        let tolerance = [GGMLType.f32, .f16, .bf16].contains(type) ? 1e-4 : 0.03
        #expect(worst < tolerance, "\(type.name): largest error \(worst) of the logits' spread")
    }

    private func stddev(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
    }
}
