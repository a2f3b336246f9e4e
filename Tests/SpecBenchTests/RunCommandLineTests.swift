import SpecBench
import SpecCore
import Testing

@Suite struct RunCommandLineTests {
    /// The command `tune` and the live tune suggest: the shape's options, the
    /// sampling as typed (0, not 0.0), shell quoting only where needed.
    @Test func theSuggestedCommandRunsTheShape() {
        let command = RunCommandLine.words(modelPath: "/models/my model.gguf", draft: "self:4", shape: .rsdS(width: 3, depth: 2),
                                           sampling: SamplingParameters(temperature: 0.7, topK: 40, topP: 0.9))
        #expect(command == "spectree run --model '/models/my model.gguf' --draft self:4 --method rsd-s --width 3 --depth 2 --temperature 0.7 --top-k 40 --top-p 0.9")
        #expect(RunCommandLine.words(modelPath: nil, draft: "self:2", shape: .chain(depth: 3), sampling: .greedy)
                == "spectree run --draft self:2 --method chain --depth 3 --temperature 0")
        #expect(RunCommandLine.shellQuoted("it's") == "'it'\\''s'")
        #expect(RunCommandLine.number(1e20) == "1e+20", "no overflow converting a huge whole number")
    }
}
