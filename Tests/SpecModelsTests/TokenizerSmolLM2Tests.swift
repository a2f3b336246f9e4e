import Foundation
import SpecModels
import Testing

// MARK: - The real SmolLM2 vocabulary

/// SmolLM2-135M-Instruct's vocabulary, read from the default model's GGUF metadata.
func loadSmolLM2Vocabulary() throws -> TokenizerVocabulary {
    try TokenizerVocabulary(file: GGUFFile(path: DefaultModel.path))
}

/// Built once and shared by every test (tokenizers are thread-safe).
private let smolLM2: Tokenizer? = try? Tokenizer(loadSmolLM2Vocabulary())

// MARK: -

@Suite
struct TokenizerSmolLM2Tests {
    let reference: TokenizerFixtures.SmolLM2Reference
    let tokenizer: Tokenizer

    init() throws {
        reference = try TokenizerFixtures.load(TokenizerFixtures.SmolLM2Reference.self, "smollm2_reference.json")
        tokenizer = try #require(smolLM2, "the default model is missing at \(DefaultModel.path): run `make test` to fetch it")
    }

    @Test func vocabularyMatchesTheFixture() throws {
        let vocabulary = try loadSmolLM2Vocabulary()
        #expect(vocabulary.tokens.count == reference.vocabulary_size)
        #expect(vocabulary.merges?.count == reference.merges_count)
        #expect(vocabulary.pre == reference.pre)
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.preTokenizer?.kind == .smollm)
    }

    @Test func encodesLikeTheReference() {
        for testCase in reference.cases {
            #expect(tokenizer.encode(testCase.text) == testCase.ids, "\(testCase.text.debugDescription)")
            #expect(tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false) == testCase.ids_no_special,
                    "\(testCase.text.debugDescription)")
        }
    }

    @Test func decodeInvertsEncode() {
        for testCase in reference.cases {
            let ids = tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false)
            #expect(Array(tokenizer.decode(ids).utf8) == Array(testCase.text.utf8), "\(testCase.text.debugDescription)")
        }
    }

    @Test func streamingNeverSplitsACharacter() {
        for testCase in reference.cases {
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var streamed = ""
            for id in testCase.ids_no_special {
                let chunk = decoder.append(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}"), "\(testCase.text.debugDescription)")
                streamed += chunk
            }
            streamed += decoder.flush()
            #expect(Array(streamed.utf8) == Array(testCase.text.utf8), "\(testCase.text.debugDescription)")
        }
    }

    @Test func chatMLMarkersAreSingleTokens() throws {
        let prompt = ChatTemplate.chatML(system: "You are a helpful AI assistant.", user: "What is 2+2?")
        let expected = try #require(reference.cases.first { $0.text == prompt })
        let ids = tokenizer.encode(prompt)
        #expect(ids == expected.ids)
        #expect(ids.filter { $0 == 1 }.count == 3)  // <|im_start|>
        #expect(ids.filter { $0 == 2 }.count == 2)  // <|im_end|>
        let plain = tokenizer.encode(prompt, parseSpecial: false)
        #expect(plain.allSatisfy { $0 > 16 })
        #expect(tokenizer.decode(plain) == prompt)
        #expect(tokenizer.decode(ids) == "system\nYou are a helpful AI assistant.\nuser\nWhat is 2+2?\nassistant\n")
    }

    @Test func specialTokensAndEndOfGeneration() throws {
        #expect(tokenizer.bosID == 1)
        #expect(tokenizer.eosID == 2)
        #expect(tokenizer.tokenID(of: "<|im_end|>") == 2)
        #expect(tokenizer.tokenID(of: "<|endoftext|>") == 0)
        #expect(tokenizer.isEndOfGeneration(2))
        #expect(tokenizer.isEndOfGeneration(0))
        #expect(!tokenizer.isEndOfGeneration(1))
        let the = try #require(tokenizer.tokenID(of: "Ġthe"))
        #expect(!tokenizer.isEndOfGeneration(the))
        #expect(tokenizer.encode("", addSpecial: true).isEmpty)  // SmolLM2 adds no BOS
    }

    @Test func piecesForDisplay() throws {
        let the = try #require(tokenizer.tokenID(of: "Ġthe"))
        #expect(tokenizer.pieceBytes(the) == Array(" the".utf8))
        #expect(tokenizer.pieceText(the) == " the")
        #expect(tokenizer.pieceText(2) == "<|im_end|>")
        #expect(tokenizer.pieceBytes(2) == Array("<|im_end|>".utf8))
        // the byte 0xE2 alone (lead byte of many punctuation marks) is spelled "â"
        let lead = try #require(tokenizer.tokenID(of: "â"))
        #expect(tokenizer.pieceBytes(lead) == [0xE2])
        #expect(tokenizer.pieceText(lead) == "<0xE2>")
        let newline = try #require(tokenizer.tokenID(of: "Ċ"))
        #expect(tokenizer.pieceText(newline) == "\n")
        #expect(tokenizer.tokenText(2) == "<|im_end|>")
        #expect(tokenizer.tokenType(2) == .control)
        #expect(tokenizer.tokenType(the) == .normal)
        #expect(tokenizer.tokenText(49152) == nil)
        #expect(tokenizer.pieceText(-1) == "<invalid id -1>")
        #expect(tokenizer.pieceBytes(1_000_000).isEmpty)
    }

    @Test func encodesTheSameFromManyThreads() async {
        // the word cache is shared; concurrent encodes must neither race nor disagree
        let tokenizer = tokenizer
        let cases = reference.cases
        let failures = await withTaskGroup(of: Int.self) { group in
            for shift in 0..<4 {
                group.addTask {
                    var failures = 0
                    for n in cases.indices {
                        let testCase = cases[(n + shift * 37) % cases.count]
                        if tokenizer.encode(testCase.text) != testCase.ids { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test func longTextsEncodeExactlyAndQuickly() throws {
        // many copies of every tricky string: the result must be the concatenation
        // whenever the separator is a piece boundary, and must not be quadratic
        let text = reference.cases.map(\.text).joined(separator: "\u{0}")
        let long = String(repeating: text + "\u{0}", count: 4)
        let clock = ContinuousClock()
        let start = clock.now
        let ids = tokenizer.encode(long, addSpecial: false, parseSpecial: false)
        let elapsed = clock.now - start
        #expect(tokenizer.decode(ids) == long)
        #expect(elapsed < .seconds(5), "encoding \(long.utf8.count) bytes took \(elapsed)")
        let cjk = String(repeating: "日本語のテキスト", count: 2000)  // one 48 KB pre-token
        let cjkStart = clock.now
        let cjkIDs = tokenizer.encode(cjk)
        #expect(clock.now - cjkStart < .seconds(5))
        #expect(tokenizer.decode(cjkIDs) == cjk)
    }
}
