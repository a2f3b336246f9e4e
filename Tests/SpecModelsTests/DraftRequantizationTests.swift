import CKernels
import Foundation
import SpecCore
import SpecModels
import Testing

/// A separate draft model requantised at load (`D@q4_0`): the Q4_0 quantiser,
/// the requantised weights, the draft-source syntax, and losslessness on real
/// models (the verifiers never depend on how the draft was made).
@Suite struct DraftRequantizationTests {
    /// Quantises `x` (a multiple of 32 floats) to Q4_0 and dequantises it back.
    static func roundTrip(_ x: [Float]) -> (blocks: [UInt8], values: [Float]) {
        var blocks = [UInt8](repeating: 0, count: x.count / 32 * 18)
        let ok = x.withUnsafeBufferPointer { sk_quantize(Int32(GGMLType.q4_0.rawValue), $0.baseAddress, &blocks, Int64(x.count)) }
        #expect(ok)
        var values = [Float](repeating: .nan, count: x.count)
        sk_dequantize(Int32(GGMLType.q4_0.rawValue), blocks, &values, Int64(x.count))
        return (blocks, values)
    }

    /// Values already on a Q4_0 grid (d·(q − 8), with a −8·d present) come back exactly,
    /// nibbles in GGML's order (byte i: element i low, element i + 16 high).
    @Test func valuesOnTheGridComeBackExactly() {
        let codes = (0..<32).map { ($0 * 7) % 16 }  // 0 appears (element 0): m = -8·d
        let x = codes.map { Float($0 - 8) * 0.25 }
        let (blocks, values) = Self.roundTrip(x)
        #expect(values == x)
        #expect(blocks[0] == 0x00 && blocks[1] == 0x34)  // d = 0.25 = fp16 0x3400, little-endian
        for i in 0..<16 { #expect(blocks[2 + i] == UInt8(codes[i] | codes[i + 16] << 4)) }
    }

    @Test func anAllZeroBlockHasScaleZeroAndMiddleCodes() {
        let (blocks, values) = Self.roundTrip([Float](repeating: 0, count: 32))
        #expect(values == [Float](repeating: 0, count: 32))
        #expect(Array(blocks[2..<18]) == [UInt8](repeating: 0x88, count: 16))
    }

    /// On random rows every element lands on its nearest code: within half a step
    /// |d|/2 of its value, except beyond the grid's short side (codes run from −8·d
    /// to 7·d, the largest magnitude at −8·d), where it is clamped to 7·|d|; plus
    /// the half-precision rounding of d over 8 steps.
    @Test func everyElementIsWithinHalfAStep() {
        var random = KernelRNG(seed: 11)
        for scale: Float in [1e-3, 0.05, 3] {
            let x = (0..<32 * 64).map { _ in random.signed() * scale * (random.below(20) == 0 ? 6 : 1) }
            let (_, values) = Self.roundTrip(x)
            for b in 0..<64 {
                let block = Array(x[32 * b..<32 * b + 32])
                let m = block.max { abs($0) < abs($1) }!
                let d = abs(m) / 8
                for i in 0..<32 {
                    let error = abs(values[32 * b + i] - block[i])
                    let bound = max(d / 2, abs(block[i]) - 7 * d) + d * 8 * 0x1p-10
                    #expect(error <= bound, "block \(b) element \(i): \(block[i]) → \(values[32 * b + i]), d \(d)")
                }
            }
        }
    }

    @Test func onlyQ4_0HasAQuantiser() {
        #expect(GGMLType.q4_0.isQuantizable)
        for type in [GGMLType.q4_1, .q5_0, .q8_0, .q4_K, .q6_K, .f16] { #expect(!type.isQuantizable, "\(type.name)") }
        var out = [UInt8](repeating: 0, count: 64)
        let x = [Float](repeating: 1, count: 32)
        #expect(!sk_quantize(Int32(GGMLType.q8_0.rawValue), x, &out, 32))
        #expect(!sk_quantize(Int32(GGMLType.q4_0.rawValue), x, &out, 16), "a partial block")
    }

    @Test func theSuffixIsSplitOffOnlyWhenItNamesAType() throws {
        #expect(try DraftSpecification.splitQuantization("qwen2.5-coder-0.5b@q4_0") == ("qwen2.5-coder-0.5b", .q4_0))
        #expect(try DraftSpecification.splitQuantization("d.gguf:0-11@Q4_0") == ("d.gguf:0-11", .q4_0))
        #expect(try DraftSpecification.splitQuantization("d.gguf@file") == ("d.gguf", nil))
        #expect(try DraftSpecification.splitQuantization("d.gguf") == ("d.gguf", nil))
        #expect(DraftSpecification.splitQuantizationSuffix("d.gguf:0-3@q4_0") == ("d.gguf:0-3", "@q4_0"))
        #expect(DraftSpecification.splitQuantizationSuffix("d.gguf@q9") == ("d.gguf@q9", ""), "no type: no suffix")
        // A depth sweep's drafts keep the type after the layer list.
        #expect(DraftSpecification.firstLayers(12, of: "qwen2.5-coder-0.5b@q4_0", layerCount: 24) == "qwen2.5-coder-0.5b:0-11@q4_0")
        #expect(DraftSpecification.firstLayers(24, of: "qwen2.5-coder-0.5b@q4_0", layerCount: 24) == "qwen2.5-coder-0.5b@q4_0")
        #expect(DraftSpecification.firstLayers(3, of: "d.gguf", layerCount: 24) == "d.gguf:0-2")
        #expect { try DraftSpecification.splitQuantization("d.gguf@q3_K") } throws: { "\($0)".contains("cannot requantise a draft to 'q3_K'") }
        let ranges = SettingRanges(config: try TestSupport.requireDefaultWeights().config, contextLength: 512)
        #expect { try ranges.check(draft: "self:8@q4_0") } throws: { "\($0)".contains("a self-draft shares the target's weights") }
        #expect { try ranges.check(draft: "d.gguf@q8") } throws: { "\($0)".contains("spectree can to: q4_0") }
        #expect(throws: Never.self) { try ranges.check(draft: "d.gguf:0-3@q4_0") }
    }

    /// SmolLM2 (Q4_1, 5 bits a weight) requantised to Q4_0: every matrix the
    /// products read is Q4_0 and holds exactly `sk_quantize` of the original
    /// row; the embedding doubles as the head (tied), so it is requantised too.
    @Test func everyWiderMatrixIsRequantised() throws {
        let original = try TestSupport.requireDefaultWeights()
        let requantised = try TransformerWeights(file: original.file, requantizing: .q4_0)
        #expect(requantised.requantization == .q4_0)
        let layer = requantised.layers[3], before = original.layers[3]
        for m in [layer.query, layer.key, layer.value, layer.attentionOutput, layer.gate, layer.up, layer.down, requantised.output] {
            #expect(m.type == .q4_0)
        }
        for (a, b) in [(before.gate, layer.gate), (original.output, requantised.output)] {
            var row = [Float](repeating: 0, count: a.columns), back = row, expected = row
            for r in [0, a.rows / 2, a.rows - 1] {
                a.dequantizeRow(r, into: &row)
                b.dequantizeRow(r, into: &back)
                expected = Self.roundTrip(row).values
                #expect(back == expected, "row \(r)")
            }
        }
        #expect(throws: ModelLoadError.self) { try TransformerWeights(file: original.file, requantizing: .q8_0) }
    }

    /// A requantised separate draft (SmolLM2 drafting for itself, as Q4_0) reproduces
    /// plain greedy decoding, and is labelled with its type.
    @Test func aRequantisedDraftStaysLossless() throws {
        let target = try TestSupport.defaultModel()
        let (source, label) = try DraftSpecification("\(DefaultModel.path)@q4_0").load(for: target)
        #expect(label == "SmolLM2-135M-Instruct Q4_1 as Q4_0 (30 layers)")
        let prompt = SpeculativeGreedyTests.prompts[0]
        let expected = try SpeculativeGreedyTests.plain(prompt)
        let (tokens, statistics) = try SpeculativeGreedyTests.speculative(prompt, draft: source, shape: .chain(depth: 3), target: target)
        #expect(tokens == expected)
        // The same model at 4.5 bits agrees with its 5-bit self on most tokens
        // (a broken requantisation drafts noise: about 1 token per call).
        #expect(statistics.blockEfficiency > 2, "block efficiency \(statistics.blockEfficiency)")
    }

    /// On the real pair with its default knobs (chain L=4, 32k head, lookup n ≤ 3)
    /// and the 0.5B requantised to Q4_0: plain greedy output on three prompts
    /// × 64 tokens, and still more than three tokens per target call.
    @Test func theRequantisedPairReproducesPlainGreedy() throws {
        let (targetWeights, _) = try PairGreedyTests.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let (source, label) = try DraftSpecification("qwen2.5-coder-0.5b@q4_0").load(for: target)
        #expect(label.contains("as Q4_0"), "\(label)")
        try DraftVocabulary.apply(32768, to: source)
        var efficiency = 0.0
        for request in PairGreedyTests.requests {
            let prompt = PairGreedyTests.prompt(request, tokenizer: tokenizer)
            let expected = try PairGreedyTests.plainGreedy(target, prompt: prompt)
            target.reset()
            if case let .model(draft) = source { draft.reset() }
            let decoder = try SpeculativeDecoder(target: target, draft: source, shape: .chain(depth: 4), sampling: .greedy,
                                                 prompt: prompt, seed: 1, draftLookup: try NGramDrafter(maxN: 3))
            #expect(try PairGreedyTests.emitted(by: decoder) == expected, "'\(request.prefix(30))…': differs from plain greedy")
            efficiency += decoder.statistics.blockEfficiency
        }
        #expect(efficiency / Double(PairGreedyTests.requests.count) > 3)
    }
}
