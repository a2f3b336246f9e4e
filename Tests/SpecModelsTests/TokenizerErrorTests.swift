import SpecModels
import Testing

@Suite struct TokenizerErrorTests {
    private func error(_ vocabulary: TokenizerVocabulary) -> TokenizerError? {
        do {
            _ = try Tokenizer(vocabulary)
            return nil
        } catch let error as TokenizerError {
            return error
        } catch {
            return nil
        }
    }

    @Test func unknownModelKind() {
        let e = error(TokenizerVocabulary(model: "bert", tokens: ["a"]))
        #expect(e == .unsupportedModel("bert"))
        #expect(e?.description.contains("bert") == true)
    }

    @Test func emptyVocabulary() {
        #expect(error(TokenizerVocabulary(model: "gpt2", tokens: [], merges: [])) == .emptyVocabulary)
    }

    @Test func inconsistentSizes() {
        #expect(error(TokenizerVocabulary(model: "gpt2", tokens: ["a", "b"], tokenTypes: [1], merges: []))
            == .sizeMismatch(field: "tokenTypes", expected: 2, actual: 1))
        #expect(error(TokenizerVocabulary(model: "llama", tokens: ["a", "b"], scores: [0, 0, 0]))
            == .sizeMismatch(field: "scores", expected: 2, actual: 3))
    }

    @Test func specialIDsOutsideTheVocabulary() {
        #expect(error(TokenizerVocabulary(model: "gpt2", tokens: ["a"], merges: [], bosID: 1))
            == .specialTokenOutOfRange(name: "bos", id: 1, vocabularySize: 1))
        #expect(error(TokenizerVocabulary(model: "gpt2", tokens: ["a"], merges: [], eosID: -1))
            == .specialTokenOutOfRange(name: "eos", id: -1, vocabularySize: 1))
    }

    @Test func missingMergesOrScores() {
        #expect(error(TokenizerVocabulary(model: "gpt2", tokens: ["a"])) == .missingMerges)
        #expect(error(TokenizerVocabulary(model: "llama", tokens: ["a"])) == .missingScores)
    }

    @Test func badMerges() {
        #expect(error(byteLevelVocabulary(extra: ["ab"], merges: ["ab"])) == .malformedMerge(rank: 0, merge: "ab"))
        #expect(error(byteLevelVocabulary(extra: ["ab"], merges: ["a b", "a "]))
            == .malformedMerge(rank: 1, merge: "a "))
        #expect(error(byteLevelVocabulary(merges: ["a b"]))
            == .mergeTokenNotInVocabulary(rank: 0, merge: "a b", token: "ab"))
        let e = error(byteLevelVocabulary(extra: ["ab"], merges: ["a b", "ab ☃"]))
        #expect(e == .mergeTokenNotInVocabulary(rank: 1, merge: "ab ☃", token: "☃"))
        #expect(e?.description.contains("☃") == true)
    }

    /// Consistent vocabularies build, and the tokenizers they give work: the
    /// merge applies, the SentencePiece piece is found, both round-trip.
    @Test func goodVocabulariesBuild() throws {
        let byteLevel = try Tokenizer(byteLevelVocabulary(extra: ["ab"], merges: ["a b"]))
        #expect(byteLevel.vocabularySize == 257)
        #expect(byteLevel.encode("ab", addSpecial: false) == [256], "the merge a b gives the extra token")
        #expect(byteLevel.decode(byteLevel.encode("abba", addSpecial: false)) == "abba")
        let sentencePiece = try Tokenizer(TokenizerVocabulary(model: "llama", tokens: ["<unk>", "▁a"], tokenTypes: [2, 1],
                                                              scores: [0, -1], unknownID: 0))
        #expect(sentencePiece.vocabularySize == 2)
        #expect(sentencePiece.decode([1]) == " a", "▁ is a space")
        #expect(sentencePiece.encode("a", addSpecial: false) == [0], "no piece spells a without its space: unknown")
    }
}
