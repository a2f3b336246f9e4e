import Foundation
import SpecCore
import SpecModels
import Testing

/// The cheaper drafts of issue 11 on the real pair: a trimmed draft
/// vocabulary (FR-Spec) and p-min stopping keep greedy speculative output
/// equal to plain greedy; the trimmed head gives −∞ outside its tokens and
/// the full head's logits on them; bad values are refused by `SettingRanges`.
@Suite(.serialized) struct CheaperDraftTests {
    @Test func theShippedTablesDecodeForBothTokenizers() throws {
        let qwen = try #require(TokenFrequencyTable.shipped(preTokenizer: "qwen2", vocabularySize: 151_936))
        let smol = try #require(TokenFrequencyTable.shipped(preTokenizer: "smollm", vocabularySize: 49_152))
        // Code and prose: a space, a newline and "def" are among the most frequent Qwen tokens.
        let top = Set(qwen.ranked().prefix(2000))
        let tokenizer = try Tokenizer(file: try PairGreedyTests.requireWeights().target.file)
        for text in [" ", "\n", "def", " the"] {
            let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            #expect(ids.count == 1 && top.contains(Int(ids[0])), "'\(text.debugDescription)' is not among the 2000 most frequent")
        }
        #expect(smol.levels.filter { $0 > 0 }.count > 10_000)
        #expect(TokenFrequencyTable.shipped(preTokenizer: "qwen2", vocabularySize: 1000) == nil)
        // The encoding round-trips, and a foreign character is refused.
        #expect(try TokenFrequencyTable(encoded: qwen.encoded) == qwen)
        #expect(throws: SettingsError.self) { try TokenFrequencyTable(encoded: "AB*") }
    }

    @Test func theTrimmedHeadKeepsTheFullHeadsLogitsOnItsTokens() throws {
        let (_, draftWeights) = try PairGreedyTests.requireWeights()
        let full = try Transformer(weights: draftWeights, contextLength: 64)
        let trimmed = try Transformer(weights: draftWeights, contextLength: 64)
        try DraftVocabulary.apply(8192, to: trimmed)
        let kept = try DraftVocabulary.tokens(size: 8192, file: draftWeights.file, vocabularySize: full.vocabularySize)
        #expect(kept.count == 8192)
        #expect(kept.contains(151_645), "<|im_end|> (a control token) is always kept")
        let batch = TokenBatch(chain: [9707, 11, 1879, 0])
        let a = Array(try full.evaluate(batch, logits: .all)[row: 3])
        let b = Array(try trimmed.evaluate(batch, logits: .all)[row: 3])
        let keptSet = Set(kept)
        for i in a.indices {
            if keptSet.contains(i) {
                #expect(abs(a[i] - b[i]) <= 1e-4 * max(1, abs(a[i])), "token \(i): \(a[i]) vs \(b[i])")
            } else if b[i] != -.infinity {
                Issue.record("token \(i) is not kept but has logit \(b[i])")
                break
            }
        }
        // Back to the full head.
        try DraftVocabulary.apply(nil, to: trimmed)
        trimmed.reset()
        #expect(Array(try trimmed.evaluate(batch, logits: .all)[row: 3]) == a)
    }

    @Test(arguments: [(8192, 0.0), (32768, 0.0), (16384, 0.3), (nil, 0.5)] as [(Int?, Double)])
    func greedyOutputEqualsPlainGreedy(vocabulary: Int?, pMin: Double) throws {
        let (targetWeights, draftWeights) = try PairGreedyTests.requireWeights()
        let tokenizer = try Tokenizer(file: targetWeights.file)
        let target = try Transformer(weights: targetWeights, contextLength: 512)
        let draft = try Transformer(weights: draftWeights, contextLength: 512, maxBatch: target.maxBatch)
        try DraftVocabulary.apply(vocabulary, to: draft)
        for request in PairGreedyTests.requests.prefix(1) {
            let prompt = PairGreedyTests.prompt(request, tokenizer: tokenizer)
            let expected = try PairGreedyTests.plainGreedy(target, prompt: prompt, count: 48)
            for shape in [DraftShape.chain(depth: 4), .rsdC(branching: [2, 2, 1])] {
                target.reset()
                draft.reset()
                let decoder = try SpeculativeDecoder(target: target, draft: .model(draft), shape: shape, sampling: .greedy,
                                                     prompt: prompt, seed: 1, pMin: pMin)
                #expect(try PairGreedyTests.emitted(by: decoder, count: 48) == expected, "\(shape.label) vocab \(DraftVocabulary.label(vocabulary)) p-min \(pMin)")
            }
        }
    }

    @Test func badValuesAreRefusedWithTheRange() {
        let ranges = SettingRanges(maxBatch: 64, contextLength: 512, vocabularySize: 151_936, layerCount: 28)
        for bad in [0, -3, 151_937] {
            #expect(throws: SettingsError.self) { try ranges.check(draftVocabulary: bad) }
        }
        #expect((try? ranges.check(draftVocabulary: 151_936)) != nil)
        do { try ranges.check(draftVocabulary: 0) } catch {
            #expect(error.description.contains("1…151936"))
        }
        for bad in [-0.01, 1.01, Double.nan] {
            #expect(throws: SettingsError.self) { try SettingRanges.checkPMin(bad) }
        }
        #expect((try? SettingRanges.checkPMin(0)) != nil && (try? SettingRanges.checkPMin(1)) != nil)
    }

    @Test func theVocabularyKnobSteps() {
        #expect(DraftVocabulary.step(from: nil, by: -1) == 32768)
        #expect(DraftVocabulary.step(from: 8192, by: -1) == 8192)
        #expect(DraftVocabulary.step(from: 16384, by: 1) == 32768)
        #expect(DraftVocabulary.step(from: 32768, by: 1) == nil)
        #expect(DraftVocabulary.step(from: 20000, by: 1) == nil, "an odd size steps from the next step up")
        #expect(DraftVocabulary.label(16384) == "16k" && DraftVocabulary.label(nil) == "full")
    }
}
