import SpecModels
import Testing

/// With one token per byte every multi-byte character is split across tokens,
/// the hardest case for a streaming decoder.
@Suite struct TokenizerStreamingTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(byteLevelVocabulary(control: ["<|im_end|>"], eosID: 256))
    }

    @Test(arguments: [
        "I ❤️ Swift 🦊🔥",
        "👨‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 👍🏽",
        "日本語のテキストと中文文本，还有한국어 텍스트。",
        "مرحبا بالعالم!",
        "e\u{301} a\u{300} — “quotes”",
    ])
    func neverEmitsHalfACharacter(text: String) {
        let ids = tokenizer.encode(text)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var chunks: [String] = []
        for id in ids {
            chunks.append(decoder.append(id))
        }
        chunks.append(decoder.flush())
        for chunk in chunks {
            #expect(!chunk.unicodeScalars.contains("\u{FFFD}"))
        }
        #expect(chunks.contains(""))  // some tokens completed nothing
        #expect(Array(chunks.joined().utf8) == Array(tokenizer.decode(ids).utf8))
        #expect(tokenizer.decode(ids) == text)
    }

    @Test func heldBytesWaitForTheirCharacter() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.append(0xF0) == "")
        #expect(decoder.append(0x9F) == "")
        var fork = decoder  // a copy continues independently
        #expect(decoder.append(0xA6) == "")
        #expect(decoder.append(0x8A) == "🦊")
        #expect(fork.append(0x94) == "")
        #expect(fork.append(0xA5) == "🔥")
        #expect(decoder.flush() == "")
    }

    @Test func invalidBytesBecomeReplacementCharacters() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.append(0xE2) == "")
        #expect(decoder.append(0x41) == "\u{FFFD}A")  // the E2 can no longer complete
        #expect(decoder.append(0x80) == "\u{FFFD}")    // a lone continuation byte
        #expect(decoder.append(0xF0) == "")
        #expect(decoder.append(0x9F) == "")
        #expect(decoder.flush() == "\u{FFFD}")
        #expect(decoder.flush() == "")
        let ids: [Int32] = [0xE2, 0x41, 0x80, 0xF0, 0x9F]
        #expect(tokenizer.decode(ids) == "\u{FFFD}A\u{FFFD}\u{FFFD}")
    }

    @Test func controlTokensAddNothing() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.append(0x68) == "h")
        #expect(decoder.append(256) == "")
        #expect(decoder.append(-5) == "")
        #expect(decoder.append(0x69) == "i")
    }
}
