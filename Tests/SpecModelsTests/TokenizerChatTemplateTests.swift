import SpecModels
import Testing

@Suite struct TokenizerChatTemplateTests {
    @Test func chatMLWithSystem() {
        #expect(ChatTemplate.chatML(system: "Be brief.", user: "Hi!")
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func chatMLWithoutSystem() {
        #expect(ChatTemplate.chatML(system: nil, user: "2+2?")
            == "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func markersBecomeSingleTokensOnlyWhenParsed() throws {
        let tokenizer = try Tokenizer(byteLevelVocabulary(control: ["<|im_start|>", "<|im_end|>"]))
        let start = Int32(256), end = Int32(257)
        let prompt = ChatTemplate.chatML(system: nil, user: "hi")
        let parsed = tokenizer.encode(prompt)
        #expect(parsed == [start] + Array("user\nhi".utf8).map(Int32.init) + [end, 10, start]
            + Array("assistant\n".utf8).map(Int32.init))
        let plain = tokenizer.encode(prompt, parseSpecial: false)
        #expect(!plain.contains(start) && !plain.contains(end))
        #expect(tokenizer.decode(plain) == prompt)
    }
}
