import SpecEngine
import Testing

@Suite struct PromptFormatTests {
    @Test func aChatReplyStartsOnItsOwnLineAPlainContinuationDoesNot() {
        #expect(PromptFormat.chat(system: nil).displayed("Tell me a story.") == "Tell me a story.\n")
        #expect(PromptFormat.chat(system: "Be brief").displayed("Lines\n") == "Lines\n")
        #expect(PromptFormat.plain.displayed("Once upon a time") == "Once upon a time")
    }
}
