import Foundation
import SpecModels
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Adversarial command lines (issue 13): impossible tree shapes, absurd
/// contexts, special files, negative numbers and a prune onto its own input
/// end in a clear error and a non-zero exit, never a crash, a hang, a huge
/// allocation or a lost file.
@Suite("CLI reliability", .serialized)
struct ReliabilityCLITests {
    /// Runs spectree with a deadline; a run that outlives it is killed and reported.
    static func run(_ arguments: [String], directory: String? = nil, seconds: Double = 60) throws -> CLITests.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return CLITests.Run(status: killed ? -1 : process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A clean refusal: exit 1 or 64 (usage), no crash, the message there.
    static func expectRefused(_ r: CLITests.Run, _ arguments: [String], mentions fragments: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1 || r.status == 64, "\(arguments): exit \(r.status)\n\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("failed to allocate"),
                "\(arguments): crashed\n\(r.stderr)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(r.stderr.contains(fragment), "\(arguments): expected \"\(fragment)\" in\n\(r.stderr)", sourceLocation: sourceLocation)
        }
    }

    static let generate = ["generate", "--prompt", "hi", "--max-tokens", "5"]

    @Test("generate refuses trees larger than one target call, as run does", arguments: [
        ["--draft", "self:8", "--depth", "64"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "8,8"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "8,7"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "9,7"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "64"],
        ["--draft", "self:8", "--budget", "64"],
        ["--draft", "self:8", "--budget", "65"],
        ["--draft", "self:8", "--budget", "500"],
        ["--draft", "self:8", "--depth", "1000000"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "1000,1000"],
        ["--draft", "self:8", "--method", "rsd-c", "--branching", "1000000,1000000,1000000,1000000"],
        ["--draft", "self:8", "--budget", "100000"],
        ["--draft", "self:8", "--method", "rsd-s", "--width", "5000", "--depth", "5000"],
    ])
    func impossibleShapes(options: [String]) throws {
        let arguments = Self.generate + options
        Self.expectRefused(try Self.run(arguments), arguments, mentions: ["63 tree tokens"])
    }

    @Test("check, bench and tune refuse the same shapes before any work", arguments: [
        ["check", "--draft", "self:8", "--depth", "64", "--samples", "10"],
        ["check", "--draft", "self:8", "--budget", "100000", "--samples", "10"],
        ["bench", "draft-depth", "--depth", "5000", "--quick"],
        ["bench", "methods", "--depth", "1000000", "--quick"],
        ["bench", "speculative", "--depth", "64"],
        ["tune", "--max-depth", "5000", "--quick"],
    ])
    func impossibleShapesElsewhere(arguments: [String]) throws {
        Self.expectRefused(try Self.run(arguments), arguments, mentions: ["63 tree tokens"])
    }

    @Test("a prompt and tree that cannot fit the context are refused up front")
    func treeBeyondContext() throws {
        let arguments = Self.generate + ["--draft", "self:8", "--depth", "40", "--context", "32"]
        Self.expectRefused(try Self.run(arguments), arguments, mentions: ["the context holds 32"])
    }

    @Test("a context larger than memory is refused with the largest that fits", arguments: ["1000000", "1000000000"])
    func hugeContext(context: String) throws {
        let arguments = Self.generate + ["--context", context]
        Self.expectRefused(try Self.run(arguments), arguments, mentions: ["--context: a context of \(context) tokens needs", "GiB for SmolLM2-135M-Instruct.Q4_1.gguf", "use --context"])
    }

    @Test("n-gram drafts longer than 32 tokens are refused")
    func hugeNGram() throws {
        let arguments = Self.generate + ["--draft", "ngram:1000000"]
        Self.expectRefused(try Self.run(arguments), arguments, mentions: ["n-gram length must be 1…32, got 1000000"])
    }

    @Test("negative numbers after a space reach validation and are refused with the reason", arguments: [
        (["--depth", "-1", "--draft", "self:8"], "depth must be at least 1, got -1"),
        (["--depth=-1", "--draft", "self:8"], "depth must be at least 1, got -1"),
        (["--width", "-3", "--draft", "self:8", "--method", "rsd-s"], "width must be at least 1, got -3"),
        (["--budget", "-2", "--draft", "self:8"], "budget must be at least 1 tree token, got -2"),
        (["--temperature", "-1"], "temperature must be a finite number ≥ 0, got -1"),
        (["--top-k", "-4"], "top-k must be ≥ 0"),
        (["--seed", "-1"], "a seed is a whole number from 0 to 18446744073709551615, got '-1'"),
        (["--max-tokens", "-5"], "--max-tokens must be at least 1"),
        (["--threads", "-2"], "--threads must be 1…64, got -2"),
        (["--context", "-1"], "the context must hold at least 2 tokens, got -1"),
    ])
    func negativeNumbers(options: [String], reason: String) throws {
        let arguments = Self.generate + options
        let r = try Self.run(arguments)
        Self.expectRefused(r, arguments, mentions: [reason])
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    }

    @Test("a FIFO given as a model is refused at once, by info and generate")
    func fifo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-fifo-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.gguf"
        #expect(mkfifo(path, 0o600) == 0)
        for arguments in [["info", path], Self.generate + ["--model", path]] {
            let r = try Self.run(arguments, seconds: 20)
            #expect(r.status != -1, "\(arguments) hung (killed after 20 s)")
            Self.expectRefused(r, arguments, mentions: ["\(path): is a FIFO (named pipe), not a GGUF file"])
        }
    }

    @Test("prune never writes over its input, by any spelling or link")
    func pruneOntoItself() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-prune-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A copy of the small model, so that a failure cannot destroy the real one.
        let model = directory + "/model.gguf"
        try FileManager.default.copyItem(atPath: DefaultModel.path, toPath: model)
        let size = try FileManager.default.attributesOfItem(atPath: model)[.size] as! Int
        #expect(symlink(model, directory + "/link.gguf") == 0)
        #expect(link(model, directory + "/hard.gguf") == 0)
        let outputs = ["model.gguf", "./model.gguf", "sub/../model.gguf", directory + "/./model.gguf", "link.gguf", "hard.gguf"]
        for output in outputs {
            let arguments = ["prune", "--model", "model.gguf", "--layers", "0-5", "-o", output]
            let r = try Self.run(arguments, directory: directory)
            Self.expectRefused(r, arguments, mentions: ["is the model being pruned"])
            #expect(try FileManager.default.attributesOfItem(atPath: model)[.size] as! Int == size, "\(output) replaced the model")
        }
        let r = try Self.run(["prune", "--model", "link.gguf", "--layers", "0-5", "-o", "model.gguf"], directory: directory)
        Self.expectRefused(r, ["prune via link"], mentions: ["is the model being pruned"])
        #expect(try FileManager.default.attributesOfItem(atPath: model)[.size] as! Int == size)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == ["model.gguf", "link.gguf", "hard.gguf", "sub"])
    }
}
