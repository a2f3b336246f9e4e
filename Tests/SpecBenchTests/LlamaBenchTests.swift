import Foundation
import SpecBench
import SpecCore
import Testing

/// llama.cpp's llama-bench as `bench pair`'s reference: its markdown table
/// parsed (a fixture of its real output), failures as errors that name the
/// problem, and the comparison lines `bench pair` prints.
@Suite struct LlamaBenchTests {
    /// llama-bench's stdout for `-p 0 -n 128 -t 2` (build 0c1e570), with the figure changed.
    static let table = """
        | model                          |       size |     params | backend    | threads |            test |                  t/s |
        | ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |
        | qwen2 1.5B Q4_K - Medium       |   1.04 GiB |     1.78 B | CPU        |       2 |           tg128 |         28.51 ± 0.36 |

        build: 0c1e570 (1)
        """

    @Test func theGenerationRowIsRead() throws {
        let m = try LlamaBench.parse(Self.table)
        #expect(m == LlamaBench.Measurement(test: "tg128", tokensPerSecond: 28.51, spread: 0.36))
    }

    @Test func aPromptRowIsSkippedAndAMissingSpreadIsNil() throws {
        let both = """
            | model | test | t/s |
            | --- | ---: | ---: |
            | qwen2 | pp512 | 410.20 ± 3.10 |
            | qwen2 | tg64 | 31.7 |
            """
        #expect(try LlamaBench.parse(both) == LlamaBench.Measurement(test: "tg64", tokensPerSecond: 31.7, spread: nil))
    }

    @Test(arguments: [
        ("", "printed no table"),
        ("error: failed to load model\n", "printed no table"),
        ("| model | size |\n| --- | --- |\n| qwen2 | 1 GiB |\n", "no 'test' and 't/s' columns"),
        ("| model | test | t/s |\n| --- | --- | --- |\n| qwen2 | pp512 | 400 ± 1 |\n", "no generation (tg) row"),
        ("| model | test | t/s |\n| --- | --- | --- |\n| qwen2 | tg128 | n/a |\n", "tg128 row has no tokens/s: 'n/a'"),
    ])
    func aTableWithoutAFigureIsAClearError(output: String, message: String) {
        #expect { try LlamaBench.parse(output) } throws: { ($0 as? BenchError)?.description.contains(message) == true }
    }

    @Test func theArgumentsAreTheIssuesCommandLine() {
        #expect(LlamaBench.arguments(model: "/m/q.gguf", tokens: 128, threads: 2) == ["-m", "/m/q.gguf", "-p", "0", "-n", "128", "-t", "2"])
    }

    @Test func aMissingOrFailingExecutableIsAnErrorNotACrash() throws {
        #expect { try LlamaBench(path: "/nonexistent/llama-bench").run(model: "m.gguf", threads: 2) } throws: {
            ($0 as? BenchError)?.description.contains("llama-bench not found at /nonexistent/llama-bench") == true
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-llama-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func script(_ name: String, _ body: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            return path
        }
        let failing = try script("failing", "echo 'main: error: failed to load model' >&2\nexit 3\n")
        #expect { try LlamaBench(path: failing).run(model: "m.gguf", threads: 2) } throws: {
            ($0 as? BenchError)?.description == "llama-bench exited with status 3: main: error: failed to load model"
        }
        // A stand-in that prints the table (and its arguments on stderr): the process path end to end.
        let fake = try script("fake", "echo \"$@\" >&2\ncat <<'EOF'\n\(Self.table)\nEOF\n")
        #expect(try LlamaBench(path: fake).run(model: "m.gguf", threads: 2).tokensPerSecond == 28.51)
    }

    static func row(_ shape: DraftShape, label: String? = nil, isDefault: Bool = false, tokensPerSecond: Double, plain: Double) -> PairExperiment.Row {
        PairExperiment.Row(shape: shape, label: label, isDefault: isDefault, blockEfficiency: 3, acceptanceByDepth: [0.9],
                           tokensPerSecond: tokensPerSecond, plainTokensPerSecond: plain)
    }

    @Test func bestAndDefaultAreComparedWithBothPlains() {
        let result = PairExperiment.Result(
            plainTokensPerSecond: [25, 27],
            chains: [Self.row(.chain(depth: 4), tokensPerSecond: 40, plain: 26), Self.row(.chain(depth: 6), tokensPerSecond: 44, plain: 27.5)],
            trees: [Self.row(.rsdC(branching: [2, 1]), tokensPerSecond: 38, plain: 26)],
            pairDefault: Self.row(.chain(depth: 4), label: "default chain L=4 v32k", isDefault: true, tokensPerSecond: 42, plain: 28))
        let llama = [LlamaBench.Measurement(test: "tg128", tokensPerSecond: 30, spread: 0.5),
                     LlamaBench.Measurement(test: "tg128", tokensPerSecond: 34, spread: nil)]
        let lines = PairExperiment.llamaComparison(result, llama: llama, threads: 2)
        #expect(lines == [
            "llama.cpp plain decoding (llama-bench tg128, 2 threads, before, after: 30.0 ± 0.5, 34.0): mean 32.0 tokens/s",
            "spectree plain decoding: 26.0 tokens/s (mean of 2 passes) = 0.81× llama.cpp's",
            "fastest: chain L=6, 44.0 tokens/s = 1.38× llama.cpp's plain, 1.60× spectree's plain (measured around it)",
            "the pair's default: default chain L=4 v32k, 42.0 tokens/s = 1.31× llama.cpp's plain, 1.50× spectree's plain (measured around it)",
        ], "\(lines)")
        let without = PairExperiment.llamaComparison(result, llama: [], threads: 2)
        #expect(without.count == 2 && without[0].hasPrefix("fastest: chain L=6, 44.0 tokens/s = 1.60× spectree's plain"), "\(without)")
    }
}
