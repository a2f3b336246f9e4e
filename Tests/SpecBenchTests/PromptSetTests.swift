import Foundation
import SpecBench
import Testing

@Suite struct PromptSetTests {
    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @Test func theBuiltInSetHasThreeOrMoreOfSixKinds() {
        let set = PromptSet.builtIn
        #expect(set.kinds == ["chat", "translation", "summarisation", "question answering", "maths", "retrieval copying",
                             "code completion", "code chat"])
        for kind in set.kinds { #expect(set.prompts.filter { $0.kind == kind }.count >= 3, "\(kind)") }
        let chat = set.prompts.first { $0.kind == "chat" }!
        #expect(chat.turns.count >= 3 && chat.turns.last?.role == "user", "multi-turn")
        #expect(Set(set.prompts.map(\.name)).count == set.prompts.count, "names are unique")
    }

    @Test func theEmbeddedSetIsThePromptsFile() throws {
        // scripts/embed-prompts.sh regenerates the embedded copy; this fails while they differ.
        let file = try PromptSet(contentsOf: Self.repository.appendingPathComponent("prompts/prompts.json").path)
        #expect(file == PromptSet.builtIn)
    }

    @Test func chatMLHasEveryTurnAndEndsWithTheAssistant() {
        let p = BenchPrompt(name: "x", kind: "chat", turns: [.init(role: "user", text: "hi"), .init(role: "assistant", text: "hello"),
                                                             .init(role: "user", text: "bye")])
        #expect(p.chatML(system: "S") == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n<|im_start|>user\nbye<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func plainTextIsOnePromptPerLine() throws {
        let set = try PromptSet(parsing: Data("first prompt\n\n  second prompt  \n".utf8), source: "t.txt")
        #expect(set.prompts.map { $0.turns[0].text } == ["first prompt", "second prompt"])
    }

    @Test func bareArraysAndTurnsParse() throws {
        let json = #"[{"text": "a"}, {"name": "c", "kind": "chat", "turns": [{"role": "user", "text": "u"}]}]"#
        let set = try PromptSet(parsing: Data(json.utf8), source: "a.json")
        #expect(set.prompts.map(\.name) == ["prompt-1", "c"])
        #expect(set.prompts[1].kind == "chat")
    }

    @Test(arguments: [
        ("", "empty"), ("  \n\n ", "empty"), ("{\"prompts\": []}", "no prompts"), ("[]", "no prompts"),
        ("{\"prompts\": [", "malformed"), ("[{\"name\": \"x\"}]", "neither"),
        ("[{\"turns\": [{\"role\": \"user\", \"text\": \"a\"}, {\"role\": \"assistant\", \"text\": \"b\"}]}]", "end with a user turn"),
        ("[{\"turns\": [{\"role\": \"robot\", \"text\": \"a\"}]}]", "role"),
        ("[{\"text\": \"   \"}]", "empty"),
    ])
    func badFilesAreClearErrors(text: String, phrase: String) {
        do {
            _ = try PromptSet(parsing: Data(text.utf8), source: "bad.json")
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.description.contains("bad.json") && error.description.contains(phrase), "\(error.description)")
        }
    }

    @Test func aMissingFileNamesIt() {
        #expect(throws: PromptSetError("/nonexistent/p.json: cannot read the prompt file")) { try PromptSet(contentsOf: "/nonexistent/p.json") }
    }

    @Test func quickSubsetsSpanTheKinds() {
        let set = PromptSet.builtIn
        #expect(set.limited(perKind: 1).prompts.count == 8)
        let three = set.spread(count: 3)
        #expect(three.prompts.map(\.kind) == ["chat", "question answering", "code chat"])
    }
}
