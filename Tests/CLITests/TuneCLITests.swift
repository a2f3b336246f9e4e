import Foundation
import SpecModels
import Testing

/// tune's p-min search and reproduction, and bench pair's draft knobs and
/// llama.cpp reference, through the real binary on the small model.
@Suite(.serialized) struct TuneCLITests {
    @Test func tuneSearchesPMinAndReproducesItsSuggestion() throws {
        let r = try CLITests.run(["tune", "--quick", "--tokens", "8", "--p-mins", "0,0.5,0.9", "--budget", "8", "--max-depth", "4", "--wide"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("p-min 0, 0.5, 0.9 for chains"))
        #expect(r.stdout.contains("p-min, replayed on the calibration chain's"), "\(r.stdout)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let reproduction = try #require(lines.firstIndex { $0.hasPrefix("reproduction: self:8 ") }, "\(r.stdout)")
        let verdict = lines[reproduction + 1]
        #expect(verdict.hasPrefix("predicted ") && verdict.contains(" tokens/s: ratio "), "\(verdict)")
        #expect(verdict.hasSuffix("reproduced within 15%") || verdict.hasSuffix("MISS: beyond ±15% of the prediction"), "\(verdict)")
        #expect(lines[reproduction + 2].hasPrefix("plain decoding predicted "))
        // The suggestion carries p-min when it chose one, and its label says so.
        let suggestion = try #require(lines.first { $0.hasPrefix("suggestion: spectree run --draft self:8 ") })
        #expect(suggestion.contains("--p-min") == lines[reproduction].contains("p-min"), "\(suggestion) / \(lines[reproduction])")
    }

    @Test func tuneRunsDynamicTreesAndRanksThemWithTheModelledShapes() throws {
        let r = try CLITests.run(["tune", "--quick", "--tokens", "6", "--methods", "chain,dynamic", "--budget", "16", "--max-depth", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dynamic trees, run on the prompts"), "\(r.stdout)")
        #expect(r.stdout.contains("self:8 dynamic B=8 k=4 D=3: ") && r.stdout.contains("self:8 dynamic B=16 k=4 D=3: "), "\(r.stdout)")
        #expect(r.stdout.contains("(of 5 searched)"), "3 chains and 2 dynamic trees: \(r.stdout)")
    }

    @Test(arguments: [
        (["tune", "--p-mins", "0,1.5"], "--p-mins: --p-min must be within 0…1, got 1.5"),
        (["tune", "--p-mins", "0,x"], "--p-mins takes numbers separated by commas"),
        (["tune", "--kinds", "poetry"], "no prompt has a kind in 'poetry'"),
        (["bench", "pair", "--p-min", "-0.1"], "--p-min must be within 0…1, got -0.1"),
        (["bench", "pair", "--draft-vocab", "0"], "--draft-vocab must be at least 1, got 0"),
        (["bench", "pair", "--no-llama-bench", "--llama-bench", "/x"], "contradict each other"),
        (["bench", "speculative", "--p-min", "2"], "--p-min must be within 0…1, got 2"),
        (["bench", "speculative", "--draft-vocab", "999999"], "--draft-vocab must be 1…49152"),
    ])
    func badDraftKnobsAreClearErrors(arguments: [String], phrase: String) throws {
        let r = try CLITests.run(arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(phrase), "expected '\(phrase)' in: \(r.stderr)")
    }

    /// bench pair on the small model and a self-draft: a missing llama-bench is
    /// a clear line and the run goes on; a stand-in llama-bench's figure is compared.
    @Test func benchPairComparesWithLlamaBenchOrSaysWhyNot() throws {
        let base = ["bench", "pair", "--model", DefaultModel.path, "--draft", "self:4", "--tokens", "4", "--chains", "2",
                    "--budgets", "2", "--kinds", "chat", "--draft-vocab", "8192", "--p-min", "0.3"]
        let missing = try CLITests.run(base + ["--llama-bench", "/nonexistent/llama-bench"])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stdout.contains("llama-bench (before) failed: llama-bench not found at /nonexistent/llama-bench"), "\(missing.stdout)")
        #expect(missing.stdout.contains("draft vocabulary 8k") && missing.stdout.contains("p-min 0.3"))
        #expect(missing.stdout.contains("fastest: ") && !missing.stdout.contains("llama.cpp's plain"))

        let table = "| model | test | t/s |\n| --- | ---: | ---: |\n| llama 135M | tg128 | 400.00 ± 1.00 |\n"
        let fake = try CLITests.temporaryFile("llama-bench", bytes: Array("#!/bin/sh\ncat <<'EOF'\n\(table)EOF\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let r = try CLITests.run(base + ["--llama-bench", fake])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("llama.cpp plain decoding (llama-bench tg128, "), "\(r.stdout)")
        #expect(r.stdout.contains("before, after: 400.0 ± 1.0, 400.0 ± 1.0): mean 400.0 tokens/s"), "\(r.stdout)")
        #expect(r.stdout.contains("× llama.cpp's plain, "), "\(r.stdout)")
    }
}
