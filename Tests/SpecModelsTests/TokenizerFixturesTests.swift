import Foundation
import Testing

/// Reading the committed tokenizer fixtures (written by scripts/make_tokenizer_fixtures.py).
enum TokenizerFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer")

    static func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    struct PreTokenizerSplits: Decodable {
        struct Case: Decodable {
            let text: String
            let splits: [String: [String]]
        }
        let patterns: [String: [String]]
        let cases: [Case]
    }

    struct SmolLM2Reference: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int32]
            let ids_no_special: [Int32]
        }
        let model: String
        let pre: String
        let vocabulary_size: Int
        let merges_count: Int
        let cases: [Case]
    }

    struct SentencePieceTiny: Decodable {
        struct Vocabulary: Decodable {
            let tokens: [String]
            let scores: [Float]
            let token_types: [Int32]
            let bos_id: Int32
            let eos_id: Int32
            let unknown_id: Int32
            let add_space_prefix: Bool
        }
        struct Case: Decodable {
            let text: String
            let ids: [Int32]
            let decoded: String
        }
        let vocabulary: Vocabulary
        let cases: [Case]
    }
}

/// Checks that the fixtures themselves are whole, so that an empty or truncated file
/// cannot make the comparison tests pass vacuously.
@Suite struct TokenizerFixturesTests {
    @Test func preTokenizerFixtureCoversEveryNamedPattern() throws {
        let fixture = try TokenizerFixtures.load(TokenizerFixtures.PreTokenizerSplits.self,
                                                 "pretokenizer_splits.json")
        #expect(Set(fixture.patterns.keys) == ["gpt2", "smollm", "llama-bpe", "qwen2", "default"])
        #expect(fixture.cases.count >= 250)
        for testCase in fixture.cases {
            #expect(Set(testCase.splits.keys) == Set(fixture.patterns.keys))
        }
    }

    @Test func referenceFixturesHaveCases() throws {
        let smol = try TokenizerFixtures.load(TokenizerFixtures.SmolLM2Reference.self, "smollm2_reference.json")
        #expect(smol.cases.count >= 150)
        #expect(smol.pre == "smollm")
        #expect(smol.cases.contains { $0.text.isEmpty && $0.ids.isEmpty })
        let spm = try TokenizerFixtures.load(TokenizerFixtures.SentencePieceTiny.self, "sentencepiece_tiny.json")
        #expect(spm.cases.count >= 150)
        #expect(spm.vocabulary.tokens.count == spm.vocabulary.scores.count)
        #expect(spm.vocabulary.token_types.filter { $0 == 6 }.count == 256)
    }
}
