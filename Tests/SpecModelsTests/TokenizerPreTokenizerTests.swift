import SpecModels
import Testing

@Suite struct TokenizerPreTokenizerTests {
    /// Every named pre-tokenizer splits every fixture string exactly as the Python
    /// `regex` module does with llama.cpp's patterns (compared scalar for scalar:
    /// Swift's `==` on strings would accept canonically equivalent splits).
    @Test(arguments: ["gpt2", "smollm", "llama-bpe", "qwen2", "default"])
    func splitsLikeTheRegexModule(name: String) throws {
        let fixture = try TokenizerFixtures.load(TokenizerFixtures.PreTokenizerSplits.self, "pretokenizer_splits.json")
        let pre = PreTokenizer(named: name == "default" ? nil : name)
        var mismatches = 0
        for testCase in fixture.cases {
            let expected = try #require(testCase.splits[name])
            let actual = pre.split(testCase.text)
            if actual.map({ Array($0.unicodeScalars) }) != expected.map({ Array($0.unicodeScalars) }) {
                mismatches += 1
                Issue.record("""
                    \(name): \(testCase.text.debugDescription)
                      got      \(actual.map(\.debugDescription))
                      expected \(expected.map(\.debugDescription))
                    """)
            }
        }
        #expect(mismatches == 0)
    }

    @Test func namesResolveToFamilies() {
        #expect(PreTokenizer(named: "smollm").kind == .smollm)
        #expect(PreTokenizer(named: "starcoder").kind == .smollm)
        #expect(PreTokenizer(named: "qwen2").kind == .qwen2)
        #expect(PreTokenizer(named: "llama-bpe").kind == .llama3)
        #expect(PreTokenizer(named: "llama-bpe").ignoresMerges)
        #expect(!PreTokenizer(named: "dbrx").ignoresMerges)
        #expect(PreTokenizer(named: "gpt-2").kind == .gpt2)
        #expect(PreTokenizer(named: "gpt2").kind == .gpt2)
        #expect(PreTokenizer(named: nil).kind == .default)
        #expect(PreTokenizer(named: "no-such-tokenizer").kind == .default)
    }

    @Test func handPickedSplits() {
        let smollm = PreTokenizer(kind: .smollm)
        #expect(smollm.split("year 2024!") == ["year", " ", "2", "0", "2", "4", "!"])
        #expect(smollm.split("a  b") == ["a", " ", " b"])
        #expect(smollm.split("x   ") == ["x", "   "])
        let llama3 = PreTokenizer(kind: .llama3)
        #expect(llama3.split("12345 I'LL") == ["123", "45", " I", "'LL"])
        #expect(llama3.split("a\n\n  b") == ["a", "\n\n", " ", " b"])
        let qwen2 = PreTokenizer(kind: .qwen2)
        #expect(qwen2.split("(x) 42") == ["(x", ")", " ", "4", "2"])
        #expect(PreTokenizer(kind: .gpt2).split("I'LL") == ["I", "'", "LL"])
        #expect(PreTokenizer(kind: .default).split("1234567 a+b") == ["123", "456", "7", " a", "+", "b"])
        #expect(smollm.split("").isEmpty)
    }
}
