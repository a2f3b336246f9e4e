import Foundation
import SpecModels
import Testing

/// The real `spectree` binary, run as a user would: exit codes, messages, JSON.
@Suite struct CLITests {
    struct Run { let status: Int32; let stdout: String; let stderr: String }

    /// The `spectree` executable built beside this test bundle.
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("spectree").path
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-cli-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func missingModelFileIsAClearError() throws {
        let r = try Self.run(["generate", "--model", "/nonexistent/model.gguf", "--max-tokens", "2"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/model.gguf"))
    }

    @Test(arguments: ["truncated", "random", "magic"])
    func badFilesGiveAClearErrorAndNonZeroExit(kind: String) throws {
        let real = try Data(contentsOf: URL(fileURLWithPath: DefaultModel.path), options: .alwaysMapped)
        var bytes: [UInt8]
        switch kind {
        case "truncated": bytes = Array(real.prefix(200_000))
        case "random":
            var g = SystemRandomNumberGenerator()
            bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
        default: bytes = Array(real.prefix(4096)); bytes[0] = UInt8(ascii: "X")
        }
        let path = try Self.temporaryFile("\(kind).gguf", bytes: bytes)
        for command in [["info", path], ["generate", "--model", path, "--max-tokens", "2"]] {
            let r = try Self.run(command)
            #expect(r.status != 0, "\(command)")
            #expect(r.stderr.contains("\(kind).gguf"), "the message names the file: \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"), "a crash, not an error: \(r.stderr)")
        }
    }

    @Test func unsupportedArchitectureIsNamed() throws {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("mamba"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-cli-\(getpid())-mamba.gguf").path
        try writer.write(to: path)
        let r = try Self.run(["info", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("unsupported architecture 'mamba'"), "\(r.stderr)")
    }

    @Test func impossibleSettingsAreRejected() throws {
        for arguments in [["generate", "--temperature", "-1"], ["generate", "--top-p", "0"], ["generate", "--max-tokens", "0"]] {
            let r = try Self.run(arguments)
            #expect(r.status != 0, "\(arguments)")
            #expect(!r.stderr.isEmpty)
        }
    }

    @Test func generateJSONIsGreedyAndDeterministic() throws {
        let args = ["generate", "--prompt", "The capital of France is", "--max-tokens", "12", "--temperature", "0", "--json"]
        let first = try Self.run(args), second = try Self.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        struct Output: Decodable { let tokens: [Int32]; let text: String; let tokens_per_second: Double }
        let a = try JSONDecoder().decode(Output.self, from: Data(first.stdout.utf8))
        let b = try JSONDecoder().decode(Output.self, from: Data(second.stdout.utf8))
        #expect(a.tokens.count == 12)
        #expect(a.tokens == b.tokens)
        #expect(a.text.contains("Paris"), "greedy SmolLM2 knows this: \(a.text)")
        #expect(a.tokens_per_second > 0)
    }

    @Test func tokenizeJSONGivesIds() throws {
        let r = try Self.run(["tokenize", "--json", "Hello world"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Output: Decodable { let ids: [Int32] }
        let ids = try JSONDecoder().decode(Output.self, from: Data(r.stdout.utf8)).ids
        #expect(ids == [19556, 905])
    }

    @Test func infoDescribesTheDefaultModel() throws {
        let r = try Self.run(["info"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("llama: 30 layers, width 576, FFN 1536"))
        #expect(r.stdout.contains("Q4_1 ×210"))
        #expect(r.stdout.contains("pre-tokenizer smollm"))
    }
}

/// Speculative decoding from the command line.
@Suite struct SpeculativeCLITests {
    struct Output: Decodable {
        let tokens: [Int32]; let target_calls: Int; let block_efficiency: Double
        let acceptance_by_depth: [Double]; let draft_ms: Double; let verify_ms: Double; let tokens_per_second: Double
    }

    @Test func generateWithADraftReportsSpeculativeFiguresAndGreedyTokens() throws {
        let plain = try CLITests.run(["generate", "--prompt", "The capital of France is", "--max-tokens", "24", "--temperature", "0", "--json"])
        struct Plain: Decodable { let tokens: [Int32] }
        let expected = try JSONDecoder().decode(Plain.self, from: Data(plain.stdout.utf8)).tokens
        for method in ["chain", "specinfer", "rsd-c", "rsd-s"] {
            let r = try CLITests.run(["generate", "--prompt", "The capital of France is", "--max-tokens", "24", "--temperature", "0",
                                      "--json", "--draft", "self:6", "--method", method, "--depth", "3"])
            #expect(r.status == 0, "\(r.stderr)")
            let out = try JSONDecoder().decode(Output.self, from: Data(r.stdout.utf8))
            #expect(out.tokens == expected, "\(method)")
            #expect(out.block_efficiency >= 1 && out.target_calls <= 24)
            #expect(!out.acceptance_by_depth.isEmpty && out.draft_ms > 0 && out.verify_ms > 0)
        }
    }

    @Test(arguments: [
        (["--draft", "self:4", "--depth", "0"], "depth"),
        (["--draft", "self:4", "--method", "rsd-c", "--width", "50000"], "vocabulary"),
        (["--draft", "self:4", "--budget", "0"], "budget"),
        (["--draft", "self:4", "--method", "dynamic", "--budget", "0"], "budget must be at least 1"),
        (["--draft", "self:4", "--method", "dynamic", "--width", "0"], "width must be at least 1"),
        (["--draft", "self:4", "--method", "dynamic", "--depth", "0"], "depth must be at least 1"),
        (["--draft", "self:4", "--method", "dynamic", "--budget", "5000"], "too large"),
        (["--draft", "self:40"], "the model has 30 layers"),
        (["--draft", "self:0-5,40"], "out of range"),
        (["--draft", "self:"], "empty"),
        (["--draft", "self:4", "--method", "beam"], "unknown method"),
        (["--draft", "/nonexistent/draft.gguf"], "/nonexistent/draft.gguf"),
    ])
    func impossibleSpeculativeSettingsAreClearErrors(arguments: [String], phrase: String) throws {
        let r = try CLITests.run(["generate", "--max-tokens", "4"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(phrase), "expected '\(phrase)' in: \(r.stderr)")
    }

    @Test func pruneWritesALoadableDraft() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-cli-\(getpid())-pruned.gguf").path
        let r = try CLITests.run(["prune", "--layers", "0-3,29", "-o", path])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try CLITests.run(["info", path])
        #expect(info.stdout.contains("llama: 5 layers"))
        let run = try CLITests.run(["generate", "--max-tokens", "8", "--temperature", "0", "--draft", path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func checkFindsSpeculationLossless() throws {
        let r = try CLITests.run(["check", "--prompt", "The capital of France is", "--draft", "self:8", "--method", "rsd-c",
                                  "--width", "2", "--depth", "2", "--samples", "150", "--temperature", "1"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("consistent with lossless decoding (p = "))
        #expect(r.stdout.contains("TV distance"))
        #expect(r.stdout.contains("rule: permutation test") && r.stdout.contains("first 2 tokens") && r.stdout.contains("150 samples each"),
                "the rule, with K = 2 by default: \(r.stdout)")
        #expect(r.stdout.contains("2-token outcomes"))
    }
}
