import SpecModels
import Testing

/// A tiny SentencePiece BPE model (byte fallback) trained by the fixture script,
/// checked against the ids `sentencepiece` itself produced.
@Suite struct TokenizerSentencePieceTests {
    let fixture: TokenizerFixtures.SentencePieceTiny
    let tokenizer: Tokenizer

    init() throws {
        fixture = try TokenizerFixtures.load(TokenizerFixtures.SentencePieceTiny.self, "sentencepiece_tiny.json")
        let v = fixture.vocabulary
        tokenizer = try Tokenizer(TokenizerVocabulary(
            model: "llama", tokens: v.tokens, tokenTypes: v.token_types, scores: v.scores,
            bosID: v.bos_id, eosID: v.eos_id, unknownID: v.unknown_id,
            addBOS: true, addSpacePrefix: v.add_space_prefix))
    }

    @Test func encodesLikeSentencePiece() {
        for testCase in fixture.cases {
            #expect(tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false) == testCase.ids,
                    "\(testCase.text.debugDescription)")
        }
    }

    @Test func decodesLikeSentencePiece() {
        for testCase in fixture.cases {
            #expect(Array(tokenizer.decode(testCase.ids).utf8) == Array(testCase.decoded.utf8),
                    "\(testCase.text.debugDescription)")
        }
    }

    @Test func addsBOSAndSpacePrefix() throws {
        let ids = tokenizer.encode("the fox")
        #expect(ids.first == fixture.vocabulary.bos_id)
        #expect(Array(ids.dropFirst()) == tokenizer.encode("the fox", addSpecial: false))
        #expect(tokenizer.encode("", addSpecial: true) == [fixture.vocabulary.bos_id])
        #expect(tokenizer.encode("", addSpecial: false).isEmpty)
        #expect(tokenizer.pieceText(try #require(tokenizer.tokenID(of: "▁the"))) == " the")
        #expect(tokenizer.decode(tokenizer.encode("  two spaces")) == "  two spaces")
    }

    @Test func specialTokensGetASpacePrefixAfterThem() {
        // llama.cpp: text after a special token is prefixed with a space like text at the start
        let ids = tokenizer.encode("fox</s>fox", addSpecial: false)
        let fox = tokenizer.encode("fox", addSpecial: false)
        #expect(ids == fox + [fixture.vocabulary.eos_id] + fox)
        #expect(tokenizer.isEndOfGeneration(fixture.vocabulary.eos_id))
        #expect(tokenizer.decode(ids) == "fox fox")
    }

    @Test func unknownCharactersFallBackToBytes() throws {
        let ids = tokenizer.encode("🦊", addSpecial: false)
        let bytes = ids.dropFirst().map { tokenizer.pieceBytes($0) }
        #expect(bytes == [[0xF0], [0x9F], [0xA6], [0x8A]])
        #expect(tokenizer.pieceText(ids[1]) == "<0xF0>")
        #expect(tokenizer.decode(ids) == "🦊")
    }

    @Test func streamingConcatenatesToTheDecode() {
        for testCase in fixture.cases where !testCase.ids.isEmpty {
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var streamed = ""
            for id in testCase.ids {
                let chunk = decoder.append(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}"))
                streamed += chunk
            }
            streamed += decoder.flush()
            // a stream keeps the space prefix that decode removes
            #expect(Array(streamed.utf8) == Array((" " + testCase.decoded).utf8), "\(testCase.text.debugDescription)")
        }
    }
}
