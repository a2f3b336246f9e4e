import SpecModels
import Testing

/// A hand-made byte-level vocabulary: ids 0…255 are the bytes (GPT-2 spelling),
/// then `extra` tokens, then `control` and `userDefined` tokens.
func byteLevelVocabulary(
    extra: [String] = [], merges: [String] = [], control: [String] = [], userDefined: [String] = [],
    pre: String? = "gpt2", bosID: Int32? = nil, eosID: Int32? = nil, addBOS: Bool = false, addEOS: Bool = false
) -> TokenizerVocabulary {
    var tokens = (0..<256).map { gpt2Spelling([UInt8($0)]) }
    tokens += extra + control + userDefined
    let types = [Int32](repeating: 1, count: 256 + extra.count)
        + [Int32](repeating: 3, count: control.count) + [Int32](repeating: 4, count: userDefined.count)
    return TokenizerVocabulary(model: "gpt2", pre: pre, tokens: tokens, tokenTypes: types, merges: merges,
                               bosID: bosID, eosID: eosID, addBOS: addBOS, addEOS: addEOS)
}

/// GPT-2's byte-to-unicode spelling of `bytes`, written out independently of the library.
func gpt2Spelling(_ bytes: [UInt8]) -> String {
    var table: [UInt8: Unicode.Scalar] = [:]
    var extra: UInt32 = 0
    for b in 0...255 {
        let byte = UInt8(b)
        if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
            table[byte] = Unicode.Scalar(byte)
        } else {
            table[byte] = Unicode.Scalar(256 + extra)!
            extra += 1
        }
    }
    return String(String.UnicodeScalarView(bytes.map { table[$0]! }))
}

@Suite struct TokenizerByteLevelTests {
    @Test func mergesApplyByRank() throws {
        let ab = try Tokenizer(byteLevelVocabulary(extra: ["ab", "bc"], merges: ["a b", "b c"]))
        #expect(ab.encode("abc") == [256, Int32(UInt8(ascii: "c"))])
        let bc = try Tokenizer(byteLevelVocabulary(extra: ["ab", "bc"], merges: ["b c", "a b"]))
        #expect(bc.encode("abc") == [Int32(UInt8(ascii: "a")), 257])
    }

    @Test func equalRanksMergeLeftmostFirst() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(extra: ["aa"], merges: ["a a"]))
        let a = Int32(UInt8(ascii: "a"))
        #expect(tokenizer.encode("aaa") == [256, a])
        #expect(tokenizer.encode("aaaa") == [256, 256])
    }

    @Test func mergesChainAcrossSpaces() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(
            extra: ["Ġh", "ll", "Ġhe", "Ġhell", "Ġhello"],
            merges: ["Ġ h", "l l", "Ġh e", "Ġhe ll", "Ġhell o"]))
        #expect(tokenizer.encode(" hello") == [260])
        #expect(tokenizer.encode("hello") == [104, 101, 257, 111])
        #expect(tokenizer.decode([260, 260]) == " hello hello")
    }

    @Test func aRepeatedTokenTextKeepsItsFirstID() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(extra: ["ab", "ab"], merges: ["a b"]))
        #expect(tokenizer.tokenID(of: "ab") == 256)
        #expect(tokenizer.encode("ab") == [256])
        #expect(tokenizer.decode([257]) == "ab")
    }

    @Test func ignoreMergesTakesWholeWordTokens() throws {
        // "abc" is a token no merge produces; Llama 3 names use it directly
        let llama = try Tokenizer(byteLevelVocabulary(extra: ["abc"], merges: [], pre: "llama-bpe"))
        #expect(llama.encode("abc") == [256])
        let gpt2 = try Tokenizer(byteLevelVocabulary(extra: ["abc"], merges: [], pre: "gpt2"))
        #expect(gpt2.encode("abc") == [97, 98, 99])
    }

    @Test func specialTokensMatchLeftmostLongest() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(control: ["<|end|>", "<|end|>!"], userDefined: ["<tool>"]))
        let end = Int32(256), endBang = Int32(257), tool = Int32(258)
        #expect(tokenizer.encode("x<|end|>y") == [120, end, 121])
        #expect(tokenizer.encode("<|end|>!<tool>") == [endBang, tool])
        #expect(tokenizer.encode("<|end|>", parseSpecial: false) == Array("<|end|>".utf8).map(Int32.init))
        #expect(tokenizer.encode("<|en") == [60, 124, 101, 110])
        #expect(tokenizer.decode([120, end, tool, 121]) == "x<tool>y")
        #expect(tokenizer.pieceText(end) == "<|end|>")
        #expect(tokenizer.tokenID(of: "<tool>") == tool)
        #expect(tokenizer.isEndOfGeneration(end))
        #expect(!tokenizer.isEndOfGeneration(tool))
    }

    @Test func addsBOSAndEOSWhenAsked() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(control: ["<s>", "</s>"], bosID: 256, eosID: 257,
                                                          addBOS: true, addEOS: true))
        #expect(tokenizer.encode("a") == [256, 97, 257])
        #expect(tokenizer.encode("a", addSpecial: false) == [97])
        #expect(tokenizer.encode("") == [256, 257])
        #expect(tokenizer.decode([256, 97, 257]) == "a")
        #expect(tokenizer.isEndOfGeneration(257))
    }

    @Test func everyByteRoundTrips() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary())
        for byte in 0...255 {
            #expect(tokenizer.pieceBytes(Int32(byte)) == [UInt8(byte)])
        }
        let text = "tab\there, café, 日本, 🦊, \u{0}\u{7F}\u{85}"
        #expect(tokenizer.encode(text) == Array(text.utf8).map(Int32.init))
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
    }
}
