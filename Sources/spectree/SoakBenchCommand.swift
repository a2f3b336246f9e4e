import ArgumentParser
import Foundation
import SpecBench
import SpecModels

/// `spectree bench soak`: many speculative steps with changing settings and
/// prompts, resident memory sampled; exit 1 unless memory stays flat after
/// the warm-up. Wiring only; the work is `SoakExperiment` (`make soak`).
struct SoakBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run many speculative steps with changing settings and prompts; check that memory stays flat."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Speculative steps to run.")
    var steps = 10_000

    func validate() throws {
        guard steps >= 100 else { throw ValidationError("--steps must be at least 100 (the warm-up is a fifth of them), got \(steps)") }
    }

    /// Writes a line to standard output at once (progress lines interleave with the rest).
    private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func run() throws {
        let loaded = try modelOptions.load()
        var soak = SoakExperiment()
        soak.steps = steps
        let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        say("soak: \(steps) steps on \(loaded.name), drafts \(soak.drafts.joined(separator: ", ")), context \(loaded.model.contextLength)")
        let report = try soak.run(target: loaded.model, tokenizer: loaded.tokenizer,
                                  system: PromptOptions.defaultSystem(in: loaded.file)) { sample in
            if sample.step % 1000 == 0 || sample.step == 1 {
                say("step \(sample.step): resident \(mib(sample.residentBytes))")
            }
        }
        say("\(report.steps) steps, \(report.tokens) tokens, \(report.prompts) prompts, \(report.settingsChanges) settings changes")
        say("resident memory: start \(mib(report.startBytes)), after warm-up (step \(report.warmUpStep)) \(mib(report.warmBytes)), "
              + "end \(mib(report.endBytes)), peak after warm-up \(mib(report.peakAfterWarmUp))")
        say(String(format: "growth after warm-up: %+.1f MiB peak (allowed %.0f), %.1f bytes/step trend (allowed %.0f)",
                     Double(report.peakAfterWarmUp - report.warmBytes) / 1_048_576, Double(report.allowedGrowth) / 1_048_576,
                     report.bytesPerStep, report.allowedBytesPerStep))
        if report.isFlat {
            say("flat: no growth after the warm-up")
        } else {
            say("NOT flat: memory grows after the warm-up")
            throw ExitCode(1)
        }
    }
}
